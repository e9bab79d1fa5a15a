import type { TenantScope } from '../auth/tenant-scope.ts';
import { forbidden } from '../errors.ts';

/** The tenant id of a configuration that applies to every tenant. */
export const EVERY_TENANT = '*';

/**
 * Configurations belong to a tenant or to every tenant ("*"; ARCHITECTURE.md "Tenants"). A caller
 * sees the configurations of its tenants and those of every tenant, since they score its payments.
 */
export function configurationVisible(scope: TenantScope, tenantId: string): boolean {
  return tenantId === EVERY_TENANT || scope.allows(tenantId);
}

/** The tenants whose configurations a caller sees, for a SQL `in (…)`; null = all. */
export function configurationTenants(scope: TenantScope): string[] | null {
  const tenants = scope.sqlList();
  return tenants === null ? null : [...tenants, EVERY_TENANT];
}

/**
 * Before a configuration is changed: another tenant's answers 404 (it does not exist for this
 * caller); one of every tenant ("*") answers 403 unless the caller acts for every tenant, since
 * the change would reach tenants it does not act for.
 */
export function assertConfigurationWritable(scope: TenantScope, tenantId: string): void {
  if (tenantId === EVERY_TENANT) {
    if (!scope.isAll) throw forbidden('this configuration applies to every tenant ("*"): only a caller acting for every tenant may change it');
    return;
  }
  scope.assertVisible(tenantId, 'configuration');
}
