/**
 * A demo year of hospital bills, settled through the real settlement service
 * (so the console's settlements, explanations, reports and monitoring alerts
 * have something to show). Reproducible: the same seed gives the same bills.
 */
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import { settleBill } from '../service/settlement-service.ts';
import type { Db } from '../store/db.ts';
import { findFacilityByCode, type FacilityRow } from '../store/repositories/facilities.ts';
import { demoChronicDiagnosis } from './chronic.ts';
import { prng } from './generate.ts';

export interface DemoSettlementOptions {
  readonly year: number;
  /** One bill per this many enrolled people (a few get several). */
  readonly every: number;
  readonly seed: number;
  /** At most this many bills (the full Dege-sized demo stays quick to load). */
  readonly max: number;
}

export const DEMO_SETTLEMENTS: DemoSettlementOptions = { year: 2025, every: 6, seed: 2025, max: 600 };

export async function loadDemoSettlements(db: Db, policies: PolicyRegistry, options: DemoSettlementOptions = DEMO_SETTLEMENTS): Promise<number> {
  const random = prng(options.seed);
  const facilities: FacilityRow[] = [];
  for (const code of ['H51333000001', 'H51333000002', 'H51333000101', 'H54010200001']) {
    const f = await findFacilityByCode(db, code);
    if (f) facilities.push(f);
  }
  if (facilities.length === 0) return 0;
  const people = await db.query<{ id_number: string }>(
    `SELECT p.id_number FROM persons p JOIN enrollments e ON e.person_id = p.id AND e.year = $1 AND e.status = 'enrolled' ORDER BY p.id`,
    [options.year],
  );
  let n = 0;
  for (let i = 0; i < people.length && n < options.max; i += options.every) {
    const person = people[i]!;
    const bills = random() < 0.15 ? 3 : 1;
    for (let b = 0; b < bills; b++) {
      const month = 1 + Math.floor(random() * 10);
      const day = 1 + Math.floor(random() * 28);
      const facility = facilities[Math.floor(random() * facilities.length)]!;
      const roll = random();
      const kind = roll < 0.55 ? 'inpatient' : roll < 0.85 ? 'outpatient' : 'chronic';
      // Yuan amounts chosen in whole fen: inpatient 2,000–60,000 (a few 150,000+), outpatient 50–800.
      const yuan = kind === 'inpatient' ? (random() < 0.08 ? 150_000 + Math.floor(random() * 200_000) : 2_000 + Math.floor(random() * 58_000)) : 50 + Math.floor(random() * 750);
      const total = yuan * 100 + Math.floor(random() * 100);
      const compliant = Math.floor((total * (75 + Math.floor(random() * 20))) / 100);
      try {
        const diagnosis = kind === 'chronic' ? await demoChronicDiagnosis(db, person.id_number, options.year) : undefined;
        await settleBill({ db, policies }, facility, {
          transactionId: `DEMO-${options.year}-${String(++n).padStart(5, '0')}`,
          patient: { idNumber: person.id_number },
          visit: {
            kind,
            date: `${options.year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
            ...(kind === 'chronic' ? { chronicClass: random() < 0.3 ? 'A' : 'B', diagnosis } : {}),
          },
          amounts: { total, compliant },
        });
      } catch {
        // A bill the policy refuses (e.g. out of its period) is simply not part of the demo.
      }
    }
  }
  // The demo is loaded today but tells of last year: date each bill as settled on its visit day
  // (10:00 Beijing time), so monthly runs and month-by-month reports see the year as it happened.
  await db.query(
    `UPDATE settlements s SET settled_at = (v.visit_date + time '10:00') AT TIME ZONE 'Asia/Shanghai'
     FROM visits v WHERE v.id = s.visit_id AND s.transaction_id LIKE $1`,
    [`DEMO-${options.year}-%`],
  );
  // Their alerts, cases and first case events were raised at the same moment as their bill.
  await db.query(
    `UPDATE alerts a SET created_at = s.settled_at FROM settlements s WHERE s.id = a.settlement_id AND s.transaction_id LIKE $1`,
    [`DEMO-${options.year}-%`],
  );
  await db.query(
    `UPDATE monitoring_cases c SET created_at = a.created_at FROM alerts a WHERE a.id = c.alert_id AND a.source = 'realtime'`,
  );
  await db.query(`UPDATE case_events e SET at = c.created_at FROM monitoring_cases c WHERE c.id = e.case_id AND e.at > c.created_at`);
  return n;
}
