/** A PostgreSQL URL whose connections use `schema` as their search path (tests' and benches' own schemas). */
export function schemaUrl(base: string, schema: string): string {
  return `${base}${base.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}
