/** Files a county sends to set itself up without the demo: its divisions and its household register. */
import { idNumber } from './enrollment-fixture.ts';

export const DIVISIONS_CSV = [
  '区划代码,名称,藏文名称',
  '513330,德格县,སྡེ་དགེ་རྫོང་།',
  '513330001,更庆镇,རྡོ་རྗེ་གདན།',
  '513330001001,一村,གྲོང་ཚོ་དང་པོ།',
  '513330001002,二村,',
  '513330002,马尼干戈镇,མ་ཎི་གད་མགོ',
  '513330002001,三村,གྲོང་ཚོ་གསུམ་པ།',
].join('\n');

export interface RegisterLine {
  household: string;
  id: string;
  name?: string;
  nameBo?: string;
  relation?: string;
  phone?: string;
  village?: string;
}

export function registerCsv(lines: readonly RegisterLine[]): Buffer {
  const rows = lines.map((l) => [l.household, l.id, l.name ?? '测试', l.nameBo ?? '', l.relation ?? '户主', l.phone ?? '', l.village ?? '513330001001'].join(','));
  return Buffer.from(['户号,身份证号,姓名,藏文姓名,与户主关系,联系电话,村代码', ...rows].join('\n'), 'utf8');
}

/** Two households of the first village and one of the third. */
export const REGISTER: readonly RegisterLine[] = [
  { household: 'H-001', id: idNumber(9001), name: '次仁多吉', nameBo: 'ཚེ་རིང་རྡོ་རྗེ།', relation: '户主', phone: '13800001111' },
  { household: 'H-001', id: idNumber(9002), name: '卓玛', nameBo: 'སྒྲོལ་མ།', relation: '配偶' },
  { household: 'H-001', id: idNumber(9003), name: '扎西', relation: '子女' },
  { household: 'H-002', id: idNumber(9004), name: '格桑', relation: 'head', phone: '13800002222' },
  { household: 'H-003', id: idNumber(9005), name: '拉姆', relation: '户主', village: '513330002001' },
];
