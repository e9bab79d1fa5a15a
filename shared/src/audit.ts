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
 * entity itself, and whether its rows are a tenant's. A tenant's rows are shown to readers acting
 * for that tenant; a row whose tenant is unknown (null) only to readers of every tenant (fail
 * closed). Customers (identified from a tenant's payments) and users, sessions and machine clients
 * (their rows name the tenants they act for) have no single tenant: only readers of every tenant
 * see them. Entity types not listed are shown to nobody through the API: add new ones here.
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
  customer: { permission: 'customer:read', tenantScoped: true },
  'customer-identity': { permission: 'customer:read', tenantScoped: true },
  'global-customer': { permission: 'customer:read', tenantScoped: true },
  // Who signed in, who changed users and clients: what auditors of every tenant are there to read.
  user: { permission: 'audit:read', tenantScoped: true },
  session: { permission: 'audit:read', tenantScoped: true },
  api_client: { permission: 'audit:read', tenantScoped: true },
  // Bank-wide data without a tenant.
  'case-queue': { permission: 'case:read', tenantScoped: false },
  'saved-filter': { permission: 'case:read', tenantScoped: false },
  anomaly_model: { permission: 'configuration:read', tenantScoped: false },
  settings: { permission: 'audit:read', tenantScoped: false },
  service_secret: { permission: 'audit:read', tenantScoped: false },
};
