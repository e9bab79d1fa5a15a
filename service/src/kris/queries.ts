import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { notFound } from '../errors.ts';
import { DEFAULT_KRI_SCHEDULES } from '../../../shared/src/kri-metrics.ts';
import type { Kri, KriList, KriListQuery, KriMeasurementList, KriMetricCatalogue } from '../../../shared/src/kris.ts';
import { toKri, toKriMeasurement, toKris } from './mapping.ts';
import { KRI_METRICS } from './metrics.ts';

/** KRIs of the caller's tenants (rule 'list'), with counts by status and staleness as of `now`. */
export async function listKris(db: Kysely<Database>, query: KriListQuery, scope: TenantScope, now: Date): Promise<KriList> {
  let rows = db.selectFrom('kris').selectAll().where('deleted_at', 'is', null);
  const tenants = scope.narrow(query.tenantId);
  if (tenants) rows = rows.where('tenant_id', 'in', tenants);
  if (query.measurement) rows = rows.where('measurement', '=', query.measurement);
  if (query.riskId) {
    const riskId = query.riskId;
    rows = rows.where('id', 'in', (eb) => eb.selectFrom('kri_risks').select('kri_id').where('risk_id', '=', riskId).where('deleted_at', 'is', null));
  }
  const all = await toKris(db, await rows.orderBy('reference').execute(), now);
  const counts = { OK: 0, WARNING: 0, CRITICAL: 0, NO_DATA: 0, stale: 0 };
  for (const kri of all) {
    counts[kri.status]++;
    if (kri.stale) counts.stale++;
  }
  // Status, staleness and text filter the list but not the counts: the dashboard shows every status's count beside the filtered list.
  const q = query.q?.toLowerCase();
  const kris = all.filter(
    (k) =>
      (!query.status || k.status === query.status) &&
      (!query.stale || k.stale === (query.stale === 'true')) &&
      (!q || k.name.toLowerCase().includes(q) || k.reference.toLowerCase().includes(q)),
  );
  return { kris, counts };
}

export async function getKri(db: Kysely<Database>, id: string, scope: TenantScope, now: Date): Promise<Kri> {
  const row = await db.selectFrom('kris').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('KRI');
  scope.assertVisible(row.tenant_id, 'KRI');
  return toKri(db, row, now);
}

/** A KRI's measurements, oldest first: the newest `limit` within [from, to). */
export async function kriMeasurements(
  db: Kysely<Database>,
  id: string,
  query: { from?: string | undefined; to?: string | undefined; limit: number },
  scope: TenantScope,
  now: Date,
): Promise<KriMeasurementList> {
  await getKri(db, id, scope, now);
  let rows = db.selectFrom('kri_measurements').selectAll().where('kri_id', '=', id).where('deleted_at', 'is', null);
  if (query.from) rows = rows.where('measured_at', '>=', new Date(query.from).toISOString());
  if (query.to) rows = rows.where('measured_at', '<', new Date(query.to).toISOString());
  const newest = await rows.orderBy('measured_at', 'desc').orderBy('recorded_at', 'desc').limit(query.limit).execute();
  return { kriId: id, measurements: newest.reverse().map(toKriMeasurement) };
}

export function kriMetricCatalogue(): KriMetricCatalogue {
  return {
    metrics: KRI_METRICS.map((m) => ({
      key: m.key,
      label: m.label,
      unit: m.unit,
      direction: m.direction,
      group: m.group,
      defaultSchedule: DEFAULT_KRI_SCHEDULES[m.group],
      description: m.description,
    })),
  };
}
