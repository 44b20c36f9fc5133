/**
 * The yearly campaign (年度参保征缴): from the year's policy, every resident's
 * tier, contribution, single most favourable subsidy with its paying
 * department, and individual part. Opening it again recomputes what is still
 * pending (identities change during the campaign) and keeps what is paid.
 */
import { formatYuan } from '../domain/money.ts';
import { contributionTable } from '../domain/enrollment/campaign.ts';
import { conflict, invalid, notFound } from '../domain/errors.ts';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import type { Policy } from '../domain/policy/types.ts';
import type { Db, Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { campaignStatus, divisionCodes, identityKeys, writeEnrollments, type CampaignWrite } from '../store/repositories/campaigns.ts';
import { lockInSchema } from '../store/schema-locks.ts';

export interface CampaignResult extends CampaignWrite {
  readonly year: number;
  readonly division: string;
  readonly policies: string[];
}

export function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw invalid('INVALID_YEAR', `year ${year} is not a campaign year`, 'year');
}

/** Opens (or refreshes) the campaign of a year for the residents of a division (the whole county by default). */
export async function openCampaign(
  db: Db,
  policies: PolicyRegistry,
  request: { year: number; division: string; actor: string },
): Promise<CampaignResult> {
  checkYear(request.year);
  return db.transaction(async (tx) => {
    // One campaign computation at a time: a second clerk waits, then recomputes on the result.
    await lockInSchema(tx, `campaign:${request.year}`);
    const divisionPolicy = new Map<string, string>();
    const used = new Map<string, Policy>();
    for (const code of await divisionCodes(tx, request.division)) {
      const policy = policies.forDivision(code, request.year);
      if (!policy) continue;
      divisionPolicy.set(code, policy.id);
      used.set(policy.id, policy);
    }
    if (used.size === 0) {
      throw invalid('NO_POLICY', `no policy covers the residents of ${request.division || 'the registry'} in ${request.year}`, 'year');
    }
    const keys = await identityKeys(tx, request.year, request.division);
    const written = await writeEnrollments(tx, request.year, request.division, divisionPolicy, contributionTable([...used.values()], keys));
    await audit(tx, { actor: request.actor, action: 'campaign.open', entity: 'campaign', entityId: request.year, detail: { division: request.division, ...written } });
    return { year: request.year, division: request.division, policies: [...used.keys()].sort(), ...written };
  });
}

export interface CampaignStatus {
  readonly year: number;
  readonly division: string;
  readonly persons: number;
  readonly enrolled: number;
  readonly pending: number;
  readonly cancelled: number;
  readonly contribution: number;
  readonly subsidy: number;
  readonly individual: number;
  readonly paid: number;
  readonly byPolicy: { policy: string; status: string; persons: number; contribution: number; subsidy: number; individual: number; paid: number }[];
}

export async function campaignStatusOf(q: Queryable, year: number, division: string): Promise<CampaignStatus> {
  checkYear(year);
  const rows = await campaignStatus(q, year, division);
  const sum = (pick: (r: (typeof rows)[number]) => number, status?: string) =>
    rows.filter((r) => status === undefined || r.status === status).reduce((a, r) => a + pick(r), 0);
  return {
    year,
    division,
    persons: sum((r) => r.persons),
    enrolled: sum((r) => r.persons, 'enrolled'),
    pending: sum((r) => r.persons, 'pending'),
    cancelled: sum((r) => r.persons, 'cancelled'),
    contribution: sum((r) => r.contribution_fen),
    subsidy: sum((r) => r.subsidy_fen),
    individual: sum((r) => r.individual_fen),
    paid: sum((r) => r.paid_fen),
    byPolicy: rows.map((r) => ({
      policy: r.policy_id, status: r.status, persons: r.persons, contribution: r.contribution_fen,
      subsidy: r.subsidy_fen, individual: r.individual_fen, paid: r.paid_fen,
    })),
  };
}

/**
 * Takes a person out of the year's target population (died, moved away,
 * insured in the employee scheme elsewhere). Refused while anything is paid:
 * reverse the payments first, so money is never silently kept.
 */
export async function cancelEnrollment(db: Db, r: { personId: number; year: number; reason: string; actor: string }): Promise<{ personId: number; year: number; status: 'cancelled' }> {
  checkYear(r.year);
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ status: string; paid_fen: number }>('SELECT status, paid_fen FROM enrollments WHERE person_id = $1 AND year = $2 FOR UPDATE', [r.personId, r.year]);
    const e = rows[0];
    if (!e) throw notFound('NO_ENROLLMENT', `person ${r.personId} has no enrollment for ${r.year}`, 'year');
    if (e.status === 'cancelled') throw conflict('ALREADY_CANCELLED', `the ${r.year} enrollment of person ${r.personId} is already cancelled`);
    if (e.paid_fen > 0) throw conflict('PAID_ENROLLMENT', `${formatYuan(e.paid_fen)} yuan is paid for ${r.year}: reverse the payments before cancelling`);
    await tx.query(`UPDATE enrollments SET status = 'cancelled', enrolled_at = NULL, updated_at = now() WHERE person_id = $1 AND year = $2`, [r.personId, r.year]);
    await audit(tx, { actor: r.actor, action: 'enrollment.cancel', entity: 'enrollment', entityId: `${r.personId}:${r.year}`, detail: { personId: r.personId, year: r.year, reason: r.reason, was: e.status } });
    return { personId: r.personId, year: r.year, status: 'cancelled' as const };
  });
}
