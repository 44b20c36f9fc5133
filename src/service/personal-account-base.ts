/** The monthly contribution base (缴费基数) of an employee, which the in-service credit is a share of. Audited. */
import { unprocessable } from '../domain/errors.ts';
import { MAX_FEN } from '../domain/money.ts';
import type { Db } from '../store/db.ts';
import { setContributionBase } from '../store/repositories/personal-accounts.ts';
import type { PersonRow } from '../store/repositories/persons.ts';

/** A monthly base above 1 million yuan is a typing slip (fen for yuan), not a salary. */
export const MAX_MONTHLY_BASE = 100_000_000;

export async function setBase(db: Db, person: PersonRow, base: number, actor: string): Promise<{ personId: number; base: number; before: number | null }> {
  if (person.scheme !== 'employee') throw unprocessable('NOT_AN_EMPLOYEE', 'only an employee (职工医保) has a contribution base and a personal account', 'personId');
  if (!Number.isSafeInteger(base) || base <= 0 || base > Math.min(MAX_FEN, MAX_MONTHLY_BASE)) {
    throw unprocessable('INVALID_BASE', 'the monthly contribution base must be above 0 and at most 1,000,000 yuan', 'base');
  }
  const { before } = await db.transaction((tx) => setContributionBase(tx, person.id, base, actor));
  return { personId: person.id, base, before };
}
