import type { Principal } from '@memory-context/auth';

export interface GatewayContext {
  principal: Principal;
  authorization: string;
  requestId: string;
  /** The validated x-memctx-access-reason header, forwarded to every subgraph. */
  accessReason: string | null;
}
