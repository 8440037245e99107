import type { Principal } from '@memory-context/auth';
import type { AuditAppender } from '@memory-context/audit';
import type { Logger } from '@memory-context/telemetry';

/** What every resolver receives. */
export interface RequestContext {
  readonly principal: Principal;
  readonly requestId: string;
  readonly log: Logger;
  /** Fills in `accessReason` on events that name no reason of their own. */
  readonly audit: AuditAppender;
  /** Why the caller says it reads or writes (the x-memctx-access-reason header), or null. */
  readonly accessReason: string | null;
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
