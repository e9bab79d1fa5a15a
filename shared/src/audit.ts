import { z } from 'zod';
import { PageQuery, pageOf } from './api.ts';
import type { Permission } from './roles.ts';

/**
 * The record an audit row is about, as people know it (issue 11: four assessments all read
 * "01a23f93…"): a case reference or a payment's transaction reference, and where to open it.
 * Resolved by the service within the reader's tenants; null when there is nothing to show.
 */
export const AuditSubject = z.object({
  /** "CASE-2026-000123" or "TXN-…" (the payment's transaction reference). */
  reference: z.string(),
  /** What the reference names, in words: "case", "payment", "comment on case", … */
  kind: z.string(),
  /** The case to open, when the row is about a case or a payment that has one. */
  caseId: z.uuid().nullable(),
  /** The assessment to open (monitor drawer), when the row is about a payment. */
  assessmentId: z.string().nullable(),
});
export type AuditSubject = z.infer<typeof AuditSubject>;

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
  /** Set by the audit log (GET /audit); other audit trails (a toggle's) leave it out. */
  subject: AuditSubject.nullable().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

const Instant = z.iso.datetime({ offset: true, message: 'a date and time such as 2026-12-04T09:00:00+03:00' });

export const AuditListQuery = PageQuery.extend({
  entityType: z.string().max(50).optional(),
  /** An entity id, or a case reference / payment transaction reference (resolved to its ids). */
  entityId: z.string().trim().max(100).optional(),
  actorId: z.string().max(100).optional(),
  /** Part of the actor's name or username, any case. */
  actor: z.string().trim().max(100).optional(),
  /** A command, or its prefix ending in a dot ("case." for every case command). */
  command: z.string().max(100).optional(),
  /** Rows at or after this instant. */
  from: Instant.optional(),
  /** Rows before this instant. */
  to: Instant.optional(),
}).refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { path: ['to'], message: 'must not be before "from"' });
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
