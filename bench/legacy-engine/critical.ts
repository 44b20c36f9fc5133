import type { Fen } from '../../src/domain/money.ts';
import type { CriticalSchedule } from '../../src/domain/policy/types.ts';

/**
 * What the critical-illness schedule pays in all on an accumulated yearly
 * base: the part above the threshold, band by band, rounded half-up once.
 * A claim pays f(after) − f(before), so a year's payments telescope to
 * f(year's base) however the base is split into bills.
 */
export function criticalCumulative(accumulated: Fen, schedule: CriticalSchedule): Fen {
  if (accumulated <= schedule.threshold) return 0;
  let lower = schedule.threshold;
  let sum = 0; // fen × basis points
  for (const band of schedule.bands) {
    const upper = accumulated < band.upTo ? accumulated : band.upTo;
    if (upper > lower) sum += (upper - lower) * band.ratio;
    if (accumulated <= band.upTo) break;
    lower = band.upTo;
  }
  const paid = Math.floor((sum + 5_000) / 10_000);
  return schedule.yearlyCap !== null && paid > schedule.yearlyCap ? schedule.yearlyCap : paid;
}
