import type { ServiceContext } from '../context.ts';
import type { Actor } from '../commands/bus.ts';
import type { PaymentInput } from '../../../shared/src/payments.ts';
import { EXAMPLE_BANK_API, newConfigurationTemplate } from '../../../shared/src/decision-engine-defaults.ts';
import type { ConfigurationInput, RuleDefinition } from '../../../shared/src/decision-engine.ts';
import { anomalyFeatures } from '../scoring/anomaly/features.ts';
import { toKesAt } from '../scoring/fx.ts';
import { zoneOffsetMinutes } from '../scoring/local-time.ts';
import { loadActiveModel, storeAnomalyModel, trainModel } from '../decision-engine/anomaly-model.ts';
import { createToggle } from '../toggles/commands.ts';
import type { ToggleInput } from '../../../shared/src/toggles.ts';

/** Where the demo's bank fraud engine (the simulator) listens, and the key it expects. */
export const DEMO_ENGINE_PORT = 4790;
export const DEMO_ENGINE_API_KEY = 'demo-engine-key-2026';

function tuned(rules: RuleDefinition[], id: string, change: (rule: RuleDefinition) => RuleDefinition): RuleDefinition[] {
  return rules.map((r) => (r.id === id ? change(r) : r));
}

/**
 * The configurations a bank would start with: a tenant-wide default, tighter rules for mobile
 * money, the bank's own engine for SWIFT (highest risk wins) and for risky RTGS payments (hybrid),
 * and overnight batch assessment for bulk EFT. Created through the commands, so they have
 * versions and audit rows like any configuration.
 */
export async function seedDemoConfigurations(ctx: ServiceContext, admin: Actor, at: Date): Promise<void> {
  const { bus } = ctx;
  const commands = ctx.decisionEngine.commands;
  const base = newConfigurationTemplate();
  const bankApi = { ...EXAMPLE_BANK_API, endpointUrl: `http://127.0.0.1:${DEMO_ENGINE_PORT}/v1/score`, credentials: { apiKey: DEMO_ENGINE_API_KEY } };
  const configurations: ConfigurationInput[] = [
    {
      ...base,
      configurationName: 'Kenya — all payments (default)',
      description: 'Tenant-wide rules for every payment without a more specific configuration.',
      priority: 100,
      changeNote: 'Initial rules agreed with the fraud team',
    },
    {
      ...base,
      configurationName: 'M-PESA mobile money',
      description: 'Mobile money moves fast in small amounts: tighter daily velocity, lower amount thresholds.',
      paymentType: 'MOBILE_MONEY',
      clearingSystemCode: 'MPESA',
      priority: 50,
      riskRules: tuned(
        tuned(base.riskRules, 'frequency.account-day', (r) =>
          r.kind === 'velocity' ? { ...r, weight: 0.25, params: { ...r.params, maxCount: 12, maxSumKes: 500_000 } } : r,
        ),
        'amount.high',
        (r) => (r.kind === 'high-amount' ? { ...r, params: { ...r.params, thresholdKes: 250_000 } } : r),
      ),
      changeNote: 'Safaricom M-PESA limits',
    },
    {
      ...base,
      configurationName: 'SWIFT outward — bank fraud engine',
      description: "Cross-border SWIFT payments are also scored by the bank's own fraud engine; the higher risk wins.",
      paymentType: 'SWIFT_TRANSFER',
      clearingSystemCode: 'SWIFT',
      priority: 10,
      bankFraudApiConfig: bankApi,
      changeNote: 'Bank engine integration go-live',
    },
    {
      ...base,
      configurationName: 'RTGS (KEPSS) — hybrid',
      description: 'High-value RTGS: local rules first; the bank engine is asked only when local risk is medium or above.',
      paymentType: 'RTGS',
      clearingSystemCode: 'KEPSS',
      riskAssessmentType: 'HYBRID',
      priority: 10,
      bankFraudApiConfig: { ...bankApi, combination: { mode: 'WEIGHTED', engineWeight: 0.5 } },
      fallbackConfig: { mode: 'HOLD' },
      changeNote: 'Hybrid scoring for RTGS',
    },
    {
      ...base,
      configurationName: 'EFT bulk (KBA ACH) — batch',
      description: 'Bulk EFT files are assessed in the background; payments wait for the result.',
      paymentType: 'EFT',
      clearingSystemCode: 'KBA_ACH',
      riskAssessmentType: 'BATCH',
      priority: 20,
      changeNote: 'Batch assessment for ACH files',
    },
    // The microfinance arm (the demo's second tenant): its own tenant-wide rules.
    {
      ...base,
      tenantId: 'WEKEZA-MFB',
      configurationName: 'Microfinance — all payments (default)',
      description: 'Tenant-wide rules of Wekeza Microfinance: smaller customers, a lower high-amount threshold.',
      priority: 100,
      riskRules: tuned(base.riskRules, 'amount.high', (r) => (r.kind === 'high-amount' ? { ...r, params: { ...r.params, thresholdKes: 300_000 } } : r)),
      changeNote: 'Initial rules for the microfinance book',
    },
  ];
  for (const input of configurations) await bus.execute(commands.create, input, admin, { at });
  await ctx.decisionEngine.registry.reload();
}

