import { z } from 'zod';
import { defineCommand, type CommandContext } from '../../commands/bus.ts';
import type { SecretBox } from '../../auth/secret-box.ts';
import { TenantScope } from '../../auth/tenant-scope.ts';
import { dbBool, fromJson, toBool, toJson } from '../../db/database.ts';
import { lockForUpdate } from '../../db/dialect.ts';
import type { Insertable, Updateable } from 'kysely';
import type { AlertChannelRow, AlertChannelsTable } from '../../db/schema-alerting.ts';
import { conflict, notFound, validationFailed, type FieldError } from '../../errors.ts';
import { httpsOrLoopbackUrl } from '../../../../shared/src/open-banking.ts';
import {
  AlertChannelBody,
  UpdateAlertChannelRequest,
  EscalationStep,
  type Alert,
  type AlertChannel,
  type AlertChannelSaved,
  type AlertChannelSettings,
  type AlertChannelTestResult,
} from '../../../../shared/src/alerts.ts';
import { ALERT_CHANNEL_OWNER, enqueueAlertDeliveryWithin } from './enqueue.ts';
import { recentOf, toChannelView } from './queries.ts';
import { StoredChannelSecrets } from './transports.ts';
import { endSubscriptionWithin, newSigningSecret, newSubscriptionRow } from '../../webhooks/commands.ts';

/** Audit entity type. */
export const ALERT_CHANNEL_ENTITY = 'alert_channel';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const IncomingWebhookUrl = httpsOrLoopbackUrl();
type ChannelSecrets = z.infer<typeof StoredChannelSecrets>;

/** Which secret each kind uses (the WEBHOOK's whsec_ is generated, never typed). */
const SECRET_OF: Record<AlertChannelSettings['kind'], keyof ChannelSecrets | null> = {
  EMAIL: 'password',
  SMS: 'apiKey',
  WEBHOOK: null,
  SLACK: 'incomingWebhookUrl',
  TEAMS: 'incomingWebhookUrl',
};

/** The secrets a kind needs, and no others; EMAIL without TLS only to a relay on this machine. */
function checkChannel(settings: AlertChannelSettings, given: ChannelSecrets, stored: ChannelSecrets): FieldError[] {
  const errors: FieldError[] = [];
  const uses = SECRET_OF[settings.kind];
  for (const key of ['password', 'apiKey', 'incomingWebhookUrl'] as const) {
    if (given[key] !== undefined && key !== uses) errors.push({ path: `body.secrets.${key}`, message: `not used by a ${settings.kind} channel` });
  }
  const merged = { ...stored, ...given };
  if (settings.kind === 'EMAIL') {
    if (settings.username && !merged.password) errors.push({ path: 'body.secrets.password', message: 'the relay user needs a password' });
    if (settings.security === 'none' && !LOOPBACK_HOSTS.has(settings.host.toLowerCase())) {
      errors.push({ path: 'body.settings.security', message: 'without TLS only to a relay on this machine (127.0.0.1 or localhost)' });
    }
  }
  if (settings.kind === 'SMS' && !merged.apiKey) errors.push({ path: 'body.secrets.apiKey', message: "the gateway's API key is required" });
  if (settings.kind === 'SLACK' || settings.kind === 'TEAMS') {
    if (!merged.incomingWebhookUrl) errors.push({ path: 'body.secrets.incomingWebhookUrl', message: 'the incoming-webhook URL is required' });
    else if (given.incomingWebhookUrl !== undefined && !IncomingWebhookUrl.safeParse(given.incomingWebhookUrl).success) {
      errors.push({ path: 'body.secrets.incomingWebhookUrl', message: 'an https URL (http only on 127.0.0.1 or localhost)' });
    }
  }
  return errors;
}

