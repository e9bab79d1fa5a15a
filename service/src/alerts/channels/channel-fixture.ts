import assert from 'node:assert/strict';
import pino from 'pino';
import { z } from 'zod';
import { defineCommand, SYSTEM_ACTOR } from '../../commands/bus.ts';
import type { TestService } from '../../testing/service.ts';
import type { Clock } from '../../clock.ts';
import { WebhookDispatcher } from '../../webhooks/dispatcher.ts';
import { Alert, AlertChannelSaved, AlertEvidence, type AlertChannelBody } from '../../../../shared/src/alerts.ts';
import { newOpenAlert } from './commands.ts';
import { enqueueAlertDeliveryWithin } from './enqueue.ts';
import { registerAlertChannelTransport } from './transports.ts';

/** Shared by the channel tests: a routed alert, as slice A's routing would queue it, through the real bus. */
export const LINK_BASE = 'https://risk.wekeza.example';

export const routeToChannel = defineCommand({
  name: 'test.alertChannels.route',
  input: z.object({
    channelId: z.uuid(),
    event: z.enum(['alert.raised', 'alert.escalated']),
    alert: Alert,
    evidence: AlertEvidence.nullable(),
    level: z.number().int(),
    recipients: z.array(z.string()).optional(),
  }),
  permission: null,
  async apply(ctx, input) {
    return enqueueAlertDeliveryWithin(ctx, input);
  },
});

export function sampleAlert(overrides: Partial<Alert> & { id: string; tenantId: string }): Alert {
  const sample = newOpenAlert(
    {
      id: overrides.id,
      reference: 'ALT-000042',
      tenantId: overrides.tenantId,
      pattern: 'STRUCTURING',
      severity: 'HIGH',
      title: 'Structuring: 3 payments just below KES 1,000,000 by CUST-0042',
      entityType: 'CUSTOMER',
      entityId: 'CUST-0042',
    },
    '2026-11-20T11:58:00.000Z',
  );
  return { ...sample, ...overrides };
}

export function sampleEvidence(): AlertEvidence {
  const payment = (n: number, amountKes: number) => ({
    assessmentId: `0190a1b2-c3d4-7e5f-8a9b-00000000000${n}`,
    transactionReference: `TX-STRUCT-${n}`,
    customerRef: 'CUST-0042',
    amountKes,
    occurredAt: `2026-11-20T11:${50 + n}:00.000Z`,
    channel: 'MOBILE',
    country: 'KE',
    debtorAccount: '0100200300',
    creditorAccount: `0999000${n}`,
    deviceId: null,
    riskLevel: 'MEDIUM',
    caseId: null,
  });
  return {
    payments: [payment(1, 990_000), payment(2, 985_500), payment(3, 970_000)],
    customers: ['CUST-0042'],
    rules: [{ ruleId: 'R-AMOUNT-HIGH', hits: 3 }],
    figures: { count: 3, windowHours: 24, thresholdKes: 1_000_000 },
    explanation: ['3 payments between KES 900,000 and KES 1,000,000 within 24 hours.'],
  };
}

export async function routeAlert(svc: TestService, input: z.input<typeof routeToChannel.input>) {
  return (await svc.service.context.bus.execute(routeToChannel, input, SYSTEM_ACTOR)) as { deliveryId: string } | null;
}

/** A dispatcher the test drives with its ManualClock (the service's own is stopped), with the alert transports. */
export function channelDispatcher(svc: TestService, clock: Clock): WebhookDispatcher {
  const ctx = svc.service.context;
  const logger = pino({ level: 'silent' });
  const dispatcher = new WebhookDispatcher({ db: ctx.db, box: ctx.secrets, clock, logger }, { timeoutMs: 5_000, claimMs: 60_000 });
  registerAlertChannelTransport(dispatcher, { db: ctx.db, box: ctx.secrets, logger, linkBase: LINK_BASE });
  return dispatcher;
}

export async function createChannel(svc: TestService, token: string, body: AlertChannelBody): Promise<AlertChannelSaved> {
  const res = await svc.request('POST', '/api/v1/alert-channels', { token, body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return AlertChannelSaved.parse(res.body);
}
