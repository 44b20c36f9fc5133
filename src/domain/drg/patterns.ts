/**
 * Code patterns of a group table: an exact code (`I21.000x001`) or a prefix
 * ending in `*` (`I21*` covers every code starting with I21). Indexed by stem so
 * a look-up costs one map probe per character of the code, not a scan.
 */
export interface Pattern {
  readonly stem: string;
  readonly prefix: boolean;
}

export function parsePattern(text: string): Pattern {
  return text.endsWith('*') ? { stem: text.slice(0, -1), prefix: true } : { stem: text, prefix: false };
}

export function showPattern(p: Pattern): string {
  return p.prefix ? `${p.stem}*` : p.stem;
}

/** True when some code matches both patterns. */
export function patternsOverlap(a: Pattern, b: Pattern): boolean {
  if (a.prefix && b.prefix) return a.stem.startsWith(b.stem) || b.stem.startsWith(a.stem);
  if (a.prefix) return b.stem.startsWith(a.stem);
  if (b.prefix) return a.stem.startsWith(b.stem);
  return a.stem === b.stem;
}

export function matchesAny(patterns: readonly Pattern[], code: string): Pattern | undefined {
  return patterns.find((p) => (p.prefix ? code.startsWith(p.stem) : code === p.stem));
}

/** Pattern → owners; matching returns every owner with a pattern covering the code, and the pattern. */
export class PatternIndex<T> {
  private readonly exact = new Map<string, { owner: T; pattern: Pattern }[]>();
  private readonly prefixes = new Map<string, { owner: T; pattern: Pattern }[]>();
  private longest = 0;

  add(pattern: Pattern, owner: T): void {
    const map = pattern.prefix ? this.prefixes : this.exact;
    const list = map.get(pattern.stem);
    if (list) list.push({ owner, pattern });
    else map.set(pattern.stem, [{ owner, pattern }]);
    if (pattern.prefix) this.longest = Math.max(this.longest, pattern.stem.length);
  }

  /** Owners covering the code, most specific pattern first. */
  match(code: string): { owner: T; pattern: Pattern }[] {
    const out: { owner: T; pattern: Pattern }[] = [];
    const exact = this.exact.get(code);
    if (exact) out.push(...exact);
    for (let k = Math.min(code.length, this.longest); k >= 0; k--) {
      const hit = this.prefixes.get(code.slice(0, k));
      if (hit) out.push(...hit);
    }
    return out;
  }

  /** The first owner covering the code (the most specific), if any. */
  first(code: string): { owner: T; pattern: Pattern } | undefined {
    const exact = this.exact.get(code);
    if (exact) return exact[0];
    for (let k = Math.min(code.length, this.longest); k >= 0; k--) {
      const hit = this.prefixes.get(code.slice(0, k));
      if (hit) return hit[0];
    }
    return undefined;
  }

  /**
   * Pairs of different owners whose patterns overlap (a code would match both).
   * Each pair once, with the two patterns.
   */
  overlaps(): { a: T; b: T; pa: Pattern; pb: Pattern }[] {
    const out: { a: T; b: T; pa: Pattern; pb: Pattern }[] = [];
    const all = [...this.exact.values(), ...this.prefixes.values()].flat();
    const number = new Map(all.map((item, i) => [item, i]));
    const seen = new Set<string>();
    const note = (x: { owner: T; pattern: Pattern }, y: { owner: T; pattern: Pattern }) => {
      if (x.owner === y.owner) return;
      const [i, j] = [number.get(x)!, number.get(y)!].sort((m, n) => m - n);
      const key = `${i}-${j}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ a: x.owner, b: y.owner, pa: x.pattern, pb: y.pattern });
    };
    for (const item of all) {
      // Every prefix pattern covering this item's stem (its own stem included) competes with it.
      for (let k = item.pattern.stem.length; k >= 0; k--) {
        for (const other of this.prefixes.get(item.pattern.stem.slice(0, k)) ?? []) if (other !== item) note(other, item);
      }
      if (!item.pattern.prefix) for (const other of this.exact.get(item.pattern.stem) ?? []) if (other !== item) note(other, item);
    }
    return out;
  }
}
