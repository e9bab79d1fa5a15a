import { bankTimeText } from '../../../shared/src/bank-time.ts';
import type { Kysely } from 'kysely';
import type { CommandContext } from '../commands/bus.ts';
import { dbBool, toIsoOrNull, toJson } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import type { KriMeasurementRow, KriRow } from '../db/schema-kris.ts';
import { notFound, validationFailed } from '../errors.ts';
import type { KriMetricKey } from '../../../shared/src/kri-metrics.ts';
import { evaluateKri, type Kri, type KriMeasurement, type KriMeasurementSource } from '../../../shared/src/kris.ts';
import { SEVERITY_RANK } from '../../../shared/src/risk-events.ts';
import { notifyEachWithin } from '../notifications/notify.ts';
import { recordRiskEventWithin, updateRiskEventRowWithin } from '../risk-events/record.ts';
import { KRI_ENTITY, KRI_MEASUREMENT_ENTITY, kriChanged, toKri, toKriMeasurement } from './mapping.ts';

export interface RecordKriMeasurementInput {
  kriId: string;
  value: number;
  /** ISO instant the value was true at. */
  measuredAt: string;
  note?: string | null;
  source: KriMeasurementSource;
  /** What an automatic measurement was computed from (shown with it). */
  inputs?: Record<string, unknown> | null;
  /** History only, even when it is the newest value (an import of old figures): no status change, no event. */
  backfill?: boolean;
}

export interface KriMeasurementOutcome {
  measurement: KriMeasurement;
  kri: Kri;
  /** The OPEN breach event this measurement opened, escalated or fell under; null when within thresholds. */
  eventId: string | null;
}

/** Automatic KRIs of a tenant that measure a metric (slice C feeds them when data arrives). */
export async function findKrisByMetric(trx: Kysely<Database>, tenantId: string, metric: KriMetricKey): Promise<KriRow[]> {
  return trx
    .selectFrom('kris')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('metric', '=', metric)
    .where('measurement', '=', 'AUTOMATIC')
    .where('deleted_at', 'is', null)
    .orderBy('reference')
    .execute();
}

/** Who hears about a KRI: its owner and the owners of the risks it is linked to. */
export async function kriRecipients(ctx: CommandContext, kri: KriRow): Promise<string[]> {
  const riskOwners = await ctx.trx
    .selectFrom('kri_risks')
    .innerJoin('risks', 'risks.id', 'kri_risks.risk_id')
    .select('risks.owner_id')
    .where('kri_risks.kri_id', '=', kri.id)
    .where('kri_risks.deleted_at', 'is', null)
    .where('risks.deleted_at', 'is', null)
    .execute();
  return [kri.owner_id, ...riskOwners.map((r) => r.owner_id)].filter((id): id is string => Boolean(id));
}

/**
 * Records one KRI measurement inside the caller's command (issue 13). The value is judged against
 * the thresholds in the KRI's direction. Only the newest measurement moves the KRI's status and
 * last value; an older one is a backfill (history: who and why), which needs a note when a person
 * records it. A newest value beyond a threshold opens the KRI's breach event, or escalates the one
 * still OPEN (never a second one), and notifies the owners of the KRI and of its risks.
 */
export async function recordKriMeasurementWithin(ctx: CommandContext, input: RecordKriMeasurementInput): Promise<KriMeasurementOutcome> {
  const kri = await ctx.trx.selectFrom('kris').selectAll().where('id', '=', input.kriId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!kri) throw notFound('KRI');
  const measuredAt = new Date(input.measuredAt);
  if (measuredAt.getTime() > ctx.now.getTime()) {
    throw validationFailed([{ path: 'body.measuredAt', message: `must not be after now (${ctx.now.toISOString()})` }]);
  }
  const last = toIsoOrNull(kri.last_measured_at);
  const newest = last === null || measuredAt.getTime() >= Date.parse(last);
  const backfill = !newest || input.backfill === true;
  if (backfill && input.source === 'MANUAL' && !input.note) {
    throw validationFailed([{ path: 'body.note', message: `a backfill (older than the newest measurement, ${last}) needs a note saying why` }]);
  }
  const status = evaluateKri(kri.direction, Number(kri.threshold_warning), Number(kri.threshold_critical), input.value);
  const row = {
    id: ctx.newId(),
    kri_id: kri.id,
    tenant_id: kri.tenant_id,
    value: input.value,
    measured_at: measuredAt.toISOString(),
    status,
    note: input.note ?? null,
    source: input.source,
    inputs: input.inputs ? toJson(input.inputs) : null,
    recorded_by: ctx.actor.name,
    recorded_by_id: ctx.actor.id,
    recorded_at: ctx.now.toISOString(),
    backfill: dbBool(ctx.dialect, backfill),
    version: 1,
    deleted_at: null,
  } satisfies KriMeasurementRow;
  await ctx.trx.insertInto('kri_measurements').values(row).execute();
  const measurement = toKriMeasurement(row);
  ctx.audit({ entityType: KRI_MEASUREMENT_ENTITY, entityId: row.id, before: null, after: { ...measurement }, tenantId: kri.tenant_id });
  ctx.change({ entityType: KRI_MEASUREMENT_ENTITY, entityId: row.id, operation: 'upsert', version: 1, data: { ...measurement } });

  let current = kri;
  let eventId: string | null = null;
  if (!backfill) {
    const before = await toKri(ctx.trx, kri, ctx.now);
    const changes = {
      last_value: input.value,
      last_measured_at: row.measured_at as string,
      status,
      stale_flagged_at: null,
      updated_by: ctx.actor.name,
      updated_at: ctx.now.toISOString(),
      version: kri.version + 1,
    };
    await ctx.trx.updateTable('kris').set(changes).where('id', '=', kri.id).execute();
    current = { ...kri, ...changes };
    if (status !== 'OK') eventId = await openOrEscalateBreach(ctx, current, measurement);
    const after = await toKri(ctx.trx, current, ctx.now);
    ctx.audit({ entityType: KRI_ENTITY, entityId: kri.id, before: { ...before }, after: { ...after }, tenantId: kri.tenant_id });
    ctx.change({ entityType: KRI_ENTITY, entityId: kri.id, operation: 'upsert', version: after.version, data: { ...after } });
    ctx.announce({ event: 'kri.changed', payload: kriChanged(after), audience: 'risk:read', tenantId: kri.tenant_id });
    return { measurement, kri: after, eventId };
  }
  return { measurement, kri: await toKri(ctx.trx, current, ctx.now), eventId };
}

