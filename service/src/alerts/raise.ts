import { z } from 'zod';
import { defineCommand, reserveCounter, type CommandContext } from '../commands/bus.ts';
import { toIso, toJson } from '../db/database.ts';
import { lockForUpdate, lockKeys } from '../db/dialect.ts';
import type { Insertable } from 'kysely';
import type { AlertRow, AlertsTable } from '../db/schema-alerting.ts';
import { AlertEntityType, AlertEvidence, AlertPattern, AlertSeverity, SEVERITY_RANK } from '../../../shared/src/alerts.ts';
import { TenantId } from '../../../shared/src/tenants.ts';
import { evidenceOf, recordAlertChange, toAlert, toAlerts } from './mapping.ts';
import { DEFAULT_DEDUP_WINDOW_MINUTES, matchingRules, nextEscalationAt, routeAlertWithin, writeRoute, type RoutingRule } from './routing.ts';

/** What a detector found (slice C's detectors produce these; ARCHITECTURE.md rule 1: raised through a command). */
export const AlertCandidateInput = z.object({
  tenantId: TenantId,
  pattern: AlertPattern,
  severity: AlertSeverity,
  title: z.string().min(1).max(300),
  entityType: AlertEntityType,
  entityId: z.string().min(1).max(200),
  detectedAt: z.iso.datetime({ offset: true }),
  evidence: AlertEvidence,
  /** RISKY_PAYMENT: only that configuration's own rule routes it. */
  configurationId: z.uuid().nullable().default(null),
});
export type AlertCandidate = z.input<typeof AlertCandidateInput>;

/** Payments kept on one alert across its occurrences (the evidence schema's limit). */
const MAX_EVIDENCE_ITEMS = 200;

export function dedupKeyOf(c: { pattern: string; entityType: string; entityId: string }): string {
  return `${c.pattern}|${c.entityType}|${c.entityId}`;
}

/** An occurrence's evidence added to what the alert already holds: payments and customers appended once, newest figures. */
export function mergeEvidence(before: AlertEvidence, added: AlertEvidence): AlertEvidence {
  const seen = new Set(before.payments.map((p) => p.assessmentId));
  const payments = [...before.payments, ...added.payments.filter((p) => !seen.has(p.assessmentId))];
  const customers = [...new Set([...before.customers, ...added.customers])];
  const hits = new Map(before.rules.map((r) => [r.ruleId, r.hits]));
  for (const r of added.rules) hits.set(r.ruleId, Math.max(hits.get(r.ruleId) ?? 0, r.hits));
  return {
    // The newest payments are the ones an analyst needs when the list is full.
    payments: payments.slice(-MAX_EVIDENCE_ITEMS),
    customers: customers.slice(-MAX_EVIDENCE_ITEMS),
    rules: [...hits].map(([ruleId, n]) => ({ ruleId, hits: n })).slice(0, MAX_EVIDENCE_ITEMS),
    figures: { ...before.figures, ...added.figures },
    explanation: added.explanation.slice(0, 50),
  };
}

function withConfiguration(evidence: AlertEvidence, configurationId: string | null): AlertEvidence {
  // Kept with the alert so that escalation later routes it through the same configuration's rule.
  return configurationId ? { ...evidence, figures: { ...evidence.figures, configurationId } } : evidence;
}

/**
 * Raises one alert inside the caller's command: the same pattern and entity still unresolved and
 * seen within the matching rules' dedup window adds an occurrence (no new message); otherwise a
 * new alert ALT-nnnnnn is stored and routed at level 0.
 */
export async function raiseAlertWithin(ctx: CommandContext, input: AlertCandidate): Promise<{ alertId: string; created: boolean }> {
  const c = AlertCandidateInput.parse(input);
  const dedupKey = dedupKeyOf(c);
  const rules = await matchingRules(ctx, c);
  const windowMinutes = rules.length > 0 ? Math.max(...rules.map((r) => r.dedupWindowMinutes)) : DEFAULT_DEDUP_WINDOW_MINUTES;
  // Two hubs raising the same key at once would both insert: serialise them on the key.
  await lockKeys(ctx.dialect, ctx.trx, [`alert:${c.tenantId}:${dedupKey}`]);
  const since = new Date(ctx.now.getTime() - windowMinutes * 60_000).toISOString();
  const existing =
    windowMinutes > 0
      ? await lockForUpdate(
          ctx.dialect,
          ctx.trx
            .selectFrom('alerts')
            .selectAll()
            .where('tenant_id', '=', c.tenantId)
            .where('dedup_key', '=', dedupKey)
            .where('status', '!=', 'RESOLVED')
            .where('last_seen_at', '>=', since)
            .orderBy('last_seen_at', 'desc')
            .limit(1),
        ).executeTakeFirst()
      : undefined;
  if (existing) {
    await addOccurrence(ctx, existing, c, rules);
    return { alertId: existing.id, created: false };
  }
  return { alertId: await insertAlert(ctx, c, dedupKey, rules), created: true };
}

