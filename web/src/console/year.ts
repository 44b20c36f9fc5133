/** The year the console shows by default: the latest year a policy covers, not later than this year. */
import { get } from '../api-client.ts';

let cached: Promise<number> | undefined;

export function defaultYear(): Promise<number> {
  cached ??= get('/api/v1/policies', {}).then((r) => {
    const now = new Date().getFullYear();
    const years = r.items.map((p) => p.year).filter((y) => y <= now);
    return years.length ? Math.max(...years) : now;
  });
  return cached;
}
