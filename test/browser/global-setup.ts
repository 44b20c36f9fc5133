/** Builds the web app once before the tests when dist/web is missing (a fresh clone). */
// @ts-expect-error a plain .mjs script without type declarations
import { ensureWeb } from '../../scripts/ensure-web.mjs';

export default function setup(): void {
  (ensureWeb as () => void)();
}
