/** The engine's dates of a hospital bill, as a table. */
import { describe, expect, it } from 'vitest';
import { bureauDate, bureauYear } from '../bureau-time.ts';
import { billDates } from './bill-dates.ts';

describe('billDates', () => {
  const cases: [string, Parameters<typeof billDates>[0], ReturnType<typeof billDates>][] = [
    ['an outpatient visit: its date', { kind: 'outpatient', date: '2025-03-01' }, { date: '2025-03-01' }],
    ['a chronic visit ignores a discharge date', { kind: 'chronic', date: '2025-03-01', dischargeDate: '2025-03-05' }, { date: '2025-03-01' }],
    ['a stay without discharge: admitted that day', { kind: 'inpatient', date: '2025-08-28' }, { date: '2025-08-28', admissionDate: '2025-08-28' }],
    ['a stay: the bill dated by its discharge', { kind: 'inpatient', date: '2025-08-28', dischargeDate: '2025-09-03' }, { date: '2025-09-03', admissionDate: '2025-08-28' }],
    ['a stay into the next year: its admission year and date', { kind: 'inpatient', date: '2025-12-28', dischargeDate: '2026-01-03' }, { date: '2025-12-28', admissionDate: '2025-12-28' }],
    ['a null discharge date', { kind: 'inpatient', date: '2025-05-01', dischargeDate: null }, { date: '2025-05-01', admissionDate: '2025-05-01' }],
  ];
  for (const [name, visit, expected] of cases) it(name, () => expect(billDates(visit)).toEqual(expected));
});

describe('the bureau\'s calendar (Beijing time)', () => {
  const cases: [string, string, number][] = [
    ['2025-12-31T15:59:59Z', '2025-12-31', 2025],
    ['2025-12-31T16:00:00Z', '2026-01-01', 2026],
    ['2026-06-30T20:00:00Z', '2026-07-01', 2026],
    ['2024-02-28T16:30:00Z', '2024-02-29', 2024],
  ];
  for (const [instant, date, year] of cases) {
    it(`${instant} is ${date} in Beijing`, () => {
      expect(bureauDate(new Date(instant))).toBe(date);
      expect(bureauYear(new Date(instant))).toBe(year);
    });
  }
});
