/** The year the console shows by default: the latest year a policy covers, not later than this year. */
import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';
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

/**
 * A page's year picker: undefined until the default year is known, then that
 * year — unless the clerk has already typed one, which the default never overrides.
 */
export function useDefaultYear(): [number | undefined, Dispatch<SetStateAction<number | undefined>>] {
  const [year, setYear] = useState<number>();
  useEffect(() => {
    let mounted = true;
    void defaultYear().then((y) => mounted && setYear((typed) => typed ?? y));
    return () => void (mounted = false);
  }, []);
  return [year, setYear];
}
