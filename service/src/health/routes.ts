import type { ServiceContext } from '../context.ts';
import { systemOperations } from '../../../shared/src/contract/auth.ts';
import type { Readiness } from './readiness.ts';

/** GET /ready (ARCHITECTURE.md rule 2: declared in shared/src/contract/auth.ts). */
export function registerHealthRoutes(ctx: ServiceContext, readiness: Readiness): void {
  ctx.operations.implement(systemOperations.ready, async ({ reply }) => {
    const answer = await readiness.check();
    // Not ready is 503, so a load balancer takes this hub out of rotation without reading the body.
    if (answer.status !== 'ready') reply.code(503).header('Retry-After', '5');
    return answer;
  });
}
