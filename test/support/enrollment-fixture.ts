/** Helpers for the enrollment tests: divisions of three regions, roster files, valid ID numbers. */
import { makeIdNumber } from '../../src/domain/id-number.ts';
import type { Db } from '../../src/store/db.ts';

/** Dege (513330), Chengguan in Lhasa (540102) and Delingha in Haixi (632802), each with a township and two villages. */
export async function seedDivisions(db: Db): Promise<void> {
  await db.query(`INSERT INTO divisions (code, name, level, parent_code) VALUES
    ('513330', '德格县', 1, NULL),
    ('513330001', '更庆镇', 2, '513330'), ('513330001001', '一村', 3, '513330001'), ('513330001002', '二村', 3, '513330001'),
    ('513330002', '马尼干戈镇', 2, '513330'), ('513330002001', '三村', 3, '513330002'),
    ('540102', '拉萨市城关区', 1, NULL), ('540102001', '八廓街道', 2, '540102'), ('540102001001', '冲赛康社区', 3, '540102001'),
    ('632802', '德令哈市', 1, NULL), ('632802001', '河西街道', 2, '632802'), ('632802001001', '一社区', 3, '632802001')
    ON CONFLICT (code) DO NOTHING`);
}

/** The n-th test ID number: valid check digit, distinct for each n. */
export function idNumber(n: number, region = '513330'): string {
  const year = 1950 + (n % 60);
  return makeIdNumber(region, `${year}-0${1 + (n % 9)}-1${n % 10}`, 100 + Math.floor(n / 60) * 2 + (n % 2), n % 2 ? 'M' : 'F');
}

export interface RosterLine {
  id: string;
  name?: string;
  division?: string;
  from?: string;
  to?: string;
}

/** A roster as a department sends it, with the Chinese header. */
export function rosterCsv(lines: readonly RosterLine[]): Buffer {
  const rows = lines.map((l) => [l.id, l.name ?? '测试', l.division ?? '513330001001', l.from ?? '', l.to ?? ''].join(','));
  return Buffer.from(['身份证号,姓名,行政区划,起始日期,终止日期', ...rows].join('\n'), 'utf8');
}
