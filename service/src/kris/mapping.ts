import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { fromJsonOrNull, toBool, toIso, toIsoOrNull } from '../db/database.ts';
import type { KriMeasurementRow, KriRow } from '../db/schema-kris.ts';
import { DEFAULT_KRI_SCHEDULES, KriMetricKey } from '../../../shared/src/kri-metrics.ts';
import { kriStaleAfter, type Kri, type KriMeasurement } from '../../../shared/src/kris.ts';
import type { KriChangedEvent } from '../../../shared/src/events.ts';
import { metricByKey } from './metrics.ts';

export const KRI_ENTITY = 'kri';
export const KRI_MEASUREMENT_ENTITY = 'kri_measurement';
export const KRI_RISK_ENTITY = 'kri_risk';

/** The cron an automatic KRI is measured by: its own, else its metric group's (seed 000's defaults). */
export function effectiveSchedule(row: Pick<KriRow, 'measurement' | 'metric' | 'schedule'>): string | null {
  if (row.measurement !== 'AUTOMATIC' || !row.metric) return null;
  if (row.schedule) return row.schedule;
  const key = KriMetricKey.safeParse(row.metric);
  const metric = key.success ? metricByKey(key.data) : undefined;
  return metric ? DEFAULT_KRI_SCHEDULES[metric.group] : null;
}

export function isStale(row: Pick<KriRow, 'frequency' | 'grace_hours' | 'last_measured_at' | 'created_at'>, now: Date): boolean {
  return Date.parse(kriStaleAfter(row.frequency, row.grace_hours, toIsoOrNull(row.last_measured_at), toIso(row.created_at))) < now.getTime();
}

export function toKriMeasurement(row: KriMeasurementRow): KriMeasurement {
  return {
    id: row.id,
    kriId: row.kri_id,
    value: Number(row.value),
    measuredAt: toIso(row.measured_at),
    status: row.status,
    note: row.note,
    source: row.source,
    inputs: fromJsonOrNull<Record<string, unknown>>(row.inputs),
    recordedBy: row.recorded_by,
    recordedAt: toIso(row.recorded_at),
    backfill: toBool(row.backfill),
  };
}

export function kriChanged(kri: Kri): KriChangedEvent {
  return { kriId: kri.id, reference: kri.reference, status: kri.status, lastValue: kri.lastValue, lastMeasuredAt: kri.lastMeasuredAt, version: kri.version };
}

/**
 * KRIs as the API shows them: with their linked risks, owner's name, open breach event and
 * staleness as of `now` (the injected clock). One query per related table for the whole page.
 */
export async function toKris(db: Kysely<Database>, rows: readonly KriRow[], now: Date): Promise<Kri[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const ownerIds = [...new Set(rows.map((r) => r.owner_id).filter((id): id is string => id !== null))];
  const [links, owners, events] = await Promise.all([
    db
      .selectFrom('kri_risks')
      .innerJoin('risks', 'risks.id', 'kri_risks.risk_id')
      .select(['kri_risks.kri_id', 'risks.id', 'risks.reference', 'risks.title', 'risks.owner_id'])
      .where('kri_risks.kri_id', 'in', ids)
      .where('kri_risks.deleted_at', 'is', null)
      .orderBy('risks.reference')
      .execute(),
    ownerIds.length ? db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ownerIds).execute() : Promise.resolve([]),
    db
      .selectFrom('risk_events')
      .select(['id', 'kri_id'])
      .where('kri_id', 'in', ids)
      .where('type', '=', 'KRI_BREACH')
      .where('status', '=', 'OPEN')
      .where('deleted_at', 'is', null)
      .execute(),
  ]);
  const names = new Map(owners.map((o) => [o.id, o.display_name]));
  const openEvent = new Map(events.map((e) => [e.kri_id, e.id]));
  return rows.map((row) => {
    const risks = links.filter((l) => l.kri_id === row.id).map((l) => ({ id: l.id, reference: l.reference, title: l.title, ownerId: l.owner_id }));
    const staleAfter = kriStaleAfter(row.frequency, row.grace_hours, toIsoOrNull(row.last_measured_at), toIso(row.created_at));
    const metric = KriMetricKey.safeParse(row.metric);
    return {
      id: row.id,
      tenantId: row.tenant_id,
      reference: row.reference,
      name: row.name,
      description: row.description,
      unit: row.unit,
      direction: row.direction,
      thresholdWarning: Number(row.threshold_warning),
      thresholdCritical: Number(row.threshold_critical),
      frequency: row.frequency,
      graceHours: row.grace_hours,
      dataSource: row.data_source,
      measurement: row.measurement,
      metric: metric.success ? metric.data : null,
      schedule: row.schedule,
      effectiveSchedule: effectiveSchedule(row),
      ownerId: row.owner_id,
      ownerName: row.owner_id ? (names.get(row.owner_id) ?? null) : null,
      riskIds: risks.map((r) => r.id),
      risks,
      lastValue: row.last_value === null ? null : Number(row.last_value),
      lastMeasuredAt: toIsoOrNull(row.last_measured_at),
      status: row.status,
      stale: Date.parse(staleAfter) < now.getTime(),
      staleAfter,
      openEventId: openEvent.get(row.id) ?? null,
      createdBy: row.created_by,
      createdAt: toIso(row.created_at),
      updatedBy: row.updated_by,
      updatedAt: toIso(row.updated_at),
      version: row.version,
    };
  });
}

export async function toKri(db: Kysely<Database>, row: KriRow, now: Date): Promise<Kri> {
  const [kri] = await toKris(db, [row], now);
  return kri!;
}
