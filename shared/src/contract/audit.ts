import { AuditListQuery, AuditPage } from '../audit.ts';
import { defineOperation } from './operation.ts';

/**
 * The audit log (ARCHITECTURE.md rule 2). A reader sees only rows of entity types it may read
 * itself (shared/src/audit.ts AUDIT_ENTITY_ACCESS) and of the tenants it acts for.
 */
export const auditOperations = {
  list: defineOperation({
    name: 'audit.list',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/audit',
    access: 'audit:read',
    tenant: 'list',
    summary: 'Audit rows, newest first, of the entity types and tenants the reader may read; filters entityType, entityId, actorId, command.',
    query: AuditListQuery,
    output: AuditPage,
  }),
} as const;
