import { describe, expect, it } from 'vitest';
import { allowedActions, nextStatus } from './case-machine.ts';
import { confirms } from './determination.ts';
import { assessHousehold } from './household.ts';
import { monthOf, parseMonth, previousMonth, scheduledRun } from './month.ts';

describe('case state machine', () => {
  it.each([
    ['raised', 'push', 'pushed'],
    ['pushed', 'verify', 'verified'],
    ['verified', 'determine', 'determined'],
    ['determined', 'close', 'closed'],
  ] as const)('%s --%s--> %s', (from, action, to) => {
    expect(nextStatus(from, action)).toBe(to);
  });

  it.each([
    ['raised', 'verify', 'INVALID_TRANSITION'],
    ['raised', 'determine', 'INVALID_TRANSITION'],
    ['pushed', 'close', 'INVALID_TRANSITION'],
    ['verified', 'verify', 'INVALID_TRANSITION'],
    ['closed', 'determine', 'CASE_CLOSED'],
    ['closed', 'close', 'CASE_CLOSED'],
  ] as const)('refuses %s --%s--> with %s (a conflict)', (from, action, code) => {
    expect(() => nextStatus(from, action)).toThrow(expect.objectContaining({ kind: 'conflict', code }));
  });

  it('lists the next moves', () => {
    expect(allowedActions('verified')).toEqual(['determine']);
    expect(allowedActions('closed')).toEqual([]);
  });

  it('counts every determination but "not needed" as confirmed', () => {
    expect(confirms({ kind: 'temporary_assistance' })).toBe(true);
    expect(confirms({ kind: 'not_needed' })).toBe(false);
  });
});

describe('household-income assessment (Dege)', () => {
  it('84,500 yuan for 3 people, self-pay 47,900 → 12,200 yuan a head, above a 7,800 line', () => {
    const a = assessHousehold({ income: 8_450_000, selfPay: 4_790_000, members: 3, monitoringLine: 780_000 });
    expect(a.perCapitaNet).toBe(1_220_000);
    expect(a.aboveLine).toBe(true);
    expect(a.formula).toBe('(8450000 − 4790000) ÷ 3 = 1220000 fen per head');
  });

  it('subtracts recorded further deductions (the report\'s 12,100 needs 30,000 fen of them)', () => {
    expect(assessHousehold({ income: 8_450_000, selfPay: 4_790_000, otherDeductions: 30_000, members: 3, monitoringLine: 780_000 }).perCapitaNet).toBe(1_210_000);
  });

  it.each([
    [1_000_001, 0, 1, 1_000_000, true],
    [1_000_000, 0, 1, 1_000_000, false], // at the line is not above it
    [100, 0, 3, 33, false], // 33.33 rounds down to 33: a fen of doubt is not "above"
    [500_000, 900_000, 2, 1, false], // self-pay above income: negative
  ])('income %i, self-pay %i, %i members, line %i → above %s', (income, selfPay, members, line, above) => {
    expect(assessHousehold({ income, selfPay, members, monitoringLine: line }).aboveLine).toBe(above);
  });

  it('refuses an empty household', () => {
    expect(() => assessHousehold({ income: 1, selfPay: 0, members: 0, monitoringLine: 1 })).toThrow(RangeError);
  });
});

describe('months and the schedule', () => {
  it('parses months and refuses others', () => {
    expect(parseMonth('2025-12')).toMatchObject({ year: 2025, start: '2025-12-01', end: '2026-01-01' });
    expect(() => parseMonth('2025-13')).toThrow(expect.objectContaining({ code: 'INVALID_MONTH' }));
    expect(previousMonth('2025-01')).toBe('2024-12');
  });

  it('works in Beijing time and runs on the 15th for the month before', () => {
    expect(monthOf(new Date('2025-06-30T17:00:00Z'))).toBe('2025-07');
    expect(scheduledRun(new Date('2025-07-03T00:00:00Z'))).toEqual({ month: '2025-06', runAt: new Date('2025-07-14T18:00:00Z') });
  });
});
