/** What every transaction handler of the national interface receives. */
import type { PolicyRegistry } from '../../domain/policy/registry.ts';
import type { SecurityLimits } from '../../service/rate-limit.ts';
import type { DrgContext } from '../../service/drg-catalogues.ts';
import type { Db } from '../../store/db.ts';
import type { FacilityRow } from '../../store/repositories/facilities.ts';
import type { Envelope } from './envelope.ts';

export interface FsiDeps {
  readonly db: Db;
  readonly policies: PolicyRegistry;
  readonly limits?: Partial<SecurityLimits> | undefined;
  readonly drg?: DrgContext | undefined;
}

export interface FsiCall {
  readonly deps: FsiDeps;
  readonly facility: FacilityRow;
  readonly envelope: Envelope;
  /** When the request arrived. */
  readonly received: Date;
}

/** A transaction: reads envelope.input, calls Sanbao's services, answers the output object. */
export type FsiHandler = (call: FsiCall) => Promise<Record<string, unknown>>;
