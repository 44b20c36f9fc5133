import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OutboxRow } from '../store/repositories/outbox.ts';
import { backoffMs, sign, toCsv } from './monitoring-outbox.ts';
import { checkOutboundUrl } from './outbound-http.ts';

describe('push signing, backoff, endpoints, lists', () => {
  it('signs the exact body bytes with HMAC-SHA256', () => {
    const body = JSON.stringify({ dedupeKey: 'sanbao-alert-1-civil_affairs', name: '次仁' });
    expect(sign(body, 'secret')).toBe(`sha256=${createHmac('sha256', 'secret').update(Buffer.from(body, 'utf8')).digest('hex')}`);
    expect(sign(body, 'secret')).not.toBe(sign(body, 'other'));
  });

  it.each([
    [1, 30_000],
    [2, 60_000],
    [5, 480_000],
    [30, 6 * 3_600_000],
  ])('waits exponentially: attempt %i → %i ms', (attempts, ms) => {
    expect(backoffMs(attempts)).toBe(ms);
  });

  it.each([
    ['https://8.8.8.8/sanbao', false, true],
    ['http://127.0.0.1:8080/push', true, true],
    ['http://localhost/push', true, true],
    ['http://127.0.0.1:8080/push', false, false],
    ['http://8.8.8.8/push', false, false],
    ['ftp://127.0.0.1/push', true, false],
    ['not a url', true, false],
  ])('endpoint %s (private network allowed: %s) accepted: %s', async (url, allowPrivate, ok) => {
    if (ok) expect(await checkOutboundUrl(url, allowPrivate)).toBe(new URL(url).toString());
    else await expect(checkOutboundUrl(url, allowPrivate)).rejects.toThrow(expect.objectContaining({ code: 'INVALID_ENDPOINT' }));
  });

  it('writes yuan from fen, quotes every cell and defuses spreadsheet formulas', () => {
    const row = {
      id: 1, case_id: 7, department: 'civil_affairs', dedupe_key: 'k', status: 'pending',
      payload: { year: 2025, risk: 'becoming_poor', threshold: { id: 'region_income', amountFen: 3_400_000 }, yearlySelfPayFen: 4_818_372,
        person: { idNumber: '513330195402040612', name: '=HYPERLINK("x")', divisionCode: '513330002002', householdCode: 'H"1', phone: null }, raisedAt: '2025-06-02' },
    } as unknown as OutboxRow;
    const lines = toCsv([row]).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[1]).toBe('"k","7","2025","becoming_poor","region_income","34000.00","48183.72","513330195402040612","\'=HYPERLINK(""x"")","513330002002","H""1","","2025-06-02","pending"');
  });

  it('writes negative and small amounts as plain signed yuan, not as formulas', () => {
    const rowWith = (yearlySelfPayFen: number) =>
      ({ id: 1, case_id: 7, department: 'civil_affairs', dedupe_key: 'k', status: 'pending',
        payload: { year: 2025, risk: 'becoming_poor', threshold: { id: 't', amountFen: 5 }, yearlySelfPayFen, person: {}, raisedAt: '2025-06-02' } }) as unknown as OutboxRow;
    const cells = (fen: number) => toCsv([rowWith(fen)]).replace(/^\uFEFF/, '').trim().split('\r\n')[1]!.split(',');
    for (const [fen, text] of [[-50, '-0.50'], [-150, '-1.50'], [-100_000_001, '-1000000.01'], [7, '0.07'], [0, '0.00']] as const) {
      expect(cells(fen)[6]).toBe(`"${text}"`);
    }
    expect(cells(0)[5]).toBe('"0.05"');
  });
});
