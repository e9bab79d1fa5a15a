import { z } from 'zod';
import type { Role } from './roles.ts';

/** A tenant (legal entity or business line) the bank runs payments for, e.g. "WEKEZA-KE". */
export const TenantId = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore only');
export type TenantId = z.infer<typeof TenantId>;

/**
 * The tenants a caller acts for: a list, or every tenant. Only bank-wide roles may hold every
 * tenant; for any other role an empty list means no tenant at all (fail closed).
 */
export type TenantAccess = 'ALL' | readonly string[];

/** Roles whose holders may act for every tenant when no tenants are named (ARCHITECTURE.md "Tenants"). */
export const BANK_WIDE_ROLES: readonly Role[] = ['RISK_MANAGER', 'AUDITOR', 'EXECUTIVE', 'COMPLIANCE_OFFICER', 'RISK_OFFICER'];

export function tenantAccessFor(role: Role, tenantIds: readonly string[]): TenantAccess {
  if (tenantIds.length === 0) return BANK_WIDE_ROLES.includes(role) ? 'ALL' : [];
  return [...tenantIds];
}

export function tenantAllowed(access: TenantAccess, tenantId: string): boolean {
  return access === 'ALL' || access.includes(tenantId);
}

/** Input for the tenants a user or client acts for; [] = all tenants (bank-wide roles only). */
export const TenantIdList = z
  .array(TenantId)
  .max(100)
  .refine((ids) => new Set(ids).size === ids.length, 'each tenant once');
