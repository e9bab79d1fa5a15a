import { tenantAllowed, type TenantAccess } from '../../../shared/src/tenants.ts';
import { notFound, ServiceError } from '../errors.ts';

/**
 * Never a tenant id (ids start with a letter or digit and hold letters, digits, dot, dash,
 * underscore), so `in (…)` matches nothing. Not NUL: PostgreSQL refuses 0x00 in text parameters.
 */
const NO_TENANT = '#no-tenant';

/**
 * The tenants one caller may see and act for (ARCHITECTURE.md "Tenants"). Every list is filtered
 * through `sqlList()`, every record read through `assertVisible()` (404: another tenant's record
 * does not exist for this caller), every tenant named in an input through `assertInput()` (403).
 */
export class TenantScope {
  static readonly ALL = new TenantScope('ALL');

  constructor(readonly access: TenantAccess) {}

  get isAll(): boolean {
    return this.access === 'ALL';
  }

  allows(tenantId: string | null | undefined): boolean {
    // A record without a tenant (bank-wide data) is visible to everyone who holds the permission.
    if (tenantId === null || tenantId === undefined) return true;
    return tenantAllowed(this.access, tenantId);
  }

  /** The tenant ids for a SQL `in (…)` filter, or null when every tenant is allowed. Never empty. */
  sqlList(): string[] | null {
    if (this.access === 'ALL') return null;
    return this.access.length > 0 ? [...this.access] : [NO_TENANT];
  }

  /** The tenants to report on: the caller's, narrowed to `requested` when given. */
  narrow(requested: string | null | undefined): string[] | null {
    if (requested) return this.allows(requested) ? [requested] : [NO_TENANT];
    return this.sqlList();
  }

  assertVisible(tenantId: string | null | undefined, what: string): void {
    if (!this.allows(tenantId)) throw notFound(what);
  }

  assertInput(tenantId: string | null | undefined, field: string): void {
    if (!this.allows(tenantId)) {
      throw new ServiceError(403, 'FORBIDDEN', `you do not act for tenant ${String(tenantId)}`, [{ path: field, message: 'not one of your tenants' }]);
    }
  }
}