/** Trains the isolation forest on the demo bank's history (as the risk manager would from the UI). */
export async function trainDemoAnomalyModel(ctx: ServiceContext, admin: Actor, payments: readonly PaymentInput[], at: Date): Promise<void> {
  const running = new Map<string, { n: number; sum: number }>();
  const sample = payments.map((p) => {
    const amountKes = toKesAt(p.amount, ctx.fxRates.rateForPayment(p));
    const seen = running.get(p.customerId);
    running.set(p.customerId, { n: (seen?.n ?? 0) + 1, sum: (seen?.sum ?? 0) + amountKes });
    return anomalyFeatures({
      amountKes,
      timestamp: p.timestamp,
      channel: p.channel,
      country: p.country,
      homeCountry: 'KE',
      timeZoneOffsetMinutes: zoneOffsetMinutes(Date.parse(p.timestamp), 'Africa/Nairobi'),
      customerMedianAmountKes: seen ? seen.sum / seen.n : null,
      paymentType: p.paymentType,
    });
  });
  const trained = trainModel(sample, { days: 30, trees: 100, subsampleSize: 256 }, 20_261_122);
  await ctx.bus.execute(storeAnomalyModel, trained, admin, { at });
  const active = await loadActiveModel(ctx.db.kysely);
  ctx.decisionEngine.facts.anomaly = active?.scorer ?? null;
  ctx.decisionEngine.anomalyModel = active?.info ?? null;
}

/**
 * Fraud API toggles a bank would have: the engine kept off for card-present POS payments (cost), a
 * past maintenance window, and next Saturday night's engine upgrade for SWIFT, scheduled ahead.
 */
export async function seedDemoToggles(ctx: ServiceContext, admin: Actor, now: Date): Promise<void> {
  const day = 86_400_000;
  // 01:00 Nairobi time (UTC+3) on the coming Saturday.
  const nairobi = new Date(now.getTime() + 3 * 3_600_000);
  const daysToSaturday = (6 - nairobi.getUTCDay() + 7) % 7 || 7;
  const upgradeFrom = new Date(Date.UTC(nairobi.getUTCFullYear(), nairobi.getUTCMonth(), nairobi.getUTCDate() + daysToSaturday, 1) - 3 * 3_600_000);
  const toggles: ToggleInput[] = [
    {
      tenantId: 'WEKEZA-KE',
      paymentType: 'CARD_PAYMENT',
      localInstrumentationCode: 'POS',
      isEnabled: false,
      disabledReason: 'Card-present POS payments are scored by local rules only: engine calls cost more than the risk',
      disabledBehaviour: 'LOCAL_RULES_ONLY',
      priority: 50,
    },
    {
      tenantId: 'WEKEZA-KE',
      paymentType: 'SWIFT_TRANSFER',
      isEnabled: true,
      enabledReason: 'Cross-border payments always go to the bank engine',
      priority: 100,
    },
    {
      tenantId: 'WEKEZA-KE',
      paymentType: 'SWIFT_TRANSFER',
      clearingSystemCode: 'SWIFT',
      isEnabled: false,
      disabledReason: 'Bank engine upgrade (change CHG-2291): local rules hold the risky ones',
      disabledBehaviour: 'LOCAL_RULES_ONLY',
      effectiveFrom: upgradeFrom.toISOString(),
      effectiveUntil: new Date(upgradeFrom.getTime() + 2 * 3_600_000).toISOString(),
      priority: 10,
    },
    {
      tenantId: 'WEKEZA-MFB',
      paymentType: 'MOBILE_MONEY',
      isEnabled: false,
      disabledReason: 'Microfinance M-PESA payments are scored by local rules only',
      disabledBehaviour: 'LOCAL_RULES_ONLY',
      priority: 50,
    },
    {
      tenantId: 'WEKEZA-KE',
      paymentType: 'RTGS',
      isEnabled: false,
      disabledReason: 'KEPSS outage drill',
      disabledBehaviour: 'LOCAL_RULES_ONLY',
      effectiveFrom: new Date(now.getTime() - 5 * day).toISOString(),
      effectiveUntil: new Date(now.getTime() - 5 * day + 2 * 3_600_000).toISOString(),
      priority: 10,
    },
  ];
  // The resolver reloads after each command (the bus's after-commit event); wait for it.
  for (const input of toggles) await ctx.toggles.execute(createToggle, input, admin);
}
