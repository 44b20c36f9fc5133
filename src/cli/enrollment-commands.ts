/**
 * `sanbao roster …`, `sanbao campaign …`, `sanbao payment …`: the campaign
 * from the command line, on the configured database (DATABASE_URL, or PGlite
 * in SANBAO_DATA_DIR). Callers of the same services as the API.
 */
import { basename } from 'node:path';
import { findPersonByIdNumber } from '../store/repositories/persons.ts';
import { formatYuan, parseYuan } from '../domain/money.ts';
import { loadPolicies, type PolicyRegistry } from '../domain/policy/registry.ts';
import { DEPARTMENTS, IDENTITIES, type Department, type Identity } from '../domain/vocabulary.ts';
import { campaignStatusOf, openCampaign } from '../service/enrollment-campaign.ts';
import { PAYMENT_METHODS, recordPayment, reversePayment } from '../service/enrollment-payments.ts';
import { payRoster } from '../service/payment-batches.ts';
import { COVER_EXEMPTIONS, type CoverDecision, type CoverExemption } from '../domain/enrollment/cover.ts';
import { CONFIRM_END_ABOVE, importRoster } from '../service/roster-import.ts';
import { ROSTER_MODES, type RosterMode } from '../domain/enrollment/roster-rows.ts';
import { formatOfFile } from '../service/tabular.ts';
import type { Db } from '../store/db.ts';
import { listRosters } from '../store/repositories/rosters.ts';
import { divisionOf, options, required, yearOf } from './args.ts';
import { withDatabase } from './database.ts';
import { readInputFile } from './input-file.ts';
import { EXIT_OK, UsageError, type Io } from './io.ts';
import { progressBar } from './progress.ts';

export const CLI_ACTOR = 'cli';

/** The county of the database when none is given: the one top-level division holding people. */
export async function defaultDivision(db: Db, given: string | undefined): Promise<string> {
  if (given) return given;
  const rows = await db.query<{ code: string }>(`SELECT DISTINCT substr(division_code, 1, 6) AS code FROM persons ORDER BY 1 LIMIT 2`);
  if (rows.length === 1) return rows[0]!.code;
  throw new UsageError(rows.length === 0 ? 'the database holds no people yet (try: sanbao demo)' : 'people of several counties: give --division CODE');
}

const ROSTER_USAGE =
  'sanbao roster import FILE --mode replace|add|end --department D --identity I --from DATE [--to DATE] [--division CODE] ' +
  '[--confirm-end N] [--correct-register] [--skip-bad-rows] [--dry-run]';

export async function rosterCommand(io: Io, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    return withDatabase(async (db) => {
      for (const r of await listRosters(db)) {
        io.out(`#${r.id}  ${r.mode}  ${r.department}/${r.identity}  ${r.division_code}  from ${r.valid_from}${r.valid_to ? ` to ${r.valid_to}` : ''}  ${r.file_name}  ` +
          `rows ${r.rows_imported}/${r.rows_total}  +${r.identities_added} −${r.identities_ended} =${r.identities_unchanged}  by ${r.imported_by}`);
      }
      return EXIT_OK;
    });
  }
  if (sub !== 'import') throw new UsageError(`usage: ${ROSTER_USAGE} | sanbao roster list`);
  const { values, positionals } = options(rest, {
    department: { type: 'string' }, identity: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
    division: { type: 'string' }, 'skip-bad-rows': { type: 'boolean' }, 'dry-run': { type: 'boolean' },
    mode: { type: 'string' }, 'confirm-end': { type: 'string' }, 'correct-register': { type: 'boolean' },
  }, ROSTER_USAGE);
  if (values.mode === undefined) {
    throw new UsageError('--mode is required: replace (the division\'s whole list of the department and identity), add or end — nothing is replaced implicitly');
  }
  if (!(ROSTER_MODES as readonly string[]).includes(values.mode)) throw new UsageError(`--mode must be one of ${ROSTER_MODES.join(', ')}`);
  if (values.mode === 'replace' && values.division === undefined) throw new UsageError('--mode replace needs --division CODE: the division whose list the roster replaces');
  let confirmEnd: number | null = null;
  if (values['confirm-end'] !== undefined) {
    confirmEnd = Number(values['confirm-end']);
    if (!/^\d{1,9}$/.test(values['confirm-end'])) throw new UsageError('--confirm-end must be the number of statuses the dry run said would end');
  }
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new UsageError(`give one roster file (usage: ${ROSTER_USAGE})`);
  const department = required(values.department, 'department', ROSTER_USAGE);
  const identity = required(values.identity, 'identity', ROSTER_USAGE);
  if (!(DEPARTMENTS as readonly string[]).includes(department)) throw new UsageError(`--department must be one of ${DEPARTMENTS.join(', ')}`);
  if (!(IDENTITIES as readonly string[]).includes(identity)) throw new UsageError(`--identity must be one of ${IDENTITIES.join(', ')}`);
  const content = readInputFile(file);
  const progress = progressBar();
  return withDatabase(async (db) => {
    const started = performance.now();
    const result = await importRoster(db, {
      mode: values.mode as RosterMode, confirmEnd, correctRegister: values['correct-register'] === true,
      department: department as Department, identity: identity as Identity,
      validFrom: required(values.from, 'from', ROSTER_USAGE), validTo: typeof values.to === 'string' ? values.to : null,
      division: divisionOf(values.division) ?? null, fileName: basename(file), format: formatOfFile(file), content,
      skipBadRows: values['skip-bad-rows'] === true, dryRun: values['dry-run'] === true, actor: CLI_ACTOR,
      onProgress: (stage, done, total) => progress.update(stage, done, total),
    }).then(
      (r) => (progress.finish(), r),
      (error: unknown) => {
        // A refused roster is bad input: its one line on stderr is the error, not a progress line before it.
        progress.abandon();
        throw error;
      },
    );
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (result.alreadyImported) io.out(`roster already imported as #${result.rosterId}: nothing changed (${result.rowsImported} rows)`);
    else {
      io.out(`${result.dryRun ? 'dry run, nothing written: ' : `roster #${result.rosterId}: `}${result.mode} ${result.rowsImported} of ${result.rowsTotal} rows for ${result.division}; ` +
        `${result.registered} people registered (${result.households} households), ${result.added} identities added, ${result.ended} ended ` +
        `(${result.dropped} people no longer listed), ${result.unchanged} unchanged` +
        `${result.corrected ? `, ${result.corrected} register entries corrected` : ''} (${seconds} s)`);
      if (result.dryRun && result.mode === 'replace' && result.dropped > CONFIRM_END_ABOVE) {
        io.out(`  to import it, confirm the ${result.dropped} people whose status it ends: --confirm-end ${result.dropped}`);
      }
    }
    for (const p of result.skipped) io.out(`  skipped row ${p.row}: ${p.reason}`);
    return EXIT_OK;
  });
}

