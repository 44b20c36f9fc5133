/**
 * A synthetic county shaped like Dege (SPEC §3.1): townships, villages,
 * households and people with identities in the seeds' proportions. Pure and
 * reproducible: the same options and seed give the same county.
 */
import { makeIdNumber } from '../domain/id-number.ts';
import type { Identity } from '../domain/vocabulary.ts';
import { ATTESTING_DEPARTMENT } from '../domain/vocabulary.ts';

export interface DemoOptions {
  readonly seed: number;
  readonly persons: number;
  readonly townships: number;
  readonly villagesPerTownship: number;
  readonly countyCode: string;
  readonly countyName: string;
  readonly year: number;
}

export const SMALL_DEMO: DemoOptions = {
  seed: 2025,
  persons: 400,
  townships: 4,
  villagesPerTownship: 3,
  countyCode: '513330',
  countyName: '德格县',
  year: 2025,
};

/** Dege county 2025: 80,714 people in about 20,000 households (1 to 7 members, 4 on average), 26 townships of 6 villages. */
export const FULL_DEMO: DemoOptions = { ...SMALL_DEMO, persons: 80_714, townships: 26, villagesPerTownship: 6 };

/** Identity shares of Dege 2025 (seed 000) per 80,714 residents, plus illustrative others. */
export const IDENTITY_SHARES: readonly (readonly [Identity, number])[] = [
  ['extreme_poverty', 783 / 80_714],
  ['severe_disability', 1_865 / 80_714],
  ['special_care', 90 / 80_714],
  ['minimum_living', 14_684 / 80_714],
  ['monitored', 1_768 / 80_714],
  ['poverty_alleviated', 0.12], // illustrative
  ['low_income_margin', 0.02], // illustrative
];

export interface DemoDivision {
  code: string;
  name: string;
  /** null where the demo has no Tibetan name (pages fall back to Chinese). */
  nameBo: string | null;
  nameEn: string;
  level: 1 | 2 | 3;
  parentCode: string | null;
}
export interface DemoHousehold {
  code: string;
  divisionCode: string;
  incomeFen: number;
}
export interface DemoPerson {
  idNumber: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  divisionCode: string;
  householdCode: string;
  relation: string;
  phone: string | null;
  qrToken: string;
}
export interface DemoIdentity {
  idNumber: string;
  identity: Identity;
  validFrom: string;
  department: string;
}
export interface DemoFacility {
  code: string;
  name: string;
  level: 0 | 1 | 2 | 3;
  kind: 'hospital' | 'pharmacy' | 'clinic';
  divisionCode: string;
  apiKey: string;
}
export interface DemoCounty {
  divisions: DemoDivision[];
  households: DemoHousehold[];
  persons: DemoPerson[];
  identities: DemoIdentity[];
  facilities: DemoFacility[];
}

/** Dege's 26 townships (6 towns, 20 townships); Tibetan names where the demo has them. */
const TOWNSHIPS: readonly (readonly [string, string | null, string])[] = [
  ['更庆镇', 'སྡེ་དགེ་དགོན་ཆེན།', 'Gengqing'],
  ['马尼干戈镇', 'མ་ཎི་གད་མགོ།', 'Manigango'],
  ['竹庆镇', 'རྫོགས་ཆེན།', 'Zhuqing'],
  ['阿须镇', 'ཨ་ཤུལ།', 'Axu'],
  ['错阿镇', 'མཚོ་ཁ།', "Cuo'a"],
  ['麦宿镇', 'སྨད་ཟུར།', 'Maisu'],
  ['柯洛洞乡', 'ཁོ་ལོ་ལྡོང་།', 'Keluodong'],
  ['八邦乡', 'དཔལ་སྤུངས།', 'Babang'],
  ['白垭乡', null, 'Baiya'],
  ['汪布顶乡', null, 'Wangbuding'],
  ['卡松渡乡', null, 'Kasongdu'],
  ['岳巴乡', null, 'Yueba'],
  ['俄南乡', null, "E'nan"],
  ['俄支乡', null, 'Ezhi'],
  ['玉隆乡', null, 'Yulong'],
  ['中扎科乡', null, 'Zhongzhake'],
  ['打滚乡', null, 'Dagun'],
  ['燕达乡', null, 'Yanda'],
  ['温拖乡', null, 'Wentuo'],
  ['亚丁乡', null, 'Yading'],
  ['龚垭乡', null, 'Gongya'],
  ['所巴乡', null, 'Suoba'],
  ['普马乡', null, 'Puma'],
  ['年古乡', null, 'Niangu'],
  ['窝公乡', null, 'Wogong'],
  ['浪多乡', null, 'Langduo'],
];

const GIVEN = ['扎西', '次仁', '多吉', '卓玛', '拉姆', '格桑', '央金', '丹增', '尼玛', '达瓦', '白玛', '措姆', '益西', '旺堆', '平措', '德吉', '泽仁', '降措', '曲珍', '根秋'];

