/** The message catalogues: one key set for three languages, Tibetan in Tibetan script, money formatted from integer fen. */
import { describe, expect, it } from 'vitest';
import { bo } from '../web/src/i18n/bo.ts';
import { en } from '../web/src/i18n/en.ts';
import { zhCN } from '../web/src/i18n/zh-CN.ts';
import { DELEGABLE_ITEMS, ROLES } from '../src/domain/access.ts';
import { DEPARTMENTS, FUNDS, IDENTITIES, VISIT_KINDS } from '../src/domain/vocabulary.ts';

const TIBETAN = /[\u0F00-\u0FFF]/;
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  it('carry the same keys and the same placeholders in every language', () => {
    const keys = Object.keys(zhCN).sort();
    expect(Object.keys(en).sort()).toEqual(keys);
    expect(Object.keys(bo).sort()).toEqual(keys);
    for (const key of keys) {
      const k = key as keyof typeof zhCN;
      expect(placeholders(en[k]), `en ${key}`).toEqual(placeholders(zhCN[k]));
      expect(placeholders(bo[k]), `bo ${key}`).toEqual(placeholders(zhCN[k]));
    }
  });

  it('write Tibetan in Tibetan script, with no empty message', () => {
    for (const [key, text] of Object.entries(bo)) {
      expect(text.trim(), key).not.toBe('');
      expect(TIBETAN.test(text), `bo ${key}: ${text}`).toBe(true);
    }
  });

  it('name every identity, fund, department, visit kind, role and delegable item of the domain', () => {
    const needed = [
      ...IDENTITIES.map((i) => `identity.${i}`),
      ...FUNDS.map((f) => `fund.${f}`),
      ...DEPARTMENTS.map((d) => `department.${d}`),
      ...VISIT_KINDS.map((k) => `kind.${k}`),
      ...ROLES.map((r) => `role.${r}`),
      ...Object.keys(DELEGABLE_ITEMS).map((i) => `item.${i}`),
    ];
    for (const key of needed) expect(Object.keys(zhCN), key).toContain(key);
  });
});