/** Shown instead of a secret: its last 4 characters, or the incoming webhook's host (its path is the secret). */
function hintOf(kind: AlertChannelSettings['kind'], s: ChannelSecrets): string | null {
  switch (kind) {
    case 'EMAIL':
      return s.password ? `…${s.password.slice(-4)}` : null;
    case 'SMS':
      return s.apiKey ? `…${s.apiKey.slice(-4)}` : null;
    case 'WEBHOOK':
      return s.signingSecret ? `whsec_…${s.signingSecret.slice(-4)}` : null;
    case 'SLACK':
    case 'TEAMS':
      return s.incomingWebhookUrl ? new URL(s.incomingWebhookUrl).host : null;
  }
}

/** The subscription's url: where messages go, for the delivery log; never a secret URL's path. */
function targetOf(settings: AlertChannelSettings, s: ChannelSecrets): string {
  switch (settings.kind) {
    case 'EMAIL':
      return `smtp://${settings.host}:${settings.port}`;
    case 'SMS':
    case 'WEBHOOK':
      return settings.url;
    case 'SLACK':
    case 'TEAMS':
      return s.incomingWebhookUrl ? `${new URL(s.incomingWebhookUrl).origin}/…` : '';
  }
}

function secretsSetOf(s: ChannelSecrets): Record<string, boolean> {
  return Object.fromEntries(
    Object.entries(s)
      .filter(([, v]) => v !== undefined && v !== '')
      .map(([k]) => [k, true]),
  );
}

/** What the audit log keeps of a channel: everything but its secrets (ARCHITECTURE.md rule 6). */
function auditView(view: AlertChannel | AlertChannelSaved): Record<string, unknown> {
  // The whsec_ answered at creation is a secret like the others: the audit keeps only its hint.
  const { recent: _r, lastDeliveredAt: _d, lastError: _e, ...rest } = view;
  if ('signingSecret' in rest) {
    const { signingSecret: _s, ...withoutSecret } = rest;
    return withoutSecret;
  }
  return rest;
}

/** The columns a channel's body and its secrets (merged with the stored ones) set, on create and update alike. */
function channelColumns(ctx: CommandContext, body: z.output<typeof AlertChannelBody>, secrets: ChannelSecrets, sealed: string) {
  return {
    tenant_id: body.tenantId,
    name: body.name,
    settings: toJson(body.settings),
    secrets_sealed: sealed,
    secrets_set: toJson(secretsSetOf(secrets)),
    secret_hint: hintOf(body.settings.kind, secrets),
    quiet_hours: body.quietHours === null ? null : toJson(body.quietHours),
    max_per_hour: body.maxPerHour,
    enabled: dbBool(ctx.dialect, body.enabled),
  } satisfies Updateable<AlertChannelsTable>;
}

