/**
 * The first administrator of a real county. When the database has no staff
 * (and no demo was loaded), the service makes a one-time set-up token at
 * start and prints it once; the console's "first set-up" takes it with the
 * administrator's username and password. The token is random, stored only as
 * its SHA-256, expires, and works once, and only while there is no staff.
 */
import { randomBytes } from 'node:crypto';
import { conflict, invalid, unauthorized } from '../domain/errors.ts';
import type { Db } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { consumeSetupToken, countStaff, divisionExists, insertCounty, recordSetupTokenUser, replaceSetupToken } from '../store/repositories/staff.ts';
import { addStaff } from './staff-admin.ts';
import { tokenHash } from './staff-auth.ts';

export const SETUP_TOKEN_HOURS = 24;

/** A new set-up token when the database has no staff (an earlier unused one stops working); undefined otherwise. */
export async function issueSetupToken(db: Db, now = new Date()): Promise<{ token: string; expiresAt: Date } | undefined> {
  return db.transaction(async (tx) => {
    await tx.query('LOCK TABLE staff_setup_tokens IN EXCLUSIVE MODE');
    if ((await countStaff(tx)) > 0) return undefined;
    const token = `setup_${randomBytes(24).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + SETUP_TOKEN_HOURS * 3_600_000);
    await replaceSetupToken(tx, tokenHash(token), expiresAt);
    await audit(tx, { actor: 'system', action: 'staff.setup_token', entity: 'staff', entityId: '-', detail: { expiresAt: expiresAt.toISOString() } });
    return { token, expiresAt };
  });
}

export async function setupNeeded(db: Db): Promise<boolean> {
  return (await countStaff(db)) === 0;
}

export interface FirstAdmin {
  readonly token: string;
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
  /** The county's 6-digit code; made with countyName when the database has no such division yet. */
  readonly divisionCode: string;
  readonly countyName?: string;
}

/** Creates the first bureau admin with the password they chose; the token is spent only when it succeeds. */
export async function completeFirstSetup(db: Db, a: FirstAdmin, now = new Date()): Promise<{ id: number; username: string }> {
  return db.transaction(async (tx) => {
    await tx.query('LOCK TABLE staff_setup_tokens IN EXCLUSIVE MODE');
    if ((await countStaff(tx)) > 0) throw conflict('SETUP_DONE', 'set-up is done: staff accounts exist; sign in instead');
    if (!(await consumeSetupToken(tx, tokenHash(a.token), now))) {
      throw unauthorized('INVALID_SETUP_TOKEN', 'the set-up token is not valid, was used, or has expired (restart the service or run `sanbao staff setup-token` for a new one)');
    }
    if (!(await divisionExists(tx, a.divisionCode))) {
      if (!/^\d{6}$/.test(a.divisionCode)) throw invalid('UNKNOWN_DIVISION', `no division ${a.divisionCode}; give the county's 6-digit code`, 'divisionCode');
      const name = a.countyName?.trim();
      if (!name || name.length > 60) throw invalid('COUNTY_NAME_REQUIRED', `division ${a.divisionCode} does not exist yet: give the county's name to create it`, 'countyName');
      await insertCounty(tx, a.divisionCode, name);
      await audit(tx, { actor: 'setup', action: 'division.create', entity: 'division', entityId: a.divisionCode, detail: { level: 1 } });
    }
    const admin = { actor: 'setup', staffId: null, divisionCode: null };
    // They chose this password themselves: no change is required at first sign-in.
    const created = await addStaff(tx, admin, {
      username: a.username, displayName: a.displayName, password: a.password, role: 'bureau_admin', divisionCode: a.divisionCode, mustChangePassword: false,
    });
    await recordSetupTokenUser(tx, tokenHash(a.token), created.id);
    await audit(tx, { actor: 'setup', action: 'staff.first_setup', entity: 'staff', entityId: created.id, detail: { username: a.username.toLowerCase() } });
    return { id: created.id, username: a.username.toLowerCase() };
  });
}
