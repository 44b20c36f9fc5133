/**
 * Claim review (智能审核) rules as data: which rules run and with what
 * parameters is the bureau's choice (stored, edited by an admin); what each
 * rule looks for is here. Rules flag, never block: a flagged bill is paid to the
 * patient as settled, and the bureau settles it with the hospital afterwards.
 */
export const RULE_IDS = [
  'duplicate_lines', // 重复收费: the same item, date, quantity and price twice in a bill
  'quantity_beyond_stay', // 超量: more units than the catalogue allows a day, or a stay
  'sex_restriction', // 限性别
  'age_restriction', // 限年龄
  'restricted_diagnosis', // 限定支付范围: a restricted item without its qualifying diagnosis
  'level_restriction', // 限医院等级: an item billed by a hospital below the level the catalogue allows
  'readmission', // 分解住院: readmitted for the same diagnosis within N days
  'concurrent_stays', // the same person in two hospitals at once
  'outpatient_splitting', // 分解门诊: several outpatient bills of one person at one facility in a day
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface RuleParams {
  /** readmission: days after discharge within which a new admission is suspect. */
  readonly days?: number;
  /** readmission: only at the same facility. */
  readonly sameFacility?: boolean;
  /** outpatient_splitting: outpatient bills a day at one facility before the next is flagged. */
  readonly maxPerDay?: number;
}

export interface RuleConfig {
  readonly id: RuleId;
  readonly enabled: boolean;
  readonly params: RuleParams;
}

export const DEFAULT_RULES: readonly RuleConfig[] = [
  { id: 'duplicate_lines', enabled: true, params: {} },
  { id: 'quantity_beyond_stay', enabled: true, params: {} },
  { id: 'sex_restriction', enabled: true, params: {} },
  { id: 'age_restriction', enabled: true, params: {} },
  { id: 'restricted_diagnosis', enabled: true, params: {} },
  { id: 'level_restriction', enabled: true, params: {} },
  { id: 'readmission', enabled: true, params: { days: 15, sameFacility: true } },
  { id: 'concurrent_stays', enabled: true, params: {} },
  { id: 'outpatient_splitting', enabled: true, params: { maxPerDay: 1 } },
];

export function isRuleId(id: string): id is RuleId {
  return (RULE_IDS as readonly string[]).includes(id);
}

/** The rule set in force: stored rows over the defaults (a rule missing from storage runs with its defaults). */
export function ruleSet(stored: readonly RuleConfig[]): ReadonlyMap<RuleId, RuleConfig> {
  const out = new Map<RuleId, RuleConfig>(DEFAULT_RULES.map((r) => [r.id, r]));
  for (const r of stored) out.set(r.id, { ...r, params: { ...out.get(r.id)?.params, ...r.params } });
  return out;
}
