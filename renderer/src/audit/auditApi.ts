import { pageOf } from '../../../shared/src/api.ts';
import { AuditEntry, type AuditListQuery } from '../../../shared/src/audit.ts';
import { getJson } from '../api/client.ts';

const AuditPage = pageOf(AuditEntry);

export function fetchAudit(params: Partial<AuditListQuery>, signal?: AbortSignal) {
  return getJson('/api/v1/audit', AuditPage, { params: { ...params }, signal });
}
