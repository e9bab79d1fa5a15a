// Customer 360 calls, through the typed client derived from the contract
// (shared/src/contract/customers.ts, ARCHITECTURE.md rule 2).
import { customerOperations as ops } from '../../../shared/src/contract/customers.ts';
import { callApi } from '../api/contract-client.ts';

/** The person behind a global customer id: identifiers, merged records, core profiles. */
export function fetchCustomer360(gcid: string, signal?: AbortSignal) {
  return callApi(ops.get, { params: { gcid } }, { signal });
}

export function fetchCustomerAccounts(gcid: string, signal?: AbortSignal) {
  return callApi(ops.accounts, { params: { gcid } }, { signal });
}

export function fetchCustomerTransactions(gcid: string, query: { page: number; pageSize: number; days: number }, signal?: AbortSignal) {
  return callApi(ops.transactions, { params: { gcid }, query }, { signal });
}

export function fetchCustomerRisk(gcid: string, signal?: AbortSignal) {
  return callApi(ops.risk, { params: { gcid } }, { signal });
}
