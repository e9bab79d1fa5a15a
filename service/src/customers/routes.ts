import type { ServiceContext } from '../context.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { customerOperations } from '../../../shared/src/contract/customers.ts';
import { getCustomer360, getCustomerAccounts, getCustomerRisk, getCustomerTransactions, resolveCustomer, type CustomerViewer } from './customer360.ts';
import { mergeCustomers } from './identity.ts';

/**
 * Seed 004's Customer 360 API (one person across CIFs, phones, e-mails and devices), built from
 * the contract (ARCHITECTURE.md rule 2: shared/src/contract/customers.ts), scoped to the caller's
 * tenants.
 */
export function registerCustomerRoutes(ctx: ServiceContext): void {
  const { db, operations: ops } = ctx;
  const viewer = (scope: TenantScope): CustomerViewer => ({ scope, now: ctx.clock.now() });
  ops.implement(customerOperations.resolve, ({ query, scope }) => resolveCustomer(db.kysely, query, scope));
  ops.implement(customerOperations.merge, ({ body, principal, request }) => ctx.bus.execute(mergeCustomers, body, principal.actor, { requestId: request.id }));
  ops.implement(customerOperations.get, ({ params, scope }) => getCustomer360(db.kysely, params.gcid, viewer(scope)));
  ops.implement(customerOperations.accounts, ({ params, scope }) => getCustomerAccounts(db.kysely, params.gcid, viewer(scope)));
  ops.implement(customerOperations.transactions, ({ params, query, scope }) => getCustomerTransactions(db.kysely, params.gcid, query, viewer(scope)));
  ops.implement(customerOperations.risk, ({ params, scope }) => getCustomerRisk(db.kysely, params.gcid, viewer(scope)));
}
