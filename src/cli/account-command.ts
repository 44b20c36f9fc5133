/**
 * `sanbao account …`: the monthly credit run (idempotent, with progress), an
 * employee's contribution base, family-sharing links, and the yearly statement
 * (text, JSON or a printable HTML page). Callers of the same services as the API.
 */
import { writeFileSync } from 'node:fs';
import { SHARING_RELATIONS, type SharingRelation } from '../domain/account/rules.ts';
import { notFound } from '../domain/errors.ts';
import { formatYuan, parseYuan } from '../domain/money.ts';
import { loadPolicies, type PolicyRegistry } from '../domain/policy/registry.ts';
import { beijingToday } from '../api/routes/monitoring.ts';
import { accountStatement } from '../service/account-statement.ts';
import { renderStatementHtml, STATEMENT_LANGUAGES, type StatementLanguage } from '../service/account-statement-page.ts';
import { linkRelative, unlinkRelative } from '../service/family-sharing.ts';
import { setBase } from '../service/personal-account-base.ts';
import { creditMonth } from '../service/personal-account-credit.ts';
import type { Db } from '../store/db.ts';
import { findPersonByIdNumber, type PersonRow } from '../store/repositories/persons.ts';
import { options, required } from './args.ts';
import { withDatabase } from './database.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';
import { progressBar, type Progress } from './progress.ts';

const USAGE = `sanbao account credit --month YYYY-MM
  sanbao account set-base --person ID_NUMBER --base YUAN
  sanbao account link --employee ID_NUMBER --relative ID_NUMBER [--relation spouse|parent|child]
  sanbao account unlink --link N
  sanbao account statement --person ID_NUMBER --year YYYY [--format text|json|html] [--lang zh-CN|bo|en] [--out FILE]`;

export interface AccountDeps {
  readonly db: Db;
  readonly policies: PolicyRegistry;
  readonly today?: string;
  readonly progress?: Progress;
}

function using<T>(deps: AccountDeps | undefined, policyDir: string | undefined, fn: (deps: AccountDeps) => Promise<T>): Promise<T> {
  if (deps) return fn(deps);
  return withDatabase((db, config) => fn({ db, policies: loadPolicies(policyDir ?? config.policyDir) }));
}

async function person(db: Db, idNumber: string, option: string): Promise<PersonRow> {
  if (!/^\d{17}[\dXx]$/.test(idNumber)) throw new UsageError(`${option} must be an 18-character ID number`);
  const found = await findPersonByIdNumber(db, idNumber);
  if (!found) throw notFound('UNKNOWN_PERSON', `no person with the ID number given to ${option}`, option.slice(2));
  return found;
}

