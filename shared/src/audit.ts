import { z } from 'zod';
import { PageQuery, pageOf } from './api.ts';
import type { Permission } from './roles.ts';

export const AuditEntry = z.object({
  id: z.uuid(),
  occurredAt: z.iso.datetime(),
  actorId: z.string(),
  actorName: z.string(),
  actorRole: z.string(),
  command: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditListQuery = PageQuery.extend({
  entityType: z.string().max(50).optional(),
  entityId: z.string().max(100).optional(),
  actorId: z.string().max(100).optional(),
  command: z.string().max(100).optional(),
});
export type AuditListQuery = z.infer<typeof AuditListQuery>;

export const AuditPage = pageOf(AuditEntry);

/**
 * Who may read an entity type's audit rows (issue 10 item 10): the permission that reads the
 * entity itself, and whether its rows belong to a tenant (then a reader sees only its tenants'
 * rows; a row whose tenant is unknown only readers of every tenant). Entity types not listed are
 * shown to nobody through the API (fail closed): add new ones here.
 */
export const AUDIT_ENTITY_ACCESS: Readonly<Record<string, { permission: Permission; tenantScoped: boolean }>> = {
  fraud_api_toggle: { permission: 'toggle:read', tenantScoped: true },
  fraud_api_toggle_approval: { permission: 'toggle:read', tenantScoped: true },
  assessment: { permission: 'assessment:read', tenantScoped: true },
  payment: { permission: 'assessment:read', tenantScoped: true },
  case: { permission: 'case:read', tenantScoped: true },
  'case-comment': { permission: 'case:read', tenantScoped: true },
  'case-attachment': { permission: 'case:read', tenantScoped: true },
  configuration: { permission: 'configuration:read', tenantScoped: true },
  configuration_version: { permission: 'configuration:read', tenantScoped: true },
  // Bank-wide data without a tenant.
  'case-queue': { permission: 'case:read', tenantScoped: false },
  'saved-filter': { permission: 'case:read', tenantScoped: false },
  customer: { permission: 'customer:read', tenantScoped: false },
  'customer-identity': { permission: 'customer:read', tenantScoped: false },
  'global-customer': { permission: 'customer:read', tenantScoped: false },
  anomaly_model: { permission: 'configuration:read', tenantScoped: false },
  // Who signed in, who changed users, clients and settings: what auditors are there to read.
  settings: { permission: 'audit:read', tenantScoped: false },
  user: { permission: 'audit:read', tenantScoped: false },
  session: { permission: 'audit:read', tenantScoped: false },
  api_client: { permission: 'audit:read', tenantScoped: false },
  service_secret: { permission: 'audit:read', tenantScoped: false },
};
