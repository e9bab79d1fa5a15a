import { z } from 'zod';
import { PageQuery } from './api.ts';

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
