/**
 * The bill's step (fund "bill"): how the compliant amount came about. For
 * staff, each group of fee lines with quantity × unit price, class, the parts
 * the patient pays and why, and any restriction the line does not meet; for
 * the resident, in plain words, what the policy did not cover and why.
 */
import type { LineGroup, OtherLines, Step, Unmet } from '../../src/api/responses/types.ts';
import type { I18n } from './i18n/index.tsx';
import { useI18n } from './i18n/index.tsx';

export type { LineGroup, OtherLines, Unmet };

/** The bill step's part of a step (the API's Step). */
export type BillStepFields = Pick<Step, 'fund' | 'rule' | 'base' | 'amount' | 'lineCount' | 'groups' | 'others'>;

export const BILL_FUND = 'bill';

export function billStepOf<S extends { fund: string }>(steps: readonly S[] | null | undefined): (S & BillStepFields) | undefined {
  return steps?.find((s) => s.fund === BILL_FUND) as (S & BillStepFields) | undefined;
}

export function billSentence(i18n: I18n, step: BillStepFields): string {
  return step.rule === 'bill.itemised'
    ? i18n.t('rule.bill.itemised', { lines: i18n.num(step.lineCount ?? 0), amount: i18n.money(step.amount) })
    : i18n.t('rule.bill.unverified');
}

function unmetText(i18n: I18n, u: Unmet): string {
  const { t, list } = i18n;
  switch (u.restriction) {
    case 'level':
      return t('billStep.unmet.level', { min: String(u.minLevel), level: String(u.level) });
    case 'sex':
      return t(`billStep.unmet.sex.${u.sex}`);
    case 'age':
      return t('billStep.unmet.age', { min: String(u.minAge ?? 0), max: u.maxAge === null ? '…' : String(u.maxAge), age: String(u.age) });
    case 'diagnosis':
      return t('billStep.unmet.diagnosis', { codes: list(u.diagnoses), diagnosis: u.diagnosis ?? '—' });
    case 'quantity':
      return t('billStep.unmet.quantity', { allowed: String(u.allowed), billed: String(u.billed) });
  }
}

/** Why the patient pays the parts of a group: the ceiling, class C, class B's self-pay first. */
function partTexts(i18n: I18n, g: LineGroup): string[] {
  const { t, money, percent } = i18n;
  const out: string[] = [];
  if (g.aboveCap > 0) out.push(t('billStep.aboveCap', { cap: money(g.priceCap ?? 0), amount: money(g.aboveCap) }));
  if (g.excluded > 0) out.push(t('billStep.classC', { amount: money(g.excluded) }));
  if (g.selfPayFirst > 0) out.push(t('billStep.classB', { ratio: percent(g.selfPayFirstRatio ?? 0), amount: money(g.selfPayFirst) }));
  out.push(t('billStep.compliant', { amount: money(g.compliant) }));
  return out;
}

/** The staff view of the bill's step: one item per group of lines, the rest summed. */
export function BillStepLines({ step, showCodes = true }: { step: BillStepFields; showCodes?: boolean }) {
  const i18n = useI18n();
  const { t, money, num } = i18n;
  if (!step.groups) return null;
  const separator = i18n.lang === 'zh-CN' ? '；' : i18n.lang === 'bo' ? '། ' : '; ';
  return (
    <ul className="bill-step-lines" data-testid="bill-step-lines">
      {step.groups.map((g) => (
        <li key={`${g.first}-${g.code}`} data-testid="bill-step-line" className={g.compliant === g.amount && !g.unmet ? 'muted' : ''}>
          {showCodes ? <span className="mono">{g.code} </span> : null}
          {g.name} · {t(`itemClass.${g.class}`)} ·{' '}
          {t('billStep.lineOf', { quantity: num(g.quantity), unitPrice: money(g.unitPrice), amount: money(g.amount) })}
          {g.lines > 1 ? ` (${t('billStep.count', { n: num(g.lines) })})` : ''}
          <div className="small">{partTexts(i18n, g).join(separator)}</div>
          {g.unmet ? (
            <div className="small warn" data-testid="bill-step-unmet">
              {g.unmet.map((u) => unmetText(i18n, u)).join(separator)}
              {separator}
              {t('billStep.unmet.note')}
            </div>
          ) : null}
        </li>
      ))}
      {step.others ? (
        <li className="muted">
          {t('billStep.others', {
            lines: num(step.others.lines), groups: num(step.others.groups), amount: money(step.others.amount), compliant: money(step.others.compliant),
          })}
        </li>
      ) : null}
    </ul>
  );
}

/** The resident's plain words: each line the policy did not (fully) cover, and why. */
export function PlainWhy({ steps }: { steps: readonly { fund: string }[] }) {
  const { t, money, percent } = useI18n();
  const step = billStepOf(steps);
  if (!step) return null;
  if (step.rule !== 'bill.itemised') return <p className="muted small" data-testid="plain-why">{t('plain.why.unverified')}</p>;
  const items: string[] = [];
  for (const g of step.groups ?? []) {
    if (g.excluded > 0) items.push(t('plain.why.classC', { name: g.name, amount: money(g.excluded) }));
    if (g.aboveCap > 0) items.push(t('plain.why.aboveCap', { name: g.name, cap: money(g.priceCap ?? 0), amount: money(g.aboveCap) }));
    if (g.selfPayFirst > 0) items.push(t('plain.why.classB', { name: g.name, ratio: percent(g.selfPayFirstRatio ?? 0), amount: money(g.selfPayFirst) }));
  }
  const rest = step.others ? step.others.amount - step.others.compliant : 0;
  if (rest > 0) items.push(t('plain.why.others', { amount: money(rest) }));
  if (items.length === 0) return null;
  return (
    <div data-testid="plain-why">
      <p>{t('plain.why.title')}</p>
      <ul>
        {items.map((text, i) => (
          <li key={i}>{text}</li>
        ))}
      </ul>
    </div>
  );
}
