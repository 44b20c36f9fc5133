/**
 * `sanbao staff …`: staff accounts from the command line, the same service the
 * bureau admin's console uses. Passwords never go on the command line: a
 * temporary one is made and printed once, or one is read from standard input
 * with --password-stdin. Either way it must be changed at first sign-in.
 */
import type { Role } from '../domain/access.ts';
import { invalid } from '../domain/errors.ts';
import { issueSetupToken } from '../service/first-setup.ts';
import { addStaff, listStaff, resetStaffPassword, setStaffEnabled, setStaffRoles, type StaffAdministrator } from '../service/staff-admin.ts';
import { audit } from '../store/repositories/audit.ts';
import { divisionExists, insertCounty } from '../store/repositories/staff.ts';
import { takeFlag, takeOption } from './args.ts';
import { withDatabase } from './database.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';

const USAGE = `usage: sanbao staff add --username U --name NAME --role ROLE --division CODE [--department D] [--county-name NAME] [--password-stdin]
       sanbao staff list [--json]
       sanbao staff disable|enable USERNAME
       sanbao staff reset-password USERNAME [--password-stdin]
       sanbao staff set-roles USERNAME [--role ROLE] [--division CODE] [--department D|none]
       sanbao staff setup-token        a new one-time token for the console's first set-up (only while there is no staff)`;

const CLI: StaffAdministrator = { actor: 'cli', staffId: null, divisionCode: null };

function required(args: string[], name: string): string {
  const value = takeOption(args, name);
  if (value === undefined || value === '') throw new UsageError(`staff: ${name} is required\n${USAGE}`.split('\n')[0]!);
  return value;
}

function noneLeft(args: string[]): void {
  if (args.length > 0) throw new UsageError(`staff: unexpected "${args[0]}" (sanbao staff help)`);
}

async function passwordFrom(io: Io, args: string[]): Promise<string | undefined> {
  if (!takeFlag(args, '--password-stdin')) return undefined;
  const text = (await io.stdin()).replace(/\r?\n$/, '');
  if (!text) throw new UsageError('staff: --password-stdin: no password on standard input');
  return text;
}

function username(args: string[]): string {
  const name = args.shift();
  if (!name || name.startsWith('--')) throw new UsageError(USAGE.split('\n')[0]!);
  return name;
}

export async function staffCommand(io: Io, argv: string[]): Promise<number> {
  const args = [...argv];
  const sub = args.shift();
  switch (sub) {
    case 'add': {
      const input = {
        username: required(args, '--username'),
        displayName: required(args, '--name'),
        role: required(args, '--role') as Role,
        divisionCode: required(args, '--division'),
        department: takeOption(args, '--department') ?? null,
      };
      const countyName = takeOption(args, '--county-name');
      const password = await passwordFrom(io, args);
      noneLeft(args);
      return withDatabase(async (db) => {
        const created = await db.transaction(async (tx) => {
          if (countyName !== undefined && !(await divisionExists(tx, input.divisionCode))) {
            if (!/^\d{6}$/.test(input.divisionCode)) throw invalid('UNKNOWN_DIVISION', '--county-name makes a county: --division must be its 6-digit code', 'division');
            await insertCounty(tx, input.divisionCode, countyName);
            await audit(tx, { actor: 'cli', action: 'division.create', entity: 'division', entityId: input.divisionCode, detail: { level: 1 } });
          }
          return addStaff(tx, CLI, { ...input, ...(password === undefined ? {} : { password }) });
        });
        io.out(`staff ${input.username.toLowerCase()} created (${input.role}, ${input.divisionCode}); the password must be changed at first sign-in`);
        if (created.temporaryPassword) io.out(`temporary password (shown once): ${created.temporaryPassword}`);
        return EXIT_OK;
      });
    }
    case 'list': {
      const json = takeFlag(args, '--json');
      noneLeft(args);
      return withDatabase(async (db) => {
        const staff = await listStaff(db, CLI);
        if (json) io.out(JSON.stringify(staff, null, 2));
        else for (const s of staff) io.out(`${s.username.padEnd(20)} ${s.role.padEnd(19)} ${s.divisionCode.padEnd(12)} ${(s.department ?? '-').padEnd(21)} ${s.state.padEnd(21)} ${s.displayName}`);
        if (!json && staff.length === 0) io.out('no staff accounts (sanbao staff add --role bureau_admin … makes the first)');
        return EXIT_OK;
      });
    }
    case 'disable':
    case 'enable': {
      const name = username(args);
      noneLeft(args);
      return withDatabase(async (db) => {
        await db.transaction((tx) => setStaffEnabled(tx, CLI, name, sub === 'enable'));
        io.out(`staff ${name} ${sub}d${sub === 'disable' ? '; its sessions have ended' : ''}`);
        return EXIT_OK;
      });
    }
    case 'reset-password': {
      const name = username(args);
      const password = await passwordFrom(io, args);
      noneLeft(args);
      return withDatabase(async (db) => {
        const result = await db.transaction((tx) => resetStaffPassword(tx, CLI, name, password));
        io.out(`password of ${name} reset; its sessions have ended; it must be changed at the next sign-in`);
        if (result.temporaryPassword) io.out(`temporary password (shown once): ${result.temporaryPassword}`);
        return EXIT_OK;
      });
    }
    case 'set-roles':
    case 'set-role': {
      const name = username(args);
      const role = takeOption(args, '--role') as Role | undefined;
      const divisionCode = takeOption(args, '--division');
      const department = takeOption(args, '--department');
      noneLeft(args);
      if (role === undefined && divisionCode === undefined && department === undefined) throw new UsageError('staff set-roles: give --role, --division or --department');
      return withDatabase(async (db) => {
        const updated = await db.transaction((tx) =>
          setStaffRoles(tx, CLI, name, {
            ...(role === undefined ? {} : { role }),
            ...(divisionCode === undefined ? {} : { divisionCode }),
            ...(department === undefined ? {} : { department: department === 'none' ? null : department }),
          }),
        );
        io.out(`staff ${updated.username}: ${updated.role}, ${updated.divisionCode}${updated.department ? `, ${updated.department}` : ''}; its sessions have ended`);
        return EXIT_OK;
      });
    }
    case 'setup-token': {
      noneLeft(args);
      return withDatabase(async (db) => {
        const issued = await issueSetupToken(db);
        if (!issued) throw invalid('SETUP_DONE', 'staff accounts exist: sign in as a bureau admin instead');
        io.out(`first set-up token (valid until ${issued.expiresAt.toISOString()}, once): ${issued.token}`);
        return EXIT_OK;
      });
    }
    case undefined:
    case 'help':
      io.out(USAGE);
      return EXIT_OK;
    default:
      throw new UsageError(`staff: unknown "${sub}" (sanbao staff help)`);
  }
}