/** A measured value as people read it: at most two decimals, digits grouped (10.364593 → "10.36"). */
function valueText(value: number): string {
  return value.toLocaleString('en-GB', { maximumFractionDigits: 2 });
}

function breachText(kri: KriRow, m: KriMeasurement): { title: string; body: string } {
  const threshold = m.status === 'CRITICAL' ? kri.threshold_critical : kri.threshold_warning;
  const side = kri.direction === 'HIGHER_IS_WORSE' ? 'above' : 'below';
  return {
    title: `${kri.reference} ${kri.name}: ${m.status === 'CRITICAL' ? 'critical' : 'warning'} (${valueText(m.value)} ${kri.unit})`,
    body: `${kri.name} measured ${valueText(m.value)} ${kri.unit} at ${bankTimeText(m.measuredAt)}, ${side} the ${m.status.toLowerCase()} threshold of ${valueText(Number(threshold))} ${kri.unit}.`,
  };
}

/** Opens the KRI's breach event, or escalates the OPEN one when the severity rose; notifies the owners when either happened. */
async function openOrEscalateBreach(ctx: CommandContext, kri: KriRow, m: KriMeasurement): Promise<string> {
  const severity = m.status === 'CRITICAL' ? 'CRITICAL' : 'WARNING';
  const text = breachText(kri, m);
  const open = await ctx.trx
    .selectFrom('risk_events')
    .selectAll()
    .where('kri_id', '=', kri.id)
    .where('type', '=', 'KRI_BREACH')
    .where('status', '=', 'OPEN')
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .executeTakeFirst();
  const details = {
    value: m.value,
    unit: kri.unit,
    direction: kri.direction,
    thresholdWarning: kri.threshold_warning,
    thresholdCritical: kri.threshold_critical,
  };
  let eventId: string;
  let kind: 'kri.breach' | 'kri.escalated';
  if (!open) {
    const firstRisk = await ctx.trx
      .selectFrom('kri_risks')
      .select('risk_id')
      .where('kri_id', '=', kri.id)
      .where('deleted_at', 'is', null)
      .orderBy('created_at')
      .executeTakeFirst();
    const event = await recordRiskEventWithin(ctx, {
      tenantId: kri.tenant_id,
      riskId: firstRisk?.risk_id ?? null,
      kriId: kri.id,
      kriMeasurementId: m.id,
      type: 'KRI_BREACH',
      severity,
      source: 'KRI',
      title: text.title,
      description: text.body,
      occurredAt: m.measuredAt,
      details,
    });
    eventId = event.id;
    kind = 'kri.breach';
  } else {
    eventId = open.id;
    if (SEVERITY_RANK[severity] <= SEVERITY_RANK[open.severity]) return eventId;
    await updateRiskEventRowWithin(ctx, open, {
      severity,
      kri_measurement_id: m.id,
      title: text.title,
      description: `${open.description}\nEscalated: ${text.body}`,
      details: toJson({ ...details, escalatedAt: m.measuredAt, escalatedFrom: open.severity }),
    });
    kind = 'kri.escalated';
  }
  await notifyEachWithin(ctx, await kriRecipients(ctx, kri), {
    tenantId: kri.tenant_id,
    kind,
    title: kind === 'kri.escalated' ? `Escalated — ${text.title}` : text.title,
    body: text.body,
    link: `/kris/${kri.id}`,
    entityType: KRI_ENTITY,
    entityId: kri.id,
  });
  return eventId;
}
