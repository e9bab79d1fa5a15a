import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../db/schema.ts';
import type { WebhookDeliveryRow } from '../db/schema-open-banking.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import type { PartnerCaller } from '../auth/partner.ts';
import type { Page } from '../../../shared/src/api.ts';
import type { WebhookDeliveryQuery, WebhookDeliveryView, WebhookSubscriptionView } from '../../../shared/src/open-banking.ts';
import { toDeliveryViews, toSubscriptionView } from './mapping.ts';

/** The delivery log of the caller's tenants (rule 'list'), newest first, by app, consent or state. */
export async function listWebhookDeliveries(
  db: Kysely<Database>,
  query: z.output<typeof WebhookDeliveryQuery>,
  scope: TenantScope,
): Promise<Page<WebhookDeliveryView>> {
  // Open Banking deliveries only: alert-channel messages carry alert contents and have their own
  // log under alert:configure (service/src/alerts/channels/queries.ts).
  let rows = db.selectFrom('webhook_deliveries').where('owner_kind', '=', 'OB_APP');
  const tenants = scope.sqlList();
  if (tenants) rows = rows.where('tenant_id', 'in', tenants);
  if (query.appId) rows = rows.where('owner_kind', '=', 'OB_APP').where('owner_id', '=', query.appId);
  if (query.consentId) rows = rows.where('entity_type', '=', 'consent').where('entity_id', '=', query.consentId);
  if (query.status) rows = rows.where('status', '=', query.status);
  const { rows: page, total } = await deliveryPage(rows, query);
  return { items: await toDeliveryViews(db, page), total, page: query.page, pageSize: query.pageSize };
}

/** One page of a delivery log, newest first, and how many deliveries the whole log holds. */
export async function deliveryPage(
  rows: SelectQueryBuilder<Database, 'webhook_deliveries', object>,
  query: { page: number; pageSize: number },
): Promise<{ rows: WebhookDeliveryRow[]; total: number }> {
  const total = await rows.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
  const page = await rows
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.pageSize)
    .offset(query.page * query.pageSize)
    .execute();
  return { rows: page, total: Number(total.n) };
}

/** The calling app's own subscriptions (its token says which app), oldest first. */
export async function listWebhookSubscriptions(db: Kysely<Database>, partner: PartnerCaller): Promise<WebhookSubscriptionView[]> {
  const rows = await db
    .selectFrom('webhook_subscriptions')
    .selectAll()
    .where('owner_kind', '=', 'OB_APP')
    .where('owner_id', '=', partner.appId)
    .where('tenant_id', '=', partner.tenantId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toSubscriptionView);
}