/** mulberry32: a small, fast, seeded PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

export function generateCounty(options: DemoOptions): DemoCounty {
  const random = prng(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const county = options.countyCode;
  const divisions: DemoDivision[] = [
    { code: county, name: options.countyName, nameBo: 'སྡེ་དགེ་རྫོང་།', nameEn: 'Dege County', level: 1, parentCode: null },
  ];
  const villages: string[] = [];
  for (let t = 1; t <= options.townships; t++) {
    const code = `${county}${pad(t, 3)}`;
    const [zh, bo, en] = TOWNSHIPS[(t - 1) % TOWNSHIPS.length]!;
    const suffix = t > TOWNSHIPS.length ? String(Math.ceil(t / TOWNSHIPS.length)) : '';
    divisions.push({ code, name: `${zh}${suffix}`, nameBo: bo === null ? null : `${bo}${suffix}`, nameEn: `${en}${suffix ? ` ${suffix}` : ''}`, level: 2, parentCode: county });
    for (let v = 1; v <= options.villagesPerTownship; v++) {
      const vcode = `${code}${pad(v, 3)}`;
      divisions.push({ code: vcode, name: `${zh}${suffix}${v}村`, nameBo: bo === null ? null : `${bo}${suffix} ${v}`, nameEn: `${en}${suffix} village ${v}`, level: 3, parentCode: code });
      villages.push(vcode);
    }
  }

  const households: DemoHousehold[] = [];
  const persons: DemoPerson[] = [];
  const identities: DemoIdentity[] = [];
  const used = new Set<string>();
  let sequence = 0;
  while (persons.length < options.persons) {
    const village = villages[households.length % villages.length]!;
    const size = Math.min(options.persons - persons.length, 1 + Math.floor(random() * 7));
    const hcode = `${village}-${pad(households.length + 1, 6)}`;
    households.push({ code: hcode, divisionCode: village, incomeFen: (12_000 + Math.floor(random() * 60_000)) * 100 * size });
    const householdIdentities = new Set<Identity>();
    for (const [identity, share] of IDENTITY_SHARES) {
      if (identity !== 'severe_disability' && identity !== 'special_care' && random() < share) householdIdentities.add(identity);
    }
    for (let m = 0; m < size; m++) {
      const sex = random() < 0.5 ? 'M' : 'F';
      const age = m === 0 ? 25 + Math.floor(random() * 50) : Math.floor(random() * 85);
      const birthDate = `${options.year - age}-${pad(1 + Math.floor(random() * 12), 2)}-${pad(1 + Math.floor(random() * 28), 2)}`;
      let idNumber: string;
      do idNumber = makeIdNumber(county, birthDate, sequence++ % 1000, sex);
      while (used.has(idNumber));
      used.add(idNumber);
      persons.push({
        idNumber,
        name: `${pick(GIVEN)}${pick(GIVEN)}`,
        sex,
        birthDate,
        divisionCode: village,
        householdCode: hcode,
        relation: m === 0 ? 'head' : 'member',
        phone: m === 0 || random() < 0.3 ? `1${pick(['38', '39', '58', '80', '99'])}${pad(Math.floor(random() * 1e8), 8)}` : null,
        qrToken: `qr_${options.seed}_${pad(persons.length + 1, 8)}_${Math.floor(random() * 1e9).toString(36)}`,
      });
      const own = new Set(householdIdentities);
      if (random() < 1_865 / 80_714) own.add('severe_disability');
      if (random() < 90 / 80_714) own.add('special_care');
      for (const identity of own) {
        identities.push({ idNumber, identity, validFrom: `${options.year - 1}-01-01`, department: ATTESTING_DEPARTMENT[identity] });
      }
    }
  }

  // Out of area: a hospital in Lhasa, for direct settlement across regions (异地就医).
  divisions.push({ code: '540102', name: '拉萨市城关区', nameBo: 'ལྷ་ས་ཁྲིན་ཀོན་ཆུས།', nameEn: 'Chengguan, Lhasa', level: 1, parentCode: null });
  const township1 = `${county}001`;
  const facilities: DemoFacility[] = [
    { code: 'H51333000001', name: '德格县人民医院', level: 2, kind: 'hospital', divisionCode: county, apiKey: 'sb_demo_dege_county_hospital' },
    { code: 'H51333000002', name: '德格县藏医院', level: 2, kind: 'hospital', divisionCode: county, apiKey: 'sb_demo_dege_tibetan_hospital' },
    { code: 'H51333000101', name: '更庆镇卫生院', level: 1, kind: 'clinic', divisionCode: township1, apiKey: 'sb_demo_gengqing_clinic' },
    { code: 'H54010200001', name: '西藏自治区人民医院', level: 3, kind: 'hospital', divisionCode: '540102', apiKey: 'sb_demo_tibet_regional_hospital' },
  ];
  return { divisions, households, persons, identities, facilities };
}
