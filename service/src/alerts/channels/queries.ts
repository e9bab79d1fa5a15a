import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import { fromJson, toBool, toIso, toIsoOrNull } from '../../db/database.ts';
import type { AlertChannelRow } from '../../db/schema-alerting.ts';
import type { TenantScope } from '../../auth/tenant-scope.ts';
import { notFound } from '../../errors.ts';
import {
  AlertChannelKind,
  AlertChannelSettings,
  QuietHours,
  type AlertChannel,
  type AlertDelivery,
  type AlertDeliveryQuery,
} from '../../../../shared/src/alerts.ts';
import type { Page } from '../../../../shared/src/api.ts';
import { deliveryPage } from '../../webhooks/queries.ts';
import { ALERT_CHANNEL_OWNER, ALERT_DELIVERY_ENTITY } from './enqueue.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The channel's health figures shown next to it: deliveries of the last 24 hours by state. */
type Recent = Pick<AlertChannel, 'recent' | 'lastDeliveredAt' | 'lastError'>;

/** A channel as admins see it: settings and which secrets are set, never a secret (ARCHITECTURE.md rule 6). */
export function toChannelView(row: AlertChannelRow, recent: Recent): AlertChannel {
  return {
    id: row.id,
    name: row.name,
    tenantId: row.tenant_id,
    kind: AlertChannelKind.parse(row.kind),
    settings: AlertChannelSettings.parse(fromJson(row.settings)),
    secretsSet: fromJson<Record<string, boolean>>(row.secrets_set),
    secretHint: row.secret_hint,
    quietHours: row.quiet_hours === null ? null : QuietHours.parse(fromJson(row.quiet_hours)),
    maxPerHour: row.max_per_hour,
    enabled: toBool(row.enabled),
    ...recent,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    version: row.version,
  };
}

/** Delivery health of these channels since `now` − 24 h (one grouped query, one for the newest error). */
export async function recentOf(db: Kysely<Database>, channelIds: readonly string[], now: Date): Promise<Map<string, Recent>> {
  const out = new Map<string, Recent>();
  for (const id of channelIds) out.set(id, { recent: { delivered: 0, failed: 0, dead: 0, pending: 0 }, lastDeliveredAt: null, lastError: null });
  if (channelIds.length === 0) return out;
  const since = new Date(now.getTime() - DAY_MS).toISOString();
  const counts = await db
    .selectFrom('webhook_deliveries')
    .select(['owner_id', 'status', (eb) => eb.fn.countAll<number | string>().as('n'), (eb) => eb.fn.max('delivered_at').as('last_delivered')])
    .where('owner_kind', '=', ALERT_CHANNEL_OWNER)
    .where('owner_id', 'in', [...channelIds])
    .where('created_at', '>=', since)
    .groupBy(['owner_id', 'status'])
    .execute();
  for (const c of counts) {
    const r = out.get(c.owner_id);
    if (!r) continue;
    const n = Number(c.n);
    if (c.status === 'DELIVERED') {
      r.recent.delivered += n;
      r.lastDeliveredAt = toIsoOrNull(c.last_delivered);
    } else if (c.status === 'FAILED') r.recent.failed += n;
    else if (c.status === 'DEAD') r.recent.dead += n;
    else r.recent.pending += n;
  }
  // The newest failure's reason, whenever it was (a channel broken for days still says why).
  const errors = await db
    .selectFrom('webhook_deliveries')
    .select(['owner_id', 'last_error', 'last_attempt_at'])
    .where('owner_kind', '=', ALERT_CHANNEL_OWNER)
    .where('owner_id', 'in', [...channelIds])
    .where('status', 'in', ['FAILED', 'DEAD'])
    .where('last_error', 'is not', null)
    .orderBy('last_attempt_at', 'desc')
    .limit(channelIds.length * 5)
    .execute();
  for (const e of errors) {
    const r = out.get(e.owner_id);
    if (r && r.lastError === null) r.lastError = e.last_error;
  }
  return out;
}