/** An alert as first raised at `at`: open, once, nobody on it yet (the test send's sample; the channel tests' too). */
export function newOpenAlert(
  what: Pick<Alert, 'id' | 'reference' | 'tenantId' | 'pattern' | 'severity' | 'title' | 'entityType' | 'entityId'>,
  at: string,
): Alert {
  return {
    ...what,
    status: 'OPEN',
    occurrences: 1,
    detectedAt: at,
    firstSeenAt: at,
    lastSeenAt: at,
    assigneeId: null,
    assigneeName: null,
    acknowledgedBy: null,
    acknowledgedAt: null,
    resolvedBy: null,
    resolvedAt: null,
    resolution: null,
    resolutionNote: null,
    caseId: null,
    caseReference: null,
    escalationLevel: 0,
    nextEscalationAt: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
}

async function lockedChannel(ctx: CommandContext, id: string): Promise<AlertChannelRow> {
  const row = await lockForUpdate(
    ctx.dialect,
    ctx.trx.selectFrom('alert_channels').selectAll().where('id', '=', id).where('deleted_at', 'is', null),
  ).executeTakeFirst();
  if (!row || !new TenantScope(ctx.actor.tenants).allows(row.tenant_id)) throw notFound('alert channel');
  return row;
}

async function savedView(ctx: CommandContext, row: AlertChannelRow, signingSecret: string | null): Promise<AlertChannelSaved> {
  const recent = await recentOf(ctx.trx, [row.id], ctx.now);
  return { ...toChannelView(row, recent.get(row.id)!), signingSecret };
}

/**
 * Alert channel commands (issue 15). A factory: secrets are sealed with the service's SecretBox
 * and never answered (ARCHITECTURE.md rule 6), except a WEBHOOK channel's generated whsec_ once,
 * at creation. Each channel owns one webhook_subscriptions row so its messages use the issue 14
 * outbox, dispatcher, retries and delivery log.
 */
export function alertChannelCommands(box: SecretBox) {
  const create = defineCommand({
    name: 'alertChannel.create',
    input: AlertChannelBody,
    permission: 'alert:configure',
    async apply(ctx, input): Promise<AlertChannelSaved> {
      new TenantScope(ctx.actor.tenants).assertInput(input.tenantId, 'body.tenantId');
      const given = StoredChannelSecrets.parse(input.secrets);
      const errors = checkChannel(input.settings, given, {});
      if (errors.length > 0) throw validationFailed(errors);
      const signingSecret = input.settings.kind === 'WEBHOOK' ? newSigningSecret() : null;
      const secrets = { ...given, ...(signingSecret ? { signingSecret } : {}) };
      const sealed = box.seal(JSON.stringify(secrets));
      const now = ctx.now.toISOString();
      const id = ctx.newId();
      const subscriptionId = ctx.newId();
      await ctx.trx
        .insertInto('webhook_subscriptions')
        .values(
          newSubscriptionRow(ctx, {
            id: subscriptionId,
            tenant_id: input.tenantId,
            owner_kind: ALERT_CHANNEL_OWNER,
            owner_id: id,
            url: targetOf(input.settings, secrets),
            events: toJson(['*']),
            secret_sealed: sealed,
          }),
        )
        .execute();
      const values: Insertable<AlertChannelsTable> = {
        id,
        kind: input.settings.kind,
        ...channelColumns(ctx, input, secrets, sealed),
        subscription_id: subscriptionId,
        created_by: ctx.actor.id,
        created_at: now,
        updated_at: now,
        version: 1,
        deleted_at: null,
      };
      await ctx.trx.insertInto('alert_channels').values(values).execute();
      const row = await ctx.trx.selectFrom('alert_channels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const saved = await savedView(ctx, row, signingSecret);
      ctx.audit({ entityType: ALERT_CHANNEL_ENTITY, entityId: id, before: null, after: auditView(saved), tenantId: input.tenantId });
      return saved;
    },
  });

  const update = defineCommand({
    name: 'alertChannel.update',
    input: UpdateAlertChannelRequest.safeExtend({ id: z.uuid() }),
    permission: 'alert:configure',
    async apply(ctx, input): Promise<AlertChannelSaved> {
      const before = await lockedChannel(ctx, input.id);
      if (before.version !== input.version) throw conflict('the channel was changed meanwhile: reload it and make your change again');
      new TenantScope(ctx.actor.tenants).assertInput(input.tenantId, 'body.tenantId');
      if (input.settings.kind !== before.kind) {
        throw validationFailed([{ path: 'body.settings.kind', message: `a channel's kind stays ${before.kind}: add a new channel instead` }]);
      }
      const stored = StoredChannelSecrets.parse(JSON.parse(box.open(before.secrets_sealed)));
      const given = StoredChannelSecrets.parse(input.secrets);
      const errors = checkChannel(input.settings, given, stored);
      if (errors.length > 0) throw validationFailed(errors);
      // A secret left out keeps the stored one.
      const secrets = { ...stored, ...given };
      const sealed = box.seal(JSON.stringify(secrets));
      const now = ctx.now.toISOString();
      const changes: Updateable<AlertChannelsTable> = {
        ...channelColumns(ctx, input, secrets, sealed),
        updated_at: now,
        version: before.version + 1,
      };
      await ctx.trx.updateTable('alert_channels').set(changes).where('id', '=', before.id).execute();
      const after = await ctx.trx.selectFrom('alert_channels').selectAll().where('id', '=', before.id).executeTakeFirstOrThrow();
      await ctx.trx
        .updateTable('webhook_subscriptions')
        .set((eb) => ({
          tenant_id: input.tenantId,
          url: targetOf(input.settings, secrets),
          secret_sealed: sealed,
          updated_at: now,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', before.subscription_id)
        .execute();
      const recentBefore = await recentOf(ctx.trx, [before.id], ctx.now);
      const saved = await savedView(ctx, after, null);
      ctx.audit({
        entityType: ALERT_CHANNEL_ENTITY,
        entityId: before.id,
        before: auditView(toChannelView(before, recentBefore.get(before.id)!)),
        after: { ...auditView(saved), secretsChanged: Object.keys(secretsSetOf(given)) },
        tenantId: input.tenantId,
      });
      return saved;
    },
  });

  /** Ends a channel; what still waits for a retry is not sent (DEAD, with the reason). */
  const remove = defineCommand({
    name: 'alertChannel.delete',
    input: z.object({ id: z.uuid() }),
    permission: 'alert:configure',
    async apply(ctx, input): Promise<void> {
      const row = await lockedChannel(ctx, input.id);
      const rules = await ctx.trx.selectFrom('alert_rules').select(['name', 'channel_ids', 'escalation', 'enabled']).where('deleted_at', 'is', null).execute();
      const routing = rules.filter((r) => {
        if (!toBool(r.enabled)) return false;
        const direct = fromJson<string[]>(r.channel_ids);
        const steps = EscalationStep.array().parse(fromJson(r.escalation));
        return direct.includes(row.id) || steps.some((s) => s.channelIds.includes(row.id));
      });
      if (routing.length > 0) {
        throw conflict(`enabled rules still route to this channel (${routing.map((r) => r.name).join(', ')}): take it out of them or disable them first`);
      }
      const now = ctx.now.toISOString();
      await ctx.trx
        .updateTable('alert_channels')
        .set({ enabled: dbBool(ctx.dialect, false), deleted_at: now, updated_at: now, version: row.version + 1 })
        .where('id', '=', row.id)
        .execute();
      await endSubscriptionWithin(ctx, row.subscription_id, 'the channel was deleted');
      const recent = await recentOf(ctx.trx, [row.id], ctx.now);
      ctx.audit({
        entityType: ALERT_CHANNEL_ENTITY,
        entityId: row.id,
        before: auditView(toChannelView(row, recent.get(row.id)!)),
        after: null,
        tenantId: row.tenant_id,
      });
    },
  });

  /** Queues a sample alert through the channel (enabled or not: admins test before enabling). */
  const test = defineCommand({
    name: 'alertChannel.test',
    input: z.object({ id: z.uuid() }),
    permission: 'alert:configure',
    async apply(ctx, input): Promise<AlertChannelTestResult> {
      const row = await lockedChannel(ctx, input.id);
      const now = ctx.now.toISOString();
      const sample = newOpenAlert(
        {
          id: ctx.newId(),
          reference: 'ALT-TEST',
          tenantId: row.tenant_id,
          pattern: 'HIGH_RISK_BURST',
          severity: 'LOW',
          title: `Test message from the Wekeza Risk Workstation to "${row.name}": no action needed`,
          entityType: 'CHANNEL',
          entityId: row.name,
        },
        now,
      );
      const queued = await enqueueAlertDeliveryWithin(ctx, {
        channelId: row.id,
        event: 'alert.test',
        alert: sample,
        evidence: { payments: [], customers: [], rules: [], figures: {}, explanation: [`Sent by ${ctx.actor.name} with the channel's test button.`] },
        level: 0,
      });
      if (!queued) throw conflict('the channel cannot send right now');
      const delivery = await ctx.trx
        .selectFrom('webhook_deliveries')
        .select(['id', 'message_id'])
        .where('id', '=', queued.deliveryId)
        .executeTakeFirstOrThrow();
      ctx.audit({
        entityType: ALERT_CHANNEL_ENTITY,
        entityId: row.id,
        before: null,
        after: { test: true, deliveryId: delivery.id, messageId: delivery.message_id },
        tenantId: row.tenant_id,
      });
      return { deliveryId: delivery.id, messageId: delivery.message_id };
    },
  });

  return { create, update, remove, test };
}
