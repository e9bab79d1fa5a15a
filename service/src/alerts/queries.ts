import { sql, type Kysely } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/schema.ts';
import { toIso, toIsoOrNull } from '../db/database.ts';
import { likeEscape } from '../db/dialect.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { notFound } from '../errors.ts';
import { zoneOffsetAt } from '../../../shared/src/bank-time.ts';
import {
  AlertRouteOutcome,
  AlertSeverity,
  type AlertDetail,
  type AlertListQuery,
  type AlertPage,
  type AlertRoute,
  type AlertRule,
} from '../../../shared/src/alerts.ts';
import { evidenceOf, toAlerts, toAlertRules } from './mapping.ts';

/**
 * A search bound: an instant as given, a whole date as the start of that Nairobi day (`to` as the
 * start of the next one, so "to 2026-11-20" includes the 20th).
 */
function bound(value: string, end: boolean): string {
  if (value.length > 10) return toIso(value);
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(y, m - 1, d + (end ? 1 : 0));
  return new Date(midnightUtc - zoneOffsetAt(midnightUtc) * 60_000).toISOString();
}

/** The inbox: the caller's tenants only (ARCHITECTURE.md "Tenants"), newest first. */
export async function listAlerts(db: Kysely<Database>, query: z.output<typeof AlertListQuery>, scope: TenantScope, viewerId: string): Promise<AlertPage> {
  const tenants = scope.narrow(query.tenantId);
  let rows = db.selectFrom('alerts');
  if (tenants) rows = rows.where('tenant_id', 'in', tenants);
  if (query.status === 'UNRESOLVED') rows = rows.where('status', '!=', 'RESOLVED');
  else if (query.status) rows = rows.where('status', '=', query.status);
  if (query.severity) rows = rows.where('severity', '=', query.severity);
  if (query.pattern) rows = rows.where('pattern', '=', query.pattern);
  if (query.assignee === 'none') rows = rows.where('assignee_id', 'is', null);
  else if (query.assignee) rows = rows.where('assignee_id', '=', query.assignee === 'me' ? viewerId : query.assignee);
  // "Detected from/to": when the pattern happened (its newest payment), not when it was raised.
  if (query.from) rows = rows.where('detected_at', '>=', bound(query.from, false));
  if (query.to) rows = rows.where('detected_at', '<', bound(query.to, true));
  if (query.q) {
    const pattern = `%${likeEscape(query.q.toLowerCase())}%`;
    const like = (column: 'reference' | 'entity_id' | 'title') => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
    rows = rows.where((eb) => eb.or([like('reference'), like('entity_id'), like('title')]));
  }
  let open = db
    .selectFrom('alerts')
    .select(['severity', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('status', '!=', 'RESOLVED')
    .groupBy('severity');
  if (tenants) open = open.where('tenant_id', 'in', tenants);
  const [count, page, bySeverity] = await Promise.all([
    rows.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    rows
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.pageSize)
      .offset(query.page * query.pageSize)
      .execute(),
    open.execute(),
  ]);
  const openBySeverity = Object.fromEntries(AlertSeverity.options.map((s) => [s, 0])) as Record<AlertSeverity, number>;
  for (const r of bySeverity) {
    const severity = AlertSeverity.safeParse(r.severity);
    if (severity.success) openBySeverity[severity.data] = Number(r.n);
  }
  return { items: await toAlerts(db, page), total: Number(count.n), page: query.page, pageSize: query.pageSize, openBySeverity };
}

/** The alert with its evidence and delivery story (routes with their rule, channel and delivery state). */
export async function getAlert(db: Kysely<Database>, id: string, scope: TenantScope): Promise<AlertDetail> {
  const row = await db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('alert');
  scope.assertVisible(row.tenant_id, 'alert');
  const [alert] = await toAlerts(db, [row]);
  const routes = await db
    .selectFrom('alert_routes as r')
    .leftJoin('alert_rules as rule', 'rule.id', 'r.rule_id')
    .leftJoin('alert_channels as ch', 'ch.id', 'r.channel_id')
    .leftJoin('webhook_deliveries as d', 'd.id', 'r.delivery_id')
    .select([
      'r.id',
      'r.rule_id',
      'rule.name as rule_name',
      'r.channel_id',
      'ch.name as channel_name',
      'ch.kind as channel_kind',
      'r.level',
      'r.outcome',
      'r.detail',
      'r.hold_until',
      'r.delivery_id',
      'd.status as delivery_status',
      'd.attempts as delivery_attempts',
      'd.last_error',
      'r.created_at',
    ])
    .where('r.alert_id', '=', row.id)
    .execute();
  // Routes written by one command share its instant: tell the story in the order routing works
  // (escalation, then channels, then people), which row ids do not keep.
  const rank = (outcome: string) => (outcome === 'ESCALATED' ? 0 : outcome === 'SUPPRESSED_DUPLICATE' ? 1 : outcome === 'NOTIFIED_IN_APP' ? 3 : 2);
  routes.sort(
    (a, b) =>
      Date.parse(toIso(a.created_at)) - Date.parse(toIso(b.created_at)) || a.level - b.level || rank(a.outcome) - rank(b.outcome) || a.id.localeCompare(b.id),
  );
  return {
    ...alert!,
    evidence: evidenceOf(row),
    routes: routes.map(
      (r): AlertRoute => ({
        id: r.id,
        ruleId: r.rule_id,
        ruleName: r.rule_name,
        channelId: r.channel_id,
        channelName: r.channel_name,
        channelKind: r.channel_kind,
        level: r.level,
        outcome: AlertRouteOutcome.parse(r.outcome),
        detail: r.detail,
        holdUntil: toIsoOrNull(r.hold_until),
        deliveryId: r.delivery_id,
        deliveryStatus: r.delivery_status,
        deliveryAttempts: r.delivery_attempts,
        lastError: r.last_error,
        createdAt: toIso(r.created_at),
      }),
    ),
  };
}

export async function listAlertRules(db: Kysely<Database>): Promise<AlertRule[]> {
  const rows = await db.selectFrom('alert_rules').selectAll().where('deleted_at', 'is', null).orderBy('created_at').orderBy('id').execute();
  return toAlertRules(db, rows);
}

export async function getAlertRule(db: Kysely<Database>, id: string): Promise<AlertRule> {
  const row = await db.selectFrom('alert_rules').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('alert rule');
  const [rule] = await toAlertRules(db, [row]);
  return rule!;
}