export async function accountCommand(io: Io, argv: string[], policyDir?: string, deps?: AccountDeps): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'credit': {
      const { values } = options(rest, { month: { type: 'string' } }, USAGE);
      const month = required(values.month, 'month', USAGE);
      return using(deps, policyDir, async (d) => {
        const progress = d.progress ?? progressBar();
        try {
          const s = await creditMonth(d.db, d.policies, {
            month, today: d.today ?? beijingToday(), actor: 'cli', onProgress: (done, total) => progress.update(`credit ${month}`, done, total),
          });
          progress.finish();
          io.out(`${s.month}: ${s.credited} accounts credited, ${formatYuan(s.amount)} yuan; ${s.alreadyCredited} already credited; `
            + `${s.skippedNoBase} in service without a contribution base; ${s.skippedNoPolicy} without an account policy (${s.employees} employees)`);
          return EXIT_OK;
        } catch (error) {
          progress.abandon();
          throw error;
        }
      });
    }
    case 'set-base': {
      const { values } = options(rest, { person: { type: 'string' }, base: { type: 'string' } }, USAGE);
      const idNumber = required(values.person, 'person', USAGE);
      const base = parseYuan(required(values.base, 'base', USAGE));
      return using(deps, policyDir, async (d) => {
        const r = await setBase(d.db, await person(d.db, idNumber, '--person'), base, 'cli');
        io.out(`contribution base ${formatYuan(r.base)} yuan a month${r.before === null ? '' : ` (was ${formatYuan(r.before)})`}`);
        return EXIT_OK;
      });
    }
    case 'link': {
      const { values } = options(rest, { employee: { type: 'string' }, relative: { type: 'string' }, relation: { type: 'string' } }, USAGE);
      const employee = required(values.employee, 'employee', USAGE);
      const relative = required(values.relative, 'relative', USAGE);
      if (values.relation !== undefined && !(SHARING_RELATIONS as readonly string[]).includes(values.relation)) {
        throw new UsageError(`--relation must be one of ${SHARING_RELATIONS.join(', ')}`);
      }
      return using(deps, policyDir, async (d) => {
        const holder = await person(d.db, employee, '--employee');
        const other = await person(d.db, relative, '--relative');
        const link = await linkRelative(d.db, d.policies, {
          holderId: holder.id, relativeId: other.id, relation: values.relation as SharingRelation | undefined, actor: 'cli', today: d.today ?? beijingToday(),
        });
        io.out(`link ${link.id}: the account of person ${link.holder_id} now pays the bills of person ${link.relative_id} (${link.relation})`);
        return EXIT_OK;
      });
    }
    case 'unlink': {
      const { values } = options(rest, { link: { type: 'string' } }, USAGE);
      const text = required(values.link, 'link', USAGE);
      if (!/^\d{1,15}$/.test(text)) throw new UsageError('--link must be a link number');
      return using(deps, policyDir, async (d) => {
        const link = await unlinkRelative(d.db, { linkId: Number(text), actor: 'cli' });
        io.out(`link ${link.id} ended`);
        return EXIT_OK;
      });
    }
    case 'statement': {
      const { values } = options(rest, { person: { type: 'string' }, year: { type: 'string' }, format: { type: 'string' }, lang: { type: 'string' }, out: { type: 'string' } }, USAGE);
      const idNumber = required(values.person, 'person', USAGE);
      const yearText = required(values.year, 'year', USAGE);
      if (!/^\d{4}$/.test(yearText)) throw new UsageError(`--year must be a year such as 2025, not "${yearText}"`);
      const format = values.format ?? 'text';
      if (!['text', 'json', 'html'].includes(format)) throw new UsageError('--format must be text, json or html');
      const lang = (values.lang ?? 'zh-CN') as StatementLanguage;
      if (!STATEMENT_LANGUAGES.includes(lang)) throw new UsageError(`--lang must be one of ${STATEMENT_LANGUAGES.join(', ')}`);
      return using(deps, policyDir, async (d) => {
        const s = await accountStatement(d.db, await person(d.db, idNumber, '--person'), Number(yearText));
        const text = format === 'json' ? JSON.stringify(s, null, 2)
          : format === 'html' ? renderStatementHtml(s, lang)
          : [
            `${s.person.maskedName} ${s.person.idNumber} · ${s.year}`,
            `opening ${formatYuan(s.opening)}  credited ${formatYuan(s.totals.credits)}  own bills ${formatYuan(s.totals.ownSpends)}  `
              + `relatives ${formatYuan(s.totals.familySpends)}  given back ${formatYuan(s.totals.restored)}  closing ${formatYuan(s.closing)}  balance now ${formatYuan(s.balance)}`,
            ...s.lines.map((l) => `${l.at.slice(0, 10)}  ${l.kind.padEnd(7)} ${formatYuan(l.amount).padStart(12)} ${formatYuan(l.balanceAfter).padStart(12)}  ${l.month ?? l.bill?.transactionId ?? ''}`),
          ].join('\n');
        if (values.out) {
          writeFileSync(values.out, text);
          io.out(`statement written to ${values.out}`);
        } else io.out(text);
        return EXIT_OK;
      });
    }
    case 'help':
      io.out(`usage: ${USAGE}`);
      return EXIT_OK;
    default:
      throw new UsageError(`usage: ${USAGE}`);
  }
}
