/**
 * Family sharing (家庭共济): an employee lets the personal account pay the
 * bills of a registered spouse, parent or child — who may be in the resident
 * scheme. The relation must be what the household register shows; a link to
 * oneself, to someone the register does not show as such a relative, or of a
 * relation the policy does not share with, is refused and nothing is written.
 */
import { relationBetween } from '../domain/account/relation.ts';
import { SHARING_RELATIONS, type SharingRelation } from '../domain/account/rules.ts';
import { conflict, notFound, unprocessable } from '../domain/errors.ts';
import type { PolicyRegistry } from '../domain/policy/registry.ts';
import type { Db } from '../store/db.ts';
import { endLink, findActiveLink, findLink, insertLink, linksOf, type LinkRow } from '../store/repositories/family-links.ts';
import { findPersonById, type PersonRow } from '../store/repositories/persons.ts';

export { SHARING_RELATIONS, type SharingRelation, linksOf, type LinkRow };

/** The policy in force for a person's account in a year: that year's, else the latest that covers the area. */
export function accountRulesFor(policies: PolicyRegistry, divisionCode: string, year: number) {
  const exact = policies.forDivision(divisionCode, year);
  if (exact) return exact.personalAccount;
  const latest = policies.list().filter((p) => policies.forDivision(divisionCode, p.year) === p).sort((a, b) => b.year - a.year)[0];
  return latest?.personalAccount ?? null;
}

export async function linkRelative(
  db: Db,
  policies: PolicyRegistry,
  args: { holderId: number; relativeId: number; relation?: SharingRelation | undefined; actor: string; today: string; canSee?: (p: PersonRow) => void },
): Promise<LinkRow> {
  if (args.holderId === args.relativeId) {
    throw unprocessable('SELF_LINK', 'an employee cannot share the account with themselves: the account already pays their own bills', 'relativeId');
  }
  return db.transaction(async (tx) => {
    const holder = await findPersonById(tx, args.holderId);
    if (!holder) throw notFound('UNKNOWN_PERSON', `no person ${args.holderId}`, 'holderId');
    const relative = await findPersonById(tx, args.relativeId);
    if (!relative) throw notFound('UNKNOWN_PERSON', `no person ${args.relativeId}`, 'relativeId');
    args.canSee?.(holder);
    if (holder.scheme !== 'employee') {
      throw unprocessable('NOT_AN_EMPLOYEE', 'only an employee (职工医保) has a personal account to share', 'holderId');
    }
    const rules = accountRulesFor(policies, holder.division_code, Number(args.today.slice(0, 4)));
    if (!rules?.familySharing) throw unprocessable('NO_FAMILY_SHARING', "the policy of the employee's area has no family sharing", 'holderId');
    const registered = relationBetween(
      { id: holder.id, householdId: holder.household_id, relation: holder.relation },
      { id: relative.id, householdId: relative.household_id, relation: relative.relation },
    );
    if (!registered) {
      throw unprocessable('NOT_A_REGISTERED_RELATIVE', 'the household register does not show this person as the employee\'s spouse, parent or child', 'relativeId');
    }
    if (args.relation !== undefined && args.relation !== registered) {
      throw unprocessable('RELATION_MISMATCH', `the household register shows this person as the employee's ${registered}, not ${args.relation}`, 'relation');
    }
    if (!rules.familySharing.relations.includes(registered)) {
      throw unprocessable('RELATION_NOT_SHARED', `the policy does not share the account with a ${registered}`, 'relation');
    }
    if (await findActiveLink(tx, holder.id, relative.id)) throw conflict('ALREADY_LINKED', 'this relative is already linked to the account', 'relativeId');
    const id = await insertLink(tx, { holderId: holder.id, relativeId: relative.id, relation: registered, actor: args.actor });
    return (await findLink(tx, id))!;
  });
}

export async function unlinkRelative(db: Db, args: { linkId: number; actor: string; canSee?: (holderDivision: string) => void }): Promise<LinkRow> {
  return db.transaction(async (tx) => {
    const link = await findLink(tx, args.linkId);
    if (!link) throw notFound('UNKNOWN_LINK', `no family-sharing link ${args.linkId}`, 'linkId');
    const holder = await findPersonById(tx, link.holder_id);
    args.canSee?.(holder!.division_code);
    if (link.status !== 'active' || !(await endLink(tx, link.id, args.actor))) throw conflict('LINK_ENDED', 'the link has already ended', 'linkId');
    return (await findLink(tx, link.id))!;
  });
}
