/** The `sanbao` command: one entry, one error handler, each command a caller of the services. */
import { takeFlag, takeOption } from './args.ts';
import { EXIT_OK, processIo, reportError, UsageError, type Io } from './io.ts';
import { policiesCommand, policyCheckCommand, quoteCommand } from './policy-commands.ts';

const HELP = `sanbao — medical-insurance administration (三保)

Usage:
  sanbao quote < case.json        trial calculation of one bill (SPEC §5), JSON out
  sanbao policies [--json]        list the policies
  sanbao policy check FILE        validate a policy file
  sanbao serve [--demo small|full|none]   run the service (PORT, DATABASE_URL, SANBAO_DATA_DIR); npm start -- --demo full
  sanbao facility add --code H51333000001 --name N --level 0-3 --division CODE   a designated hospital/pharmacy and its API key
  sanbao facility list | rotate-key CODE
  sanbao staff add|list|disable|enable|reset-password|set-roles …   staff accounts (sanbao staff help)
  sanbao ledger verify [--json]        the fund ledger: trial balance zero, equal to its sources (exit 1 names the first difference)
  sanbao ledger balance | receive --fund F --kind finance|subsidy|transfer_in --amount YUAN --year Y --reference R
  sanbao reconcile submit --facility C FILE.json | list [--status open] | follow-up --id N --status explained|resolved --note T
  sanbao clearing run --month M [--facility C] | year-end --facility C --year Y --assessment 90% | list [--period P]
  sanbao clearing statement --id N --out FILE [--format csv|pdf] | bank-account --facility C --account N --name N --bank B
  sanbao clearing batch --period P --reference R --out FILE [--format csv|xlsx]   the bank file (docs/bank-batch.md; SANBAO_BANK_KEY)
  sanbao audit verify                  check the audit log's hash chain (exit 1 names the first broken row)
  sanbao backup --out FILE             the whole database into one file (gzip), beside the running service too
  sanbao db stats [--json]             bytes per table and per settlement (what a year of bills costs on disk)
  sanbao restore FILE [--force]        a backup into an empty database (--force: replace everything in it)
  sanbao monitor run --month 2025-06 [--full]   raise missed alerts, the month's statistics (--full: recompute from every settlement)
  sanbao monitor schedule [--month M --at T]   schedule a monthly run (default: the next one, on the 15th)
  sanbao monitor status [--json]       monthly-run jobs, runs and the push outbox
  sanbao monitor distrust --year 2025 --reason "…"   alerts imported or deleted outside real time: the year's runs read everyone changed
  sanbao monitor deliver               deliver the due pushes to the departments once
  sanbao monitor list --department D [--all] [--division CODE]   a department's pushes as CSV (changes nothing; audited)
  sanbao monitor mark-delivered --department D --up-to N [--division CODE]   the listed pushes delivered, their cases pushed
  sanbao demo [--size small|full] [--seed N]   load a synthetic Dege-like county (full: 80,714 people)
  sanbao roster import FILE --mode replace|add|end --department D --identity I --from DATE [--to DATE] [--division CODE]
                       [--confirm-end N] [--correct-register] [--skip-bad-rows] [--dry-run]   (replace needs --division)
  sanbao roster list                   identity rosters imported (CSV or XLSX from partner departments)
  sanbao campaign open|status --year Y [--division CODE]   compute every resident's contribution and subsidy / progress
  sanbao payment record --person ID_NUMBER --year Y --amount YUAN [--paid-on DATE] [--exemption GROUP] [--department D] [--reference R]
                                       prints the receipt number and, when paid up, the day cover starts (waiting period outside the window)
  sanbao payment bulk --roster N --year Y --department D [--paid-on DATE]   a department pays on behalf of a roster's people (idempotent)
  sanbao payment reverse --id N --reason TEXT
  sanbao payment receipt --id N [--out FILE.html|FILE.pdf] [--lang zh-CN|bo]   the printable receipt: HTML (both languages) or PDF
  sanbao payment tax-import FILE [--dry-run] [--skip-bad-rows]   the tax bureau's collection file (CSV/XLSX, README)
  sanbao payment reconcile --year Y [--division CODE] [--json]   tax file against Sanbao's payments: matched / only in one / amount differs
  sanbao report coverage|unenrolled|subsidies --year Y [--division CODE] [--format csv|xlsx --out FILE]
  sanbao household CODE --year Y       members, identities, what each pays and the household's total
  sanbao division import FILE [--dry-run] [--skip-bad-rows]   townships and villages (code, Chinese and Tibetan names), CSV or XLSX
  sanbao division list [--division CODE]                      the division registry
  sanbao household import FILE [--dry-run] [--skip-bad-rows] [--correct-register]   a household register, CSV or XLSX (README)
  sanbao year close YEAR [--note T] | year list   close a year: its bills then change only through a year-end correction
  sanbao year open YEAR                 at the turn of the year: the year's partitions of the settlement tables, new bills' ids in its range
  sanbao year correct --facility C --transaction TX --reversal-id R --reason TEXT   reverse a bill of a closed year
  sanbao catalogue import --kind diagnoses|procedures FILE [--skip-bad-rows]   code lists (ICD-10, ICD-9-CM-3) from CSV/XLSX
  sanbao catalogue list --kind diagnoses|procedures [--prefix P] [--json]
  sanbao drg import FILE [--facility CODE] [--skip-bad-rows]   settlement lists (CSV/XLSX in yuan, JSON 4101 in fen), checked and grouped
  sanbao drg group (--year Y | --month M | --from D --to D) [--table ID|FILE]   group (again) with a table; ungroupable named
  sanbao drg rates --policy ID --history-year Y   weights from the trimmed history, base rate per hospital level from the budget
  sanbao drg pay --policy ID --month M            each discharge's DRG payment, stored for the clearing
  sanbao drg report --policy ID [--json]          coverage, CMI, cost per case and stay year on year, surplus, outliers
  sanbao drg demo [--discharges 15200]            a Haixi-like prefecture's DRG hospitals, two years of discharges, paid under haixi-2023
  sanbao catalogue import|check FILE [--kind items|chronic] [--region national|CODE] [--skip-bad-rows]   medical-insurance catalogues
  sanbao catalogue list [--kind items|chronic] [--format json]   the catalogue in force today (--date D, --all)
  sanbao review run --from D --to D    claim review (智能审核) of the period's settlements; stats [--json]; rules
  sanbao account credit --month YYYY-MM   credit every employee's personal account for the month (once; progress)
  sanbao account set-base|link|unlink|statement …   contribution base, family sharing (家庭共济), yearly statement (sanbao account help)
  sanbao out-of-area report --region CODE --year Y [--json] | import FILE --region CODE [--skip-bad-rows]   out-of-area statistics both ways; the clearing list

Options: --policies DIR (a folder of policy files instead of the reference ones)
Bad input: exit code 2 and one line on stderr.`;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const args = [...argv];
  try {
    // The same folder the service reads (SANBAO_POLICY_DIR), unless --policies names another.
    const policyDir = takeOption(args, '--policies') ?? (process.env.SANBAO_POLICY_DIR || undefined);
    const [command, ...rest] = args;
    switch (command) {
      case 'quote':
        return await quoteCommand(io, policyDir);
      case 'policies':
        return policiesCommand(io, policyDir, takeFlag(rest, '--json'));
      case 'policy':
        if (rest[0] !== 'check') throw new UsageError('usage: sanbao policy check FILE');
        return policyCheckCommand(io, rest[1]);
      case 'monitor': {
        const { monitorCommand } = await import('./monitor-command.ts');
        return await monitorCommand(io, rest, policyDir);
      }
      case 'demo':
        return await (await import('./demo-command.ts')).demoCommand(io, rest, policyDir);
      case 'roster':
        return await (await import('./enrollment-commands.ts')).rosterCommand(io, rest);
      case 'campaign':
        return await (await import('./enrollment-commands.ts')).campaignCommand(io, rest, policyDir);
      case 'payment':
        return await (await import('./enrollment-commands.ts')).paymentCommand(io, rest, policyDir);
      case 'report':
        return await (await import('./report-commands.ts')).reportCommand(io, rest);
      case 'household':
        if (rest[0] === 'import') return await (await import('./register-commands.ts')).householdImportCommand(io, rest.slice(1));
        return await (await import('./report-commands.ts')).householdCommand(io, rest, policyDir);
      case 'division':
        return await (await import('./register-commands.ts')).divisionCommand(io, rest);
      case 'year':
        return await (await import('./year-command.ts')).yearCommand(io, rest, policyDir);
      case 'drg':
        return await (await import('./drg-command.ts')).drgCommand(io, rest);
      case 'catalogue':
        return await (await import('./catalogue-command.ts')).catalogueCommand(io, rest);
      case 'account':
        return await (await import('./account-command.ts')).accountCommand(io, rest, policyDir);
      case 'out-of-area':
        return await (await import('./out-of-area-command.ts')).outOfAreaCommand(io, rest, policyDir);
      case 'review':
        return await (await import('./review-command.ts')).reviewCommand(io, rest);
      case 'facility': {
        const { facilityCommand } = await import('./facility-command.ts');
        return await facilityCommand(io, rest);
      }
      case 'reconcile':
        return await (await import('./fund-commands.ts')).reconcileCommand(io, rest, policyDir);
      case 'clearing':
        return await (await import('./fund-commands.ts')).clearingCommand(io, rest, policyDir);
      case 'ledger':
        return await (await import('./ledger-command.ts')).ledgerCommand(io, rest);
      case 'audit':
        return await (await import('./audit-command.ts')).auditCommand(io, rest);
      case 'staff':
        return await (await import('./staff-command.ts')).staffCommand(io, rest);
      case 'backup':
        return await (await import('./backup-command.ts')).backupCommand(io, rest);
      case 'db':
        return await (await import('./db-command.ts')).dbCommand(io, rest);
      case 'restore':
        return await (await import('./backup-command.ts')).restoreCommand(io, rest);
      case 'serve': {
        const { serveCommand } = await import('./serve-command.ts');
        return await serveCommand(io, rest);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(HELP);
        return EXIT_OK;
      default:
        throw new UsageError(`unknown command "${command}" (try: sanbao help)`);
    }
  } catch (error) {
    return reportError(error, io);
  }
}
