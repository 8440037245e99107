import type { Principal } from '@memory-context/auth';

export interface GatewayContext {
  principal: Principal;
  authorization: string;
  requestId: string;
}
