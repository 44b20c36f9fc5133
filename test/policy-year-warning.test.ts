/**
 * The demo logged "no policy covers 2026" from the monthly monitoring job at every
 * first start in 2026 (the shipped policies end in 2025). A service with no policy
 * for the current year says so once — at start, and when the year turns — naming
 * the years it has and the policy folder; the job that meets it no longer warns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { bureauYear } from '../src/domain/bureau-time.ts';
import { policyYearWarning } from '../src/domain/policy/year-coverage.ts';
import { runDueJobs } from '../src/jobs/monitoring-jobs.ts';
import { startService } from '../src/server.ts';
import { watchPolicyYear } from '../src/service/policy-year-watch.ts';
import { createTestDb } from './support/db.ts';
import { FIXTURE_POLICY_DIR, loadFixturePolicies } from './support/policies.ts';

const policies = loadFixturePolicies(); // dege-2025, haixi-2023, lhasa-2024, lhasa-2025
const dir = mkdtempSync(join(tmpdir(), 'sanbao-policy-year-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the current year without a policy', () => {
  it('is told with the years covered, what is refused, the policy folder and how to check a file', () => {
    const warning = policyYearWarning(policies, '/srv/sanbao/policies', new Date('2026-11-27T04:00:00Z'));
    expect(warning).toMatch(/^no policy covers 2026 \(today is 2026-11-27, Beijing time; the policies loaded cover 2023, 2024, 2025 \(/);
    expect(warning).toContain('dege-2025');
    expect(warning).toContain('Nobody can be enrolled for 2026, so bills dated 2026 are refused (422)');
    expect(warning).toContain("Add the bureau's 2026 policy file to /srv/sanbao/policies");
    expect(warning).toContain('npx sanbao policy check FILE');
    expect(policyYearWarning(policies, '/p', new Date('2025-06-01T00:00:00Z'))).toBeUndefined();
  });

  it('follows the year in Beijing time, not the server clock', () => {
    // 31 December 2025, 16:30 UTC is already 1 January 2026 in Beijing.
    expect(policyYearWarning(policies, '/p', new Date('2025-12-31T15:59:00Z'))).toBeUndefined();
    expect(policyYearWarning(policies, '/p', new Date('2025-12-31T16:30:00Z'))).toMatch(/^no policy covers 2026 \(today is 2026-01-01/);
  });

  it('is said once at start and once more when the year turns, never every hour', async () => {
    let now = new Date('2026-03-01T00:00:00Z');
    const warn = vi.fn<(message: string) => void>();
    const watch = watchPolicyYear({ policies, policyDir: '/p', warn, now: () => now, intervalMs: 5 });
    expect(watch.warning).toMatch(/^no policy covers 2026/);
    await new Promise((r) => setTimeout(r, 40));
    expect(warn).not.toHaveBeenCalled(); // the start's warning is printed by sanbao serve, not logged again
    now = new Date('2027-01-02T00:00:00Z');
    await new Promise((r) => setTimeout(r, 40));
    watch.stop();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/^no policy covers 2027/);

    const covered = watchPolicyYear({ policies, policyDir: '/p', warn: vi.fn(), now: () => new Date('2025-05-01T00:00:00Z') });
    covered.stop();
    expect(covered.warning).toBeUndefined();
  });

  it('the monthly job that meets it records the failure without warning again', async () => {
    const t = await createTestDb();
    try {
      const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
      expect(await runDueJobs({ db: t.db, policies, log }, new Date('2026-11-27T04:00:00Z'))).toMatchObject({ month: '2026-10' });
      expect(await t.db.query(`SELECT status, last_error FROM monitoring_jobs WHERE month = '2026-10'`)).toEqual([{ status: 'failed', last_error: 'no policy covers 2026' }]);
      expect(log.warn).not.toHaveBeenCalled();
      expect(log.error).not.toHaveBeenCalled();
      expect(log.info).toHaveBeenCalledWith(expect.objectContaining({ month: '2026-10' }), expect.stringContaining('no policy for its year'));
    } finally {
      await t.drop();
    }
  });

  it('the running service carries the warning exactly when its policies miss the current year', async () => {
    const service = await startService({ ...loadConfig({ SANBAO_DATA_DIR: dir, SANBAO_DEMO: 'none', SANBAO_POLICY_DIR: FIXTURE_POLICY_DIR }), port: 0, logLevel: 'silent' });
    try {
      const year = bureauYear(new Date());
      if (policies.list().some((p) => p.year === year)) expect(service.policyWarning).toBeUndefined();
      else expect(service.policyWarning).toContain(`no policy covers ${year}`);
      expect(service.policyWarning ?? FIXTURE_POLICY_DIR).toContain(FIXTURE_POLICY_DIR);
    } finally {
      await service.close();
    }
  });
});
