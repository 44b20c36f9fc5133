/**
 * The real `sanbao` command, run as a child process: `sanbao quote < case.json`
 * (SPEC §5), `sanbao policies`, `sanbao policy check FILE`. Bad input exits
 * with code 2 and exactly one line on standard error.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BIN = join(ROOT, 'bin', 'sanbao.mjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sanbao(args: string[], stdin = '', env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** The SPEC §5 case. */
const EXAMPLE = {
  policy: 'lhasa-2025',
  person: { scheme: 'resident', identities: ['minimum_living'], status: 'in_service' },
  visit: { kind: 'inpatient', level: 2, date: '2025-06-01', outOfArea: false, filed: false, majorIllness: false },
  amounts: { total: 11_211_000, compliant: 9_800_000 },
  yearToDate: {
    basic: 0,
    criticalBase: 0,
    critical: 0,
    assistance: 0,
    assistanceMajor: 0,
    outpatientDeductibleUsed: 0,
    outpatientFund: 0,
    selfPay: 0,
  },
};

type Json = Record<string, unknown>;
/** The example with one field replaced (path "amounts.total", value), as JSON text. */
function withField(path: string, value: unknown): string {
  const copy = structuredClone(EXAMPLE) as unknown as Json;
  const keys = path.split('.');
  let target = copy;
  for (const key of keys.slice(0, -1)) target = target[key] as Json;
  if (value === undefined) delete target[keys.at(-1)!];
  else target[keys.at(-1)!] = value;
  return JSON.stringify(copy);
}

