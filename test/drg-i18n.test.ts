/** Every DRG reason and payment kind the server can send has its words in the three catalogues. */
import { describe, expect, it } from 'vitest';
import { UNGROUPABLE_REASONS } from '../src/domain/drg/grouper.ts';
import { PAYMENT_KINDS } from '../src/domain/drg/payment.ts';
import { bo } from '../web/src/i18n/bo.ts';
import { en } from '../web/src/i18n/en.ts';
import { zhCN } from '../web/src/i18n/zh-CN.ts';

describe('DRG words', () => {
  it.each([['zh-CN', zhCN], ['bo', bo], ['en', en]] as const)('%s names every ungroupable reason, payment kind and grouping step', (_lang, catalogue) => {
    const keys = [
      ...UNGROUPABLE_REASONS.map((r) => `drg.reason.${r}`),
      ...PAYMENT_KINDS.map((k) => `drg.kind.${k}`),
      ...['codes', 'mdc', 'adrg', 'complication', 'drg'].map((s) => `drg.step.${s}`),
    ];
    for (const key of keys) expect(Object.keys(catalogue), key).toContain(key);
  });
});
