import type { Principal } from '@memory-context/auth';
import type { AuditLog } from '@memory-context/audit';
import type { Logger } from '@memory-context/telemetry';

/** What every resolver receives. */
export interface RequestContext {
  readonly principal: Principal;
  readonly requestId: string;
  readonly log: Logger;
  readonly audit: AuditLog;
  /** Per-request memo for batch loaders (one query for N entity references). */
  readonly loaders: Map<string, unknown>;
}

/** Returns the request's loader for `name`, creating it on first use. */
export function loaderFor<T>(context: RequestContext, name: string, create: () => T): T {
  let loader = context.loaders.get(name) as T | undefined;
  if (loader === undefined) {
    loader = create();
    context.loaders.set(name, loader);
  }
  return loader;
}