export async function listAlertChannels(db: Kysely<Database>, scope: TenantScope, now: Date): Promise<AlertChannel[]> {
  let q = db.selectFrom('alert_channels').selectAll().where('deleted_at', 'is', null);
  // A bank-wide ('*') channel carries every tenant's alerts: only bank-wide admins see it.
  const tenants = scope.sqlList();
  if (tenants) q = q.where('tenant_id', 'in', tenants);
  const rows = await q.orderBy('name').orderBy('id').execute();
  const recent = await recentOf(
    db,
    rows.map((r) => r.id),
    now,
  );
  return rows.map((r) => toChannelView(r, recent.get(r.id)!));
}

/** One live channel of the caller's tenants; another tenant's (or a deleted one) is 404. */
export async function visibleChannel(db: Kysely<Database>, id: string, scope: TenantScope): Promise<AlertChannelRow> {
  const row = await db.selectFrom('alert_channels').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('alert channel');
  scope.assertVisible(row.tenant_id, 'alert channel');
  return row;
}

export async function getAlertChannel(db: Kysely<Database>, id: string, scope: TenantScope, now: Date): Promise<AlertChannel> {
  const row = await visibleChannel(db, id, scope);
  const recent = await recentOf(db, [row.id], now);
  return toChannelView(row, recent.get(row.id)!);
}

/** The channel's delivery log, newest first, each with its attempts and the alert it carried. */
export async function listAlertChannelDeliveries(
  db: Kysely<Database>,
  id: string,
  query: z.output<typeof AlertDeliveryQuery>,
  scope: TenantScope,
): Promise<Page<AlertDelivery>> {
  const channel = await visibleChannel(db, id, scope);
  let rows = db.selectFrom('webhook_deliveries').where('owner_kind', '=', ALERT_CHANNEL_OWNER).where('owner_id', '=', channel.id);
  if (query.status) rows = rows.where('status', '=', query.status);
  const { rows: page, total } = await deliveryPage(rows, query);
  if (page.length === 0) return { items: [], total, page: query.page, pageSize: query.pageSize };
  const attempts = await db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where(
      'delivery_id',
      'in',
      page.map((d) => d.id),
    )
    .orderBy('delivery_id')
    .orderBy('attempt')
    .execute();
  const alertIds = [...new Set(page.filter((d) => d.entity_type === ALERT_DELIVERY_ENTITY && d.entity_id).map((d) => d.entity_id!))];
  // A test send names an alert that was never raised: it has no row, so no alert link.
  const alerts = alertIds.length > 0 ? await db.selectFrom('alerts').select(['id', 'reference']).where('id', 'in', alertIds).execute() : [];
  const references = new Map(alerts.map((a) => [a.id, a.reference]));
  const byDelivery = new Map<string, typeof attempts>();
  for (const a of attempts) byDelivery.set(a.delivery_id, [...(byDelivery.get(a.delivery_id) ?? []), a]);
  const items = page.map(
    (d): AlertDelivery => ({
      id: d.id,
      messageId: d.message_id,
      eventType: d.event_type,
      alertId: d.entity_id && references.has(d.entity_id) ? d.entity_id : null,
      alertReference: d.entity_id ? (references.get(d.entity_id) ?? null) : null,
      status: d.status,
      attempts: d.attempts,
      nextAttemptAt: toIsoOrNull(d.next_attempt_at),
      lastStatusCode: d.last_status_code,
      lastError: d.last_error,
      deliveredAt: toIsoOrNull(d.delivered_at),
      createdAt: toIso(d.created_at),
      attemptLog: (byDelivery.get(d.id) ?? []).map((a) => ({
        attempt: a.attempt,
        at: toIso(a.at),
        statusCode: a.status_code,
        error: a.error,
        durationMs: a.duration_ms,
      })),
    }),
  );
  return { items, total, page: query.page, pageSize: query.pageSize };
}