async function addOccurrence(ctx: CommandContext, row: AlertRow, c: z.output<typeof AlertCandidateInput>, rules: readonly RoutingRule[]): Promise<void> {
  const [before] = await toAlerts(ctx.trx, [row]);
  const severity = SEVERITY_RANK[c.severity] > SEVERITY_RANK[before!.severity] ? c.severity : before!.severity;
  const detectedAt = Date.parse(c.detectedAt) > Date.parse(toIso(row.detected_at)) ? new Date(c.detectedAt).toISOString() : toIso(row.detected_at);
  const evidence = mergeEvidence(evidenceOf(row), withConfiguration(c.evidence, c.configurationId));
  const now = ctx.now.toISOString();
  const changes = {
    occurrences: row.occurrences + 1,
    last_seen_at: now,
    detected_at: detectedAt,
    severity,
    evidence: toJson(evidence),
    updated_at: now,
    version: row.version + 1,
  };
  await ctx.trx.updateTable('alerts').set(changes).where('id', '=', row.id).execute();
  const after = { ...before!, severity, occurrences: changes.occurrences, lastSeenAt: now, detectedAt, updatedAt: now, version: changes.version };
  for (const rule of rules) {
    await writeRoute(ctx, after, {
      ruleId: rule.id,
      channelId: null,
      level: row.escalation_level,
      outcome: 'SUPPRESSED_DUPLICATE',
      detail: `Occurrence ${changes.occurrences} within the ${rule.dedupWindowMinutes}-minute dedup window: no new message.`,
    });
  }
  recordAlertChange(ctx, before!, after);
}

async function insertAlert(ctx: CommandContext, c: z.output<typeof AlertCandidateInput>, dedupKey: string, rules: readonly RoutingRule[]): Promise<string> {
  const number = await reserveCounter(ctx.trx, 'alert.reference');
  const now = ctx.now.toISOString();
  const evidence = withConfiguration(c.evidence, c.configurationId);
  const escalateAt = nextEscalationAt(rules, 0, ctx.now);
  const row = {
    id: ctx.newId(),
    reference: `ALT-${String(number).padStart(6, '0')}`,
    tenant_id: c.tenantId,
    pattern: c.pattern,
    severity: c.severity,
    title: c.title,
    entity_type: c.entityType,
    entity_id: c.entityId,
    dedup_key: dedupKey,
    evidence: toJson(evidence),
    status: 'OPEN',
    occurrences: 1,
    detected_at: new Date(c.detectedAt).toISOString(),
    first_seen_at: now,
    last_seen_at: now,
    assignee_id: null,
    acknowledged_by: null,
    acknowledged_at: null,
    resolved_by: null,
    resolved_at: null,
    resolution: null,
    resolution_note: null,
    case_id: null,
    escalation_level: 0,
    next_escalation_at: escalateAt ? escalateAt.toISOString() : null,
    created_at: now,
    updated_at: now,
    version: 1,
  } satisfies Insertable<AlertsTable>;
  await ctx.trx.insertInto('alerts').values(row).execute();
  const alert = toAlert(row, { users: new Map(), cases: new Map() });
  await routeAlertWithin(ctx, { alert, evidence, level: 0, event: 'alert.raised', notified: new Set() }, rules);
  recordAlertChange(ctx, null, alert);
  return row.id;
}

/**
 * What the detectors call (slice C's stream and periodic jobs): candidates of one batch in one
 * transaction. Only the service itself raises alerts (permission null).
 */
export const raiseAlerts = defineCommand({
  name: 'alert.raise',
  input: z.object({ candidates: z.array(AlertCandidateInput).max(500) }),
  permission: null,
  async apply(ctx, input): Promise<Array<{ alertId: string; created: boolean }>> {
    const results: Array<{ alertId: string; created: boolean }> = [];
    for (const candidate of input.candidates) results.push(await raiseAlertWithin(ctx, candidate));
    return results;
  },
});
