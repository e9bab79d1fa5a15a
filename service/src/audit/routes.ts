import type { ServiceContext } from '../context.ts';
import { auditOperations } from '../../../shared/src/contract/audit.ts';
import { listAudit } from './queries.ts';

/** GET /api/v1/audit, built from the contract (shared/src/contract/audit.ts, ARCHITECTURE.md rule 2). */
export function registerAuditRoutes(ctx: ServiceContext): void {
  ctx.operations.implement(auditOperations.list, ({ principal, scope, query }) => listAudit(ctx.db, principal, scope, query));
}
