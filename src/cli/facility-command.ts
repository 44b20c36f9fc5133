/**
 * `sanbao facility add|list|rotate-key`: designated hospitals and pharmacies and
 * their API keys. A key is shown once, when made; only its hash is stored.
 */
import { invalid } from '../domain/errors.ts';
import type { Queryable } from '../store/db.ts';
import { audit } from '../store/repositories/audit.ts';
import { findFacilityByCode, hashApiKey, insertFacility, listFacilities, newApiKey } from '../store/repositories/facilities.ts';
import { takeOption } from './args.ts';
import { withDatabase } from './database.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';

const USAGE = 'usage: sanbao facility add --code C --name N --level 0-3 --division CODE [--kind hospital|pharmacy|clinic] | list | rotate-key CODE';

function requiredOption(args: string[], name: string): string {
  const value = takeOption(args, name);
  if (value === undefined) throw new UsageError(`facility add: ${name} is required (${USAGE})`);
  return value;
}

async function requireDivision(q: Queryable, code: string): Promise<void> {
  const rows = await q.query('SELECT 1 FROM divisions WHERE code = $1', [code]);
  if (rows.length === 0) throw invalid('UNKNOWN_DIVISION', `no division ${code}`, 'division');
}

export async function facilityCommand(io: Io, argv: string[]): Promise<number> {
  const args = [...argv];
  const sub = args.shift();
  switch (sub) {
    case 'add': {
      const code = requiredOption(args, '--code');
      const name = requiredOption(args, '--name');
      const level = Number(requiredOption(args, '--level'));
      const division = requiredOption(args, '--division');
      const kind = (takeOption(args, '--kind') ?? 'hospital') as 'hospital' | 'pharmacy' | 'clinic';
      if (!/^[A-Z0-9]{2,20}$/.test(code)) throw new UsageError('facility add: --code must be 2–20 capital letters or digits');
      if (![0, 1, 2, 3].includes(level)) throw new UsageError('facility add: --level must be 0, 1, 2 or 3');
      if (!['hospital', 'pharmacy', 'clinic'].includes(kind)) throw new UsageError('facility add: --kind must be hospital, pharmacy or clinic');
      return withDatabase(async (db) => {
        const created = await db.transaction(async (tx) => {
          await requireDivision(tx, division);
          if (await findFacilityByCode(tx, code)) throw invalid('FACILITY_EXISTS', `facility ${code} exists already`, 'code');
          const made = await insertFacility(tx, { code, name, level, divisionCode: division, kind });
          await audit(tx, { actor: 'cli', action: 'facility.create', entity: 'facility', entityId: made.id, detail: { code, level, division } });
          return made;
        });
        io.out(`facility ${code} created. API key (shown once, store it in the HIS): ${created.apiKey}`);
        return EXIT_OK;
      });
    }
    case 'list':
      return withDatabase(async (db) => {
        for (const f of await listFacilities(db)) {
          io.out(`${f.code.padEnd(12)} level ${f.level}  ${f.kind.padEnd(8)} ${f.division_code.padEnd(12)} ${f.active ? 'active  ' : 'inactive'} key ${f.api_key_prefix ?? '-'}…  ${f.name}`);
        }
        return EXIT_OK;
      });
    case 'rotate-key': {
      const code = args.shift();
      if (!code) throw new UsageError(USAGE);
      return withDatabase(async (db) => {
        const key = newApiKey(code);
        const rows = await db.transaction(async (tx) => {
          const updated = await tx.query<{ id: number }>('UPDATE facilities SET api_key_hash = $2, api_key_prefix = $3 WHERE code = $1 RETURNING id', [
            code,
            hashApiKey(key),
            key.slice(0, 12),
          ]);
          if (updated[0]) await audit(tx, { actor: 'cli', action: 'facility.rotate_key', entity: 'facility', entityId: updated[0].id });
          return updated;
        });
        if (rows.length === 0) throw invalid('UNKNOWN_FACILITY', `no facility ${code}`, 'code');
        io.out(`new API key for ${code} (the old one stops working within 30 s): ${key}`);
        return EXIT_OK;
      });
    }
    default:
      throw new UsageError(USAGE);
  }
}
