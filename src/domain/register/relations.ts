/** Relations to the head of the household (与户主关系), as registers write them. */
export const RELATIONS = ['head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'child_in_law', 'other', 'member'] as const;
export type Relation = (typeof RELATIONS)[number];

const SYNONYMS: Record<string, Relation> = {
  户主: 'head', 本人: 'head', 配偶: 'spouse', 妻: 'spouse', 夫: 'spouse', 妻子: 'spouse', 丈夫: 'spouse',
  子: 'child', 女: 'child', 子女: 'child', 儿子: 'child', 女儿: 'child', 长子: 'child', 次子: 'child', 长女: 'child', 次女: 'child',
  父母: 'parent', 父亲: 'parent', 母亲: 'parent', 父: 'parent', 母: 'parent',
  孙子: 'grandchild', 孙女: 'grandchild', 孙子女: 'grandchild', 外孙子: 'grandchild', 外孙女: 'grandchild',
  祖父母: 'grandparent', 祖父: 'grandparent', 祖母: 'grandparent', 外祖父母: 'grandparent',
  兄弟姐妹: 'sibling', 兄: 'sibling', 弟: 'sibling', 姐: 'sibling', 妹: 'sibling',
  儿媳: 'child_in_law', 女婿: 'child_in_law', 其他: 'other', 成员: 'member',
};

/** The relation a cell names, in English (head, spouse …) or Chinese (户主, 配偶 …); null when unknown. */
export function parseRelation(raw: string): Relation | null {
  const text = raw.trim();
  const lower = text.toLowerCase();
  if ((RELATIONS as readonly string[]).includes(lower)) return lower as Relation;
  return SYNONYMS[text] ?? null;
}

/** A phone number as registers hold it: a mobile (11 digits from 1) or a landline with its area code. */
export function phoneProblem(raw: string): string | null {
  if (/^1\d{10}$/.test(raw) || /^0\d{2,3}-?\d{7,8}$/.test(raw)) return null;
  return raw === '' ? null : 'phone is not a mobile number (11 digits) or a landline with its area code';
}