/** Exit code 2, nothing on stdout, exactly one line on stderr matching `pattern`. */
function expectBadInput(run: Run, pattern: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.replace(/\n$/, '').split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe('sanbao quote', () => {
  it('settles the SPEC §5 example', async () => {
    // basic: (9,800,000 − 30,000) × 85 % = 8,304,500; left 1,495,500
    // critical (minimum_living is tilted: threshold 500,000, 60 + 5 = 65 %): 995,500 × 65 % = 647,075; left 848,425
    // assistance (minimum_living 80 %): 848,425 × 80 % = 678,740; left 169,685
    // selfPay: 169,685 + (11,211,000 − 9,800,000 = 1,411,000) = 1,580,685
    const run = await sanbao(['quote'], JSON.stringify(EXAMPLE));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as Json;
    expect(out).toMatchObject({
      total: 11_211_000,
      compliant: 9_800_000,
      funds: { basic: 8_304_500, critical: 647_075, assistance: 678_740, supplementary: 0, tilt: 0 },
      selfPayCompliant: 169_685,
      selfPayExcluded: 1_411_000,
      selfPay: 1_580_685,
      alerts: [],
    });
    expect((out.steps as { fund: string; rule: string; amount: number }[]).map((s) => [s.fund, s.rule, s.amount])).toEqual([
      ['basic', 'basic.inpatient', 8_304_500],
      ['critical', 'critical.tilted', 647_075],
      ['assistance', 'assistance.ordinary', 678_740],
      ['supplementary', 'supplementary.not_applicable', 0],
      ['tilt', 'tilt.not_applicable', 0],
    ]);
  });

  it('defaults the year so far to zero and lists an alert when the bill crosses a line', async () => {
    // the same bill with 1,600,000 self-paid already: 1,600,000 + 1,580,685 = 3,180,685 > 3,135,800
    const run = await sanbao(['quote'], withField('yearToDate', { selfPay: 1_600_000 }));
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { alerts: Json[]; yearToDate: Json };
    expect(out.alerts).toEqual([
      {
        threshold: 'region_income',
        label: 'region per-capita disposable income 2024',
        amount: 3_135_800,
        yearlySelfPay: 3_180_685,
        risk: 'becoming_poor',
        departments: ['civil_affairs', 'county_bureau'],
      },
    ]);
    expect(out.yearToDate).toMatchObject({ basic: 8_304_500, chronicFund: 0, selfPay: 3_180_685 });
  });

  it.each<[string, string, RegExp]>([
    ['an unknown policy', withField('policy', 'atlantis-2025'), /^sanbao: UNKNOWN_POLICY: unknown policy "atlantis-2025"/],
    ['a negative amount', withField('amounts.total', -1), /^sanbao: INVALID_INPUT: amounts\.total: must not be negative/],
    ['a non-integer fen amount', withField('amounts.compliant', 9_800_000.5), /^sanbao: INVALID_INPUT: amounts\.compliant: must be an integer number of fen/],
    ['a string amount', withField('amounts.total', '11211000'), /^sanbao: INVALID_INPUT: amounts\.total: must be an integer number of fen/],
    ['a missing amount', withField('amounts.total', undefined), /^sanbao: INVALID_INPUT: amounts\.total: is required/],
    ['compliant above total', withField('amounts.compliant', 11_211_001), /^sanbao: INVALID_INPUT: amounts\.compliant: must not be more than total/],
    ['a date outside the policy', withField('visit.date', '2024-06-01'), /^sanbao: DATE_OUTSIDE_POLICY: visit date 2024-06-01 is outside policy lhasa-2025/],
    ['a date that does not exist', withField('visit.date', '2025-02-30'), /^sanbao: INVALID_INPUT: visit\.date: is not a real date/],
    ['an unknown identity', withField('person.identities', ['herder']), /^sanbao: INVALID_INPUT: person\.identities\.0/],
    ['a chronic visit without its class', withField('visit.kind', 'chronic'), /^sanbao: INVALID_INPUT: visit\.chronicClass: a chronic visit needs chronicClass/],
    ['a hospital level 4', withField('visit.level', 4), /^sanbao: INVALID_INPUT: visit\.level: must be a hospital level 0, 1, 2 or 3/],
    ['a negative year-to-date figure', withField('yearToDate.basic', -100), /^sanbao: INVALID_INPUT: yearToDate\.basic: must not be negative/],
    ['an unknown field', withField('amounts.discount', 5), /^sanbao: INVALID_INPUT: amounts: Unrecognized key/],
    ['an employee on a resident-only policy', JSON.stringify({ ...EXAMPLE, policy: 'dege-2025', person: { scheme: 'employee' } }), /^sanbao: SCHEME_NOT_COVERED: policy dege-2025 does not cover the employee scheme/],
    ['invalid JSON', '{ "policy": "lhasa-2025", ', /^sanbao: quote: not valid JSON/],
    ['a JSON array', '[1, 2]', /^sanbao: INVALID_INPUT: \(input\): Expected object, received array/],
    ['empty stdin', '', /^sanbao: quote: no input/],
    ['blank stdin', '  \n\n ', /^sanbao: quote: no input/],
  ])('%s → exit 2, one line on stderr', { concurrent: true }, async (_, stdin, pattern) => {
    expectBadInput(await sanbao(['quote'], stdin), pattern);
  });
});

describe('sanbao policies and sanbao policy check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanbao-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the reference policies', async () => {
    const run = await sanbao(['policies']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['dege-2025', 'lhasa-2024', 'lhasa-2025', 'haixi-2023']);
    expect(lines[1]).toMatch(/^lhasa-2024\s+540100 2024\s+contribution 380\.00 yuan/);
    expect(lines[0]).toMatch(/contribution 400\.00 yuan/);
  });

  it('lists them as JSON', async () => {
    const run = await sanbao(['policies', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const list = JSON.parse(run.stdout) as { id: string; year: number; region: { code: string } }[];
    expect(list.map((p) => [p.id, p.year, p.region.code])).toEqual([
      ['dege-2025', 2025, '513330'],
      ['lhasa-2024', 2024, '540100'],
      ['lhasa-2025', 2025, '540100'],
      ['haixi-2023', 2023, '632800'],
    ]);
  });

  it('checks a good policy file', async () => {
    const run = await sanbao(['policy', 'check', 'test/fixtures/policies/haixi-2023.yaml']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('test/fixtures/policies/haixi-2023.yaml: ok (haixi-2023, 海西蒙古族藏族自治州, 2023)');
  });

  it('refuses a bad policy file with exit 2, naming the file and the field', async () => {
    const file = join(dir, 'bad-2025.yaml');
    const good = readFileSync(join(ROOT, 'test', 'fixtures', 'policies', 'lhasa-2025.yaml'), 'utf8');
    writeFileSync(file, good.replace('id: lhasa-2025', 'id: bad-2025').replace('2: { deductible: 300, ratio: 85% }', '2: { deductible: 300, ratio: 120% }'));
    expectBadInput(await sanbao(['policy', 'check', file]), new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: benefits\\.resident\\.inpatient\\.levels\\.2\\.ratio: 120% is above 100%$`));
  });

  it('names the periods of a policy whose rules change in the year', async () => {
    const run = await sanbao(['policy', 'check', 'test/fixtures/policies/lhasa-2025.yaml']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('test/fixtures/policies/lhasa-2025.yaml: ok (lhasa-2025, 拉萨市, 2025); rules from 2025-01-01, 2025-09-01 by admission date');
  });

  it('refuses overlapping effective dates with exit 2, naming the file and the field', async () => {
    const file = join(dir, 'overlap-2025.yaml');
    const good = readFileSync(join(ROOT, 'test', 'fixtures', 'policies', 'lhasa-2025.yaml'), 'utf8');
    writeFileSync(file, good.replace('id: lhasa-2025', 'id: overlap-2025').replace('  - from: "2025-09-01"\n', '  - { from: "2025-06-01", to: "2025-09-10", benefits: {} }\n  - from: "2025-09-01"\n'));
    expectBadInput(await sanbao(['policy', 'check', file]), new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: changes\\.1\\.from: 2025-09-01 overlaps changes\\.0\\.to \\(to 2025-09-10\\)$`));
  });

  it('refuses a missing file with exit 2', async () => {
    expectBadInput(await sanbao(['policy', 'check', join(dir, 'nowhere-2025.yaml')]), /^sanbao: policy check: no file .*nowhere-2025\.yaml$/);
  });

  it('quotes against a folder of policies given with --policies', async () => {
    const folder = mkdtempSync(join(dir, 'policies-'));
    const good = readFileSync(join(ROOT, 'test', 'fixtures', 'policies', 'lhasa-2025.yaml'), 'utf8');
    // a county that pays 95 % at level 2: (9,800,000 − 30,000) × 95 % = 9,281,500
    writeFileSync(join(folder, 'test-2025.yaml'), good.replace('id: lhasa-2025', 'id: test-2025').replace('2: { deductible: 300, ratio: 85% }', '2: { deductible: 300, ratio: 95% }'));
    const run = await sanbao(['quote', '--policies', folder], withField('policy', 'test-2025'));
    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { funds: { basic: number } }).funds.basic).toBe(9_281_500);
  });

  it('an unknown command exits 2', async () => {
    expectBadInput(await sanbao(['frobnicate']), /^sanbao: unknown command "frobnicate"/);
  });
});

describe('sanbao roster import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sanbao-roster-'));
  chmodSync(dir, 0o755); // run as root, the embedded PostgreSQL's own user must pass through to data/
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a roster with no valid rows on exactly one stderr line: no progress line before the error', async () => {
    const file = join(dir, 'empty.csv');
    writeFileSync(file, 'id_number,name,division_code\n');
    const env: NodeJS.ProcessEnv = { ...process.env, SANBAO_DATA_DIR: join(dir, 'data') };
    delete env.DATABASE_URL;
    const run = await sanbao(['roster', 'import', file, '--mode', 'add', '--department', 'civil_affairs', '--identity', 'minimum_living', '--from', '2025-01-01'], '', env);
    expectBadInput(run, /^sanbao: EMPTY_ROSTER: /);
  });
});