const CAMPAIGN_USAGE = 'sanbao campaign open|status --year Y [--division CODE] [--json]';

export async function campaignCommand(io: Io, args: string[], policyDir: string | undefined): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'open' && sub !== 'status') throw new UsageError(`usage: ${CAMPAIGN_USAGE}`);
  const { values } = options(rest, { year: { type: 'string' }, division: { type: 'string' }, json: { type: 'boolean' } }, CAMPAIGN_USAGE);
  const year = yearOf(values.year, CAMPAIGN_USAGE);
  const given = divisionOf(values.division);
  const policies: PolicyRegistry = loadPolicies(policyDir);
  return withDatabase(async (db) => {
    const division = await defaultDivision(db, given);
    if (sub === 'open') {
      const started = performance.now();
      const r = await openCampaign(db, policies, { year, division, actor: CLI_ACTOR });
      io.out(values.json ? JSON.stringify(r) : `campaign ${year} for ${division} (${r.policies.join(', ')}): ${r.created} enrollments created, ${r.updated} recomputed, ` +
        `${r.kept} unchanged${r.noPolicy ? `, ${r.noPolicy} people without a policy` : ''} (${((performance.now() - started) / 1000).toFixed(2)} s)`);
      return EXIT_OK;
    }
    const s = await campaignStatusOf(db, year, division);
    if (values.json) io.out(JSON.stringify(s));
    else {
      io.out(`campaign ${year}, ${division}: ${s.persons} people, ${s.enrolled} enrolled, ${s.pending} pending, ${s.cancelled} cancelled`);
      io.out(`  contributions ${formatYuan(s.contribution)} yuan = subsidies ${formatYuan(s.subsidy)} + individual parts ${formatYuan(s.individual)}; paid ${formatYuan(s.paid)}`);
    }
    return EXIT_OK;
  });
}

const PAYMENT_USAGE =
  'sanbao payment record --person ID_NUMBER --year Y --amount YUAN [--paid-on DATE] [--exemption GROUP] [--department D] [--method cash|bank|mobile|transfer] [--reference R] | ' +
  'payment bulk --roster N --year Y --department D [--division CODE] [--paid-on DATE] [--reference R] | payment reverse --id N --reason TEXT';

/** One line for the resident: when cover starts, and why (a waiting period and its parts, an exemption). */
export function describeCover(c: CoverDecision): string {
  if (c.reason === 'waiting_period') {
    return `paid on ${c.paidOn}, outside the collection window: waiting period ${c.waitingMonths} months (${c.fixedMonths} fixed + ${c.variableMonths} for ` +
      `${c.yearsNotInsured} year(s) not insured); cover starts on ${c.coverFrom}`;
  }
  if (c.reason === 'exempt') return `exempt from the waiting period (${c.exemption}); cover starts on ${c.coverFrom}`;
  return `paid in the collection window; cover starts on ${c.coverFrom}`;
}

