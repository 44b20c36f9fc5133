/** The default one-time-code sender writes a log file: the code, and the ID number masked. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { logFileOtpSender } from './resident-auth.ts';

const dir = mkdtempSync(join(tmpdir(), 'sanbao-otp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('logFileOtpSender', () => {
  it('appends the time, the masked ID number and the code; never the full ID number or the phone', async () => {
    const file = join(dir, 'data', 'otp.log');
    await logFileOtpSender(file).send({ personId: 7, idNumber: '513330199001011234', phone: '13812345678', code: '042917' });
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^\S+ 513330\*{8}1234 042917\n$/);
    expect(text).not.toContain('513330199001011234');
    expect(text).not.toContain('13812345678');
  });
});
