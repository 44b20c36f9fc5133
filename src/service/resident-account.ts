/**
 * The personal account on the resident's own page: an employee sees the
 * balance and the year's statement; anyone sees whose accounts are shared with
 * them (family sharing) — masked names, never a relative's balance.
 */
import { maskName } from '../domain/privacy.ts';
import type { Queryable } from '../store/db.ts';
import { linksOf } from '../store/repositories/family-links.ts';
import type { PersonRow } from '../store/repositories/persons.ts';
import { accountStatement, type AccountStatement } from './account-statement.ts';

export interface ResidentAccount {
  readonly hasAccount: boolean;
  readonly balance: number;
  readonly statement: AccountStatement | null;
  /** Employees whose accounts may pay my bills. */
  readonly sharedBy: readonly { readonly maskedName: string; readonly relation: string }[];
}

export async function residentAccount(q: Queryable, person: PersonRow, year: number): Promise<ResidentAccount> {
  const links = (await linksOf(q, person.id)).filter((l) => l.status === 'active');
  // The relation the link records is the holder's view (the relative is the holder's spouse/parent/child): turned round for the relative.
  const turned: Record<string, string> = { spouse: 'spouse', parent: 'child', child: 'parent' };
  const sharedBy = links.filter((l) => l.relative_id === person.id).map((l) => ({ maskedName: maskName(l.holder_name), relation: turned[l.relation] ?? l.relation }));
  if (person.scheme !== 'employee') return { hasAccount: false, balance: 0, statement: null, sharedBy };
  const statement = await accountStatement(q, person, year);
  return { hasAccount: true, balance: statement.balance, statement, sharedBy };
}
