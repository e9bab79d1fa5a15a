import { z } from 'zod';
import type { ServiceContext } from '../context.ts';
import { addRoute } from '../http/route.ts';
import { Customer360TransactionsQuery, CustomerMergeRequest, CustomerResolveQuery } from '../../../shared/src/customer360.ts';
import { getCustomer360, getCustomerAccounts, getCustomerRisk, getCustomerTransactions, resolveCustomer } from './customer360.ts';
import { mergeCustomers } from './identity.ts';

const GcidParams = z.object({ gcid: z.uuid() });

/** Seed 004's Customer 360 API: one person across CIFs, phones, e-mails and devices. */
export function registerCustomerRoutes(ctx: ServiceContext): void {
  const { app, authenticator, db } = ctx;
  // Registered before /:gcid so "resolve" is not read as an id.
  addRoute(app, authenticator, { method: 'GET', url: '/api/v1/customer/resolve', access: 'customer:read', query: CustomerResolveQuery, handler: ({ query }) => resolveCustomer(db.kysely, query) });
  addRoute(app, authenticator, {
    method: 'POST',
    url: '/api/v1/customer/merge',
    access: 'customer:merge',
    body: CustomerMergeRequest,
    handler: ({ body, principal, request }) => ctx.bus.execute(mergeCustomers, body, principal.actor, { requestId: request.id }),
  });
  addRoute(app, authenticator, { method: 'GET', url: '/api/v1/customer/:gcid', access: 'customer:read', params: GcidParams, handler: ({ params }) => getCustomer360(db.kysely, params.gcid) });
  addRoute(app, authenticator, { method: 'GET', url: '/api/v1/customer/:gcid/accounts', access: 'customer:read', params: GcidParams, handler: ({ params }) => getCustomerAccounts(db.kysely, params.gcid) });
  addRoute(app, authenticator, {
    method: 'GET',
    url: '/api/v1/customer/:gcid/transactions',
    access: 'customer:read',
    params: GcidParams,
    query: Customer360TransactionsQuery,
    handler: ({ params, query }) => getCustomerTransactions(db.kysely, params.gcid, query),
  });
  addRoute(app, authenticator, { method: 'GET', url: '/api/v1/customer/:gcid/risk', access: 'customer:read', params: GcidParams, handler: ({ params }) => getCustomerRisk(db.kysely, params.gcid) });
}
