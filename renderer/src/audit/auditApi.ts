import type { AuditListQuery } from '../../../shared/src/audit.ts';
import { auditOperations } from '../../../shared/src/contract/audit.ts';
import { callApi } from '../api/contract-client.ts';

/** The audit rows this user may read (its entity types and tenants; the service filters). */
export function fetchAudit(params: Partial<AuditListQuery>, signal?: AbortSignal) {
  return callApi(auditOperations.list, { query: params }, { signal });
}
