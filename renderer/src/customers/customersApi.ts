import { z } from 'zod';
import { pageOf } from '../../../shared/src/api.ts';
import { Customer360, Customer360Account, Customer360Risk, Customer360Transaction } from '../../../shared/src/customer360.ts';
import { getJson } from '../api/client.ts';

const enc = encodeURIComponent;
const TransactionPage = pageOf(Customer360Transaction);

/** The person behind a global customer id: identifiers, merged records, core profiles. */
export function fetchCustomer360(gcid: string, signal?: AbortSignal) {
  return getJson(`/api/v1/customer/${enc(gcid)}`, Customer360, { signal });
}

export function fetchCustomerAccounts(gcid: string, signal?: AbortSignal) {
  return getJson(`/api/v1/customer/${enc(gcid)}/accounts`, z.array(Customer360Account), { signal });
}

export function fetchCustomerTransactions(gcid: string, query: { page: number; pageSize: number; days: number }, signal?: AbortSignal) {
  return getJson(`/api/v1/customer/${enc(gcid)}/transactions`, TransactionPage, { params: query, signal });
}

export function fetchCustomerRisk(gcid: string, signal?: AbortSignal) {
  return getJson(`/api/v1/customer/${enc(gcid)}/risk`, Customer360Risk, { signal });
}