export async function paymentCommand(io: Io, args: string[], policyDir?: string): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'receipt' || sub === 'tax-import' || sub === 'reconcile') {
    return (await import('./payment-collection-commands.ts')).paymentCollectionCommand(io, sub, rest);
  }
  const { values } = options(rest, {
    person: { type: 'string' }, year: { type: 'string' }, amount: { type: 'string' }, department: { type: 'string' }, method: { type: 'string' },
    reference: { type: 'string' }, roster: { type: 'string' }, division: { type: 'string' }, id: { type: 'string' }, reason: { type: 'string' },
    'paid-on': { type: 'string' }, exemption: { type: 'string' },
  }, PAYMENT_USAGE);
  const paidOn = typeof values['paid-on'] === 'string' ? values['paid-on'] : undefined;
  const exemption = typeof values.exemption === 'string' ? values.exemption : null;
  if (exemption !== null && !(COVER_EXEMPTIONS as readonly string[]).includes(exemption)) throw new UsageError(`--exemption must be one of ${COVER_EXEMPTIONS.join(', ')}`);
  const department = typeof values.department === 'string' ? values.department : undefined;
  if (department !== undefined && !(DEPARTMENTS as readonly string[]).includes(department)) throw new UsageError(`--department must be one of ${DEPARTMENTS.join(', ')}`);
  const reference = typeof values.reference === 'string' ? values.reference : null;
  if (sub === 'record') {
    const year = yearOf(values.year, PAYMENT_USAGE);
    const amount = parseYuan(required(values.amount, 'amount', PAYMENT_USAGE));
    const method = (values.method ?? 'cash') as (typeof PAYMENT_METHODS)[number];
    if (!PAYMENT_METHODS.includes(method)) throw new UsageError(`--method must be one of ${PAYMENT_METHODS.join(', ')}`);
    const idNumber = required(values.person, 'person', PAYMENT_USAGE);
    return withDatabase(async (db) => {
      const person = await findPersonByIdNumber(db, idNumber);
      if (!person) throw new UsageError('no person with that ID number');
      const r = await recordPayment(db, loadPolicies(policyDir), {
        personId: person.id, year, amount, department: department ?? null, method, reference, paidOn, exemption: exemption as CoverExemption | null, actor: CLI_ACTOR,
      });
      io.out(`payment #${r.payment.id}, receipt ${r.payment.receipt_no}: ${formatYuan(amount)} yuan for person ${person.id}, ${year}; paid ${formatYuan(r.enrollment.paid_fen)} of ` +
        `${formatYuan(r.enrollment.individual_fen)} yuan, ${r.enrollment.status}`);
      if (r.cover) io.out(`  ${describeCover(r.cover)}`);
      return EXIT_OK;
    });
  }
  if (sub === 'bulk') {
    const year = yearOf(values.year, PAYMENT_USAGE);
    const rosterId = Number(required(values.roster, 'roster', PAYMENT_USAGE));
    if (!Number.isSafeInteger(rosterId) || rosterId <= 0) throw new UsageError('--roster must be a roster number (see: sanbao roster list)');
    const dept = required(department, 'department', PAYMENT_USAGE);
    return withDatabase(async (db) => {
      const division = await defaultDivision(db, divisionOf(values.division));
      const r = await payRoster(db, loadPolicies(policyDir), { year, rosterId, department: dept, division, reference, paidOn, actor: CLI_ACTOR });
      io.out(r.replayed
        ? `batch #${r.batchId} already paid ${formatYuan(r.amount)} yuan on behalf of ${r.persons} people of roster #${rosterId}, ${year}: no one is left to pay for, nothing recorded`
        : `batch #${r.batchId}: ${dept} paid ${formatYuan(r.amount)} yuan on behalf of ${r.persons} people of roster #${rosterId}, ${year}`);
      return EXIT_OK;
    });
  }
  if (sub === 'reverse') {
    const id = Number(required(values.id, 'id', PAYMENT_USAGE));
    if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError('--id must be a payment number');
    const reason = required(values.reason, 'reason', PAYMENT_USAGE);
    return withDatabase(async (db) => {
      const r = await reversePayment(db, { paymentId: id, reason, actor: CLI_ACTOR });
      io.out(`payment #${id} reversed; person ${r.payment.person_id} ${r.payment.year}: paid ${formatYuan(r.enrollment.paid_fen)} yuan, ${r.enrollment.status}`);
      return EXIT_OK;
    });
  }
  throw new UsageError(`usage: ${PAYMENT_USAGE}`);
}
