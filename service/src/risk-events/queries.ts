import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { notFound } from '../errors.ts';
import type { RiskEvent, RiskEventList, RiskEventListQuery } from '../../../shared/src/risk-events.ts';
import { toRiskEvent } from './mapping.ts';

/** Risk events of the caller's tenants (ARCHITECTURE.md "Tenants": rule 'list'), newest first. */
export async function listRiskEvents(db: Kysely<Database>, query: RiskEventListQuery, scope: TenantScope): Promise<RiskEventList> {
  let base = db.selectFrom('risk_events').where('deleted_at', 'is', null);
  const tenants = scope.narrow(query.tenantId);
  if (tenants) base = base.where('tenant_id', 'in', tenants);
  if (query.riskId) base = base.where('risk_id', '=', query.riskId);
  if (query.kriId) base = base.where('kri_id', '=', query.kriId);
  if (query.type) base = base.where('type', '=', query.type);
  if (query.severity) base = base.where('severity', '=', query.severity);
  if (query.status) base = base.where('status', '=', query.status);
  if (query.from) base = base.where('occurred_at', '>=', new Date(query.from).toISOString());
  if (query.to) base = base.where('occurred_at', '<', new Date(query.to).toISOString());
  const [rows, total] = await Promise.all([
    base.selectAll().orderBy('occurred_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute(),
    base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { events: rows.map(toRiskEvent), total: Number(total.n) };
}

export async function getRiskEvent(db: Kysely<Database>, id: string, scope: TenantScope): Promise<RiskEvent> {
  const row = await db.selectFrom('risk_events').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('risk event');
  scope.assertVisible(row.tenant_id, 'risk event');
  return toRiskEvent(row);
}
