/**
 * `sanbao facility add|list|set-level|disable|enable|rotate-key`: designated
 * hospitals and pharmacies and their API keys, through the same service as the
 * bureau admin's console. A key is shown once, when made; only its hash is stored.
 */
import { addFacility, changeFacilityLevel, listFacilityViews, rotateFacilityKey, setFacilityEnabled, type FacilityAdministrator } from '../service/facility-admin.ts';
import { facilityCodeProblem } from '../domain/facility-code.ts';
import { takeOption } from './args.ts';
import { withDatabase } from './database.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';

const USAGE =
  'usage: sanbao facility add --code H51333000001 --name N --level 0-3 --division CODE [--kind hospital|pharmacy|clinic] | list | set-level CODE 0-3 | disable CODE | enable CODE | rotate-key CODE';

const CLI: FacilityAdministrator = { actor: 'cli', divisionCode: null };

function requiredOption(args: string[], name: string): string {
  const value = takeOption(args, name);
  if (value === undefined) throw new UsageError(`facility add: ${name} is required (${USAGE})`);
  return value;
}

function level(text: string | undefined, what: string): number {
  if (text === undefined || !/^[0-3]$/.test(text)) throw new UsageError(`${what} must be 0, 1, 2 or 3`);
  return Number(text);
}

function codeArg(args: string[]): string {
  const code = args.shift();
  if (!code || code.startsWith('--')) throw new UsageError(USAGE);
  return code;
}

export async function facilityCommand(io: Io, argv: string[]): Promise<number> {
  const args = [...argv];
  const sub = args.shift();
  switch (sub) {
    case 'add': {
      const code = requiredOption(args, '--code');
      const name = requiredOption(args, '--name');
      const lvl = level(requiredOption(args, '--level'), 'facility add: --level');
      const division = requiredOption(args, '--division');
      const kind = takeOption(args, '--kind') ?? 'hospital';
      const codeProblem = facilityCodeProblem(code, division);
      if (codeProblem) throw new UsageError(`facility add: --code: ${codeProblem}`);
      if (!['hospital', 'pharmacy', 'clinic'].includes(kind)) throw new UsageError('facility add: --kind must be hospital, pharmacy or clinic');
      return withDatabase(async (db) => {
        const created = await db.transaction((tx) => addFacility(tx, CLI, { code, name, level: lvl, divisionCode: division, kind }));
        io.out(`facility ${code} created. API key (shown once, store it in the HIS): ${created.apiKey}`);
        return EXIT_OK;
      });
    }
    case 'list':
      return withDatabase(async (db) => {
        for (const f of await listFacilityViews(db, CLI)) {
          io.out(`${f.code.padEnd(12)} level ${f.level}  ${f.kind.padEnd(8)} ${f.divisionCode.padEnd(12)} ${f.active ? 'active  ' : 'disabled'} key ${f.keyPrefix ?? '-'}…  ${f.name}`);
        }
        return EXIT_OK;
      });
    case 'set-level': {
      const code = codeArg(args);
      const lvl = level(args.shift(), 'facility set-level: the level');
      return withDatabase(async (db) => {
        const f = await db.transaction((tx) => changeFacilityLevel(tx, CLI, code, lvl));
        io.out(`facility ${f.code} is now level ${f.level}`);
        return EXIT_OK;
      });
    }
    case 'disable':
    case 'enable': {
      const code = codeArg(args);
      return withDatabase(async (db) => {
        const f = await db.transaction((tx) => setFacilityEnabled(tx, CLI, code, sub === 'enable'));
        io.out(`facility ${f.code} ${f.active ? 'enabled' : 'disabled: its key is refused (403 FACILITY_DISABLED) within 30 s'}`);
        return EXIT_OK;
      });
    }
    case 'rotate-key': {
      const code = codeArg(args);
      return withDatabase(async (db) => {
        const rotated = await db.transaction((tx) => rotateFacilityKey(tx, CLI, code));
        io.out(`new API key for ${code} (the old one stops working within 30 s): ${rotated.apiKey}`);
        return EXIT_OK;
      });
    }
    default:
      throw new UsageError(USAGE);
  }
}
