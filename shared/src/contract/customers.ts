import { z } from 'zod';
import { pageOf } from '../api.ts';
import {
  Customer360,
  Customer360Account,
  Customer360Risk,
  Customer360Transaction,
  Customer360TransactionsQuery,
  CustomerMergeRequest,
  CustomerResolveQuery,
  CustomerResolveResult,
} from '../customer360.ts';
import { defineOperation } from './operation.ts';

/**
 * Customer 360 (seed 004; ARCHITECTURE.md rule 2). One person (GCID) may bank through several
 * tenants: a GCID is a record of the caller's tenants when it has a payment or a case there
 * (another tenant's customer answers 404), and its accounts, transactions and risk count only
 * the payments and cases of the caller's tenants (ARCHITECTURE.md "Tenants").
 */

export const GcidParams = z.object({ gcid: z.uuid() });
export const CustomerMergeResult = z.object({ gcid: z.uuid(), merged: z.uuid() });

export const customerOperations = {
  resolve: defineOperation({
    name: 'customer.resolve',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/customer/resolve',
    access: 'customer:read',
    tenant: 'list',
    summary: 'Find the GCID of a national ID, phone, e-mail, CIF or device (customers of your tenants only).',
    query: CustomerResolveQuery,
    output: CustomerResolveResult,
  }),
  merge: defineOperation({
    name: 'customer.merge',
    kind: 'command',
    method: 'POST',
    path: '/api/v1/customer/merge',
    access: 'customer:merge',
    tenant: 'record',
    summary: 'Merge two GCIDs found to be the same person (both must be customers of your tenants).',
    body: CustomerMergeRequest,
    output: CustomerMergeResult,
  }),
  get: defineOperation({
    name: 'customer.get',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/customer/:gcid',
    access: 'customer:read',
    tenant: 'record',
    summary: 'One person: identifiers, core-banking records and merges (a merged GCID answers with the survivor).',
    params: GcidParams,
    output: Customer360,
  }),
  accounts: defineOperation({
    name: 'customer.accounts',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/customer/:gcid/accounts',
    access: 'customer:read',
    tenant: 'record',
    summary: 'Accounts from the core records and from payments of your tenants.',
    params: GcidParams,
    output: z.array(Customer360Account),
  }),
  transactions: defineOperation({
    name: 'customer.transactions',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/customer/:gcid/transactions',
    access: 'customer:read',
    tenant: 'record',
    summary: 'Payments of your tenants with their risk, decision and case.',
    params: GcidParams,
    query: Customer360TransactionsQuery,
    output: pageOf(Customer360Transaction),
  }),
  risk: defineOperation({
    name: 'customer.risk',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/customer/:gcid/risk',
    access: 'customer:read',
    tenant: 'record',
    summary: 'Overall level, 30-day trend, top rules, past cases and outcomes (your tenants).',
    params: GcidParams,
    output: Customer360Risk,
  }),
} as const;
