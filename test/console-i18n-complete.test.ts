/**
 * Every code a person sees is translated (issue 17): case states and history,
 * determinations, subsidy kinds, settlement rule codes, review rules, filing
 * reasons, audit filters and every error code the server can answer — in
 * Chinese, Tibetan and English, none a copy of its key or of another language,
 * with each language's own punctuation.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bo } from '../web/src/i18n/bo.ts';
import { en } from '../web/src/i18n/en.ts';
import { zhCN } from '../web/src/i18n/zh-CN.ts';
import { AUDIT_FILTERS, auditFilterKey } from '../web/src/console/audit-filters.ts';
import { CASE_EVENT_ACTIONS, CASE_STATUSES } from '../src/domain/monitoring/case-machine.ts';
import { DETERMINATION_KINDS } from '../src/domain/monitoring/determination.ts';
import { SUBSIDY_KINDS } from '../src/domain/policy/types.ts';
import { RULE_IDS } from '../src/domain/review/rules.ts';
import { FILING_REASONS } from '../src/domain/policy/filing-limits.ts';

const ROOT = join(import.meta.dirname, '..');
const CATALOGUES = { 'zh-CN': zhCN, bo, en } as Record<string, Record<string, string>>;
const HAN = /[\u4e00-\u9fff]/;
/** Chinese punctuation that has no place in Tibetan or English text. */
const CHINESE_PUNCTUATION = /[、，。；：！？（）【】「」《》]/;
/** Words that stay the same in Chinese and English (abbreviations, codes). */
const SAME_IN_ZH_AND_EN = new Set(['drg.cmi']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}
const SERVER = sources(join(ROOT, 'src')).map((path) => readFileSync(path, 'utf8'));

/** Every error code the server can answer: the codes given to the domain's error constructors. */
function serverErrorCodes(): string[] {
  const codes = new Set<string>();
  const call = /\b(?:invalid|conflict|notFound|forbidden|unprocessable|unauthorized|tooLarge|rateLimited|unavailable)\(\s*'([A-Z][A-Z0-9_]+)'/g;
  const direct = /new DomainError\(\s*'[a-z_]+',\s*'([A-Z][A-Z0-9_]+)'/g;
  for (const text of SERVER) for (const m of [...text.matchAll(call), ...text.matchAll(direct)]) codes.add(m[1]!);
  return [...codes].sort();
}

/** Every rule code a settlement step can carry (the engine's tiers name them as literals). */
function engineRuleCodes(): string[] {
  const codes = new Set<string>();
  for (const path of sources(join(ROOT, 'src/domain/engine'))) {
    for (const m of readFileSync(path, 'utf8').matchAll(/\brule(?:_)?\s*[:=]\s*(?:[^'\n]*\?\s*)?'([a-z_]+\.[a-z_.]+)'(?:\s*:\s*'([a-z_]+\.[a-z_.]+)')?/g)) {
      codes.add(m[1]!);
      if (m[2]) codes.add(m[2]);
    }
  }
  return [...codes].sort();
}

/** Every action the server writes to the audit log. */
function auditedActions(): string[] {
  const actions = new Set<string>();
  for (const text of SERVER) for (const m of text.matchAll(/\baction: '([a-z_]+\.[a-z_.]+)'/g)) actions.add(m[1]!);
  return [...actions].sort();
}

const missing = (keys: string[]) => keys.filter((key) => Object.values(CATALOGUES).some((c) => !(key in c)));

describe('every code a person sees is translated', () => {
  it('finds the codes it checks (the scans are not empty)', () => {
    expect(serverErrorCodes().length).toBeGreaterThan(100);
    expect(engineRuleCodes()).toEqual(expect.arrayContaining(['basic.inpatient', 'critical.tilted', 'assistance.major', 'tilt.floor']));
    expect(auditedActions()).toContain('person.unmask');
  });

  it('names every error code the server answers', () => {
    expect(missing(serverErrorCodes().map((c) => `error.${c}`))).toEqual([]);
  });

  it('names every case status, history entry, determination, subsidy kind, rule, review rule and filing reason', () => {
    const keys = [
      ...CASE_STATUSES.map((s) => `case.status.${s}`),
      ...CASE_EVENT_ACTIONS.map((a) => `case.event.${a}`),
      ...DETERMINATION_KINDS.map((k) => `case.kind.${k}`),
      ...SUBSIDY_KINDS.map((k) => `subsidy.kind.${k}`),
      ...engineRuleCodes().map((r) => `rule.${r}`),
      ...RULE_IDS.map((r) => `rule.${r}`),
      ...FILING_REASONS.map((r) => `reason.${r}`),
      ...AUDIT_FILTERS.map(auditFilterKey),
    ];
    expect(missing(keys)).toEqual([]);
  });

  it('offers an audit filter for every audited action', () => {
    const unfiltered = auditedActions().filter((a) => !AUDIT_FILTERS.some((prefix) => (prefix.endsWith('.') ? a.startsWith(prefix) : a === prefix)));
    expect(unfiltered).toEqual([]);
  });

  it('never leaves a message as its key, nor English or Tibetan as a copy of another language', () => {
    const problems: string[] = [];
    for (const key of Object.keys(zhCN)) {
      for (const [lang, catalogue] of Object.entries(CATALOGUES)) {
        if (catalogue[key]!.trim() === key) problems.push(`${lang} ${key}: the key itself`);
      }
      if (HAN.test(en[key as keyof typeof en])) problems.push(`en ${key}: Chinese characters`);
      // A message of placeholders and signs only ("{granted} / {prepared}") has nothing to translate.
      const words = zhCN[key as keyof typeof zhCN].replace(/\{\w+\}/g, '').replace(/[\s\p{P}\p{S}\d]/gu, '');
      if (words && en[key as keyof typeof en] === zhCN[key as keyof typeof zhCN] && !SAME_IN_ZH_AND_EN.has(key)) problems.push(`en ${key}: same as Chinese`);
      if (bo[key as keyof typeof bo] === en[key as keyof typeof en]) problems.push(`bo ${key}: same as English`);
      if (bo[key as keyof typeof bo] === zhCN[key as keyof typeof zhCN]) problems.push(`bo ${key}: same as Chinese`);
    }
    expect(problems).toEqual([]);
  });

  it('uses each language’s punctuation ("、" and full-width marks only in Chinese)', () => {
    const problems: string[] = [];
    for (const lang of ['bo', 'en'] as const) {
      for (const [key, text] of Object.entries(CATALOGUES[lang]!)) if (CHINESE_PUNCTUATION.test(text)) problems.push(`${lang} ${key}: ${text}`);
    }
    expect(problems).toEqual([]);
  });

  it('joins lists in the pages with the reader’s separator, never a hard-coded "、"', () => {
    const pages = sources(join(ROOT, 'web/src')).concat(
      readdirSync(join(ROOT, 'web/src')).flatMap((n) => (n.endsWith('.tsx') ? [join(ROOT, 'web/src', n)] : [])),
      ...['console', 'resident'].map((d) => readdirSync(join(ROOT, 'web/src', d)).filter((n) => n.endsWith('.tsx')).map((n) => join(ROOT, 'web/src', d, n))),
    );
    const offenders = pages.filter((path) => /join\('、'\)/.test(readFileSync(path, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
