/**
 * Synthetic discharges for the DRG demo, tests and benchmark: reproducible
 * from a seed, shaped like the illustrative table's categories (plateau
 * conditions included), with a few coding errors and outliers as real lists
 * have. `costIndex` scales costs, so a year before the reform can cost more.
 */
import { prng } from './generate.ts';

interface Template {
  readonly principal: string;
  readonly procedures: readonly string[];
  /** Cost at a level-3 hospital, yuan; level 2 costs 60 %. */
  readonly cost: number;
  readonly days: number;
  readonly share: number;
  readonly female?: boolean;
}

const TEMPLATES: readonly Template[] = [
  { principal: 'I21.000x001', procedures: ['36.0700', '88.5500'], cost: 42_000, days: 8, share: 4 },
  { principal: 'I21.900', procedures: [], cost: 16_000, days: 9, share: 3 },
  { principal: 'I50.900', procedures: [], cost: 9_000, days: 10, share: 8 },
  { principal: 'I25.100', procedures: ['88.5600'], cost: 8_500, days: 5, share: 5 },
  { principal: 'I20.000', procedures: [], cost: 6_000, days: 7, share: 6 },
  { principal: 'I27.800x003', procedures: [], cost: 7_500, days: 11, share: 6 },
  { principal: 'I10.x00', procedures: [], cost: 4_200, days: 7, share: 9 },
  { principal: 'J44.100', procedures: [], cost: 7_800, days: 10, share: 10 },
  { principal: 'J18.900', procedures: [], cost: 5_200, days: 8, share: 9 },
  { principal: 'A15.000', procedures: [], cost: 8_800, days: 16, share: 3 },
  { principal: 'K35.800', procedures: ['47.0100'], cost: 11_000, days: 6, share: 5 },
  { principal: 'B67.000', procedures: ['50.2900x004'], cost: 36_000, days: 15, share: 2 },
  { principal: 'B67.000', procedures: [], cost: 6_500, days: 9, share: 1 },
  { principal: 'K80.200', procedures: ['51.2300'], cost: 14_000, days: 6, share: 4 },
  { principal: 'O80.000', procedures: [], cost: 3_200, days: 3, share: 9, female: true },
  { principal: 'O82.000', procedures: ['74.1x00'], cost: 8_200, days: 6, share: 6, female: true },
  { principal: 'D75.100x002', procedures: ['99.0400'], cost: 3_900, days: 6, share: 2 },
];
const SECONDARY = ['E87.100', 'E87.600', 'J96.000', 'N17.900', 'I48.x00', 'D62.x00', 'N39.000', 'E11.900', 'I10.x00', 'J18.900'];
const PICKS = TEMPLATES.flatMap((t) => Array<Template>(t.share).fill(t));

export interface DischargeOptions {
  readonly count: number;
  readonly seed: number;
  readonly year: number;
  readonly facilities: readonly { readonly code: string; readonly level: number }[];
  /** Cost scale in percent (100: the templates' costs). */
  readonly costIndex?: number;
  /** First number of the setl_id sequence. */
  readonly firstId?: number;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** The discharges as 4101 objects (amounts in fen), each naming its facility in `fixmedins_code`. */
export function* generateDischarges(o: DischargeOptions): Generator<Record<string, unknown>> {
  const random = prng(o.seed);
  const index = o.costIndex ?? 100;
  for (let n = 0; n < o.count; n++) {
    const facility = o.facilities[Math.floor(random() * o.facilities.length)]!;
    const t = PICKS[Math.floor(random() * PICKS.length)]!;
    const secondary = new Set<string>();
    const extra = random();
    const secondaryCount = extra < 0.55 ? 0 : extra < 0.85 ? 1 : 2;
    while (secondary.size < secondaryCount) secondary.add(SECONDARY[Math.floor(random() * SECONDARY.length)]!);
    secondary.delete(t.principal);
    const diag = [t.principal, ...secondary];
    if (t.female) diag.push('Z37.000');
    const error = random();
    // About 1 % carry a coding error a coder would catch: an unknown code, or a principal not allowed as principal.
    if (error < 0.005) diag[0] = 'I99.999x999';
    else if (error < 0.01) diag[0] = 'Z37.000';
    const month = 1 + Math.floor(random() * 12);
    const days = Math.max(1, Math.round(t.days * (0.6 + random() * 0.8)));
    const admission = new Date(Date.UTC(o.year, month - 1, 1 + Math.floor(random() * 20)));
    const discharge = new Date(admission.getTime() + days * 86_400_000);
    if (discharge.getUTCFullYear() !== o.year) discharge.setUTCFullYear(o.year, 11, 31);
    const stay = Math.max(1, Math.round((discharge.getTime() - admission.getTime()) / 86_400_000));
    const outlier = random();
    const spread = outlier < 0.01 ? 4 + random() * 2 : outlier < 0.02 ? 0.1 + random() * 0.1 : 0.7 + random() * 0.6;
    const level = facility.level >= 3 ? 100 : 60;
    const total = Math.round(t.cost * 100 * spread * (level / 100) * (index / 100) * (1 + 0.15 * secondary.size));
    const patient = Math.floor((total * (20 + Math.floor(random() * 15))) / 100);
    const fund = Math.floor(((total - patient) * 95) / 100);
    const items = [
      { med_chrgitm_type: '01', amt: Math.floor(total * 0.06) },
      { med_chrgitm_type: '09', amt: Math.floor(total * 0.3) },
      { med_chrgitm_type: '08', amt: Math.floor(total * 0.2) },
    ];
    items.push({ med_chrgitm_type: '05', amt: total - items.reduce((s, i) => s + i.amt, 0) });
    yield {
      fixmedins_code: facility.code,
      setl_id: `${facility.code}-${o.year}-${pad((o.firstId ?? 0) + n, 8)}`,
      mdtrt_id: `M${o.year}${pad(n, 8)}`,
      psn_no: `P${pad(Math.floor(random() * 90_000_000), 10)}`,
      gend: t.female ? '2' : random() < 0.5 ? '1' : '2',
      age: t.female ? 20 + Math.floor(random() * 20) : 30 + Math.floor(random() * 55),
      adm_time: admission.toISOString().slice(0, 10),
      dscg_time: discharge.toISOString().slice(0, 10),
      ipt_days: stay,
      dscg_way: random() < 0.97 ? '1' : '2',
      diseinfo: diag.map((c, i) => ({ diag_code: c, maindiag_flag: i === 0 ? '1' : '0' })),
      oprninfo: t.procedures.map((c, i) => ({ oprn_oprt_code: c, main_oprn_flag: i === 0 ? '1' : '0' })),
      iteminfo: items,
      medfee_sumamt: total,
      psn_selfpay: patient,
      fund_pay_sumamt: fund,
    };
  }
}
