import { defineCommand, type Actor, type CommandContext } from '../../commands/bus.ts';
import { parseOrThrow } from '../../errors.ts';
import type { IngestResult } from '../../../../shared/src/risk-data.ts';
import {
  RISK_EVENT_PAYLOADS,
  RiskQueueMessage,
  type ParsedRiskEvent,
  type RiskEventPayload,
  type RiskEventType,
} from '../../../../shared/src/risk-data-events.ts';
import type { RecordRiskEventInput } from '../../risk-events/record.ts';
import { recordRiskEventWithin } from '../../risk-events/record.ts';
import { updateSanctionsBacklogWithin } from '../backlog.ts';
import { measureMetricsWithin, rerunModelWithin } from '../feed.ts';
import { ingestWithin, type IngestOutcome } from '../ingest.ts';
import { loadLoan, storeOutcomesWithin, upsertAmlCaseWithin, upsertLoansWithin, upsertScreeningWithin } from '../store.ts';
import { COMPLIANCE_METRICS } from '../commands.ts';

/** Who applies queue events: the service itself, on behalf of core banking (the queue is bank-wide). */
export const RISK_QUEUE_ACTOR: Actor = { kind: 'system', id: 'amqp:risk-events', name: 'Core banking (risk-events queue)', role: 'SYSTEM', tenants: 'ALL' };

/** Checks a message's payload against its type's schema (a 400 naming `payload.<field>`). */
export function parseRiskEvent(message: RiskQueueMessage): ParsedRiskEvent {
  const payload = parseOrThrow(RISK_EVENT_PAYLOADS[message.type], message.payload, 'payload');
  return { ...message, payload } as ParsedRiskEvent;
}

type Handler<T extends RiskEventType> = (
  ctx: CommandContext,
  event: { eventId: string; occurredAt: string; tenantId: string; payload: RiskEventPayload<T> },
  result: IngestResult,
) => Promise<void>;

async function riskEvent(
  ctx: CommandContext,
  result: IngestResult,
  event: { eventId: string; occurredAt: string; tenantId: string },
  fields: Omit<RecordRiskEventInput, 'tenantId' | 'source' | 'occurredAt' | 'externalId'>,
) {
  const recorded = await recordRiskEventWithin(ctx, {
    ...fields,
    tenantId: event.tenantId,
    source: 'EVENT_QUEUE',
    occurredAt: event.occurredAt,
    externalId: event.eventId,
  });
  result.riskEventIds.push(recorded.id);
  result.records.created += 1;
}

const money = (n: number) => n.toLocaleString('en-KE', { maximumFractionDigits: 2 });

/** Each type's effect (documented with its schema in shared/src/risk-data-events.ts). */
const HANDLERS: { [T in RiskEventType]: Handler<T> } = {
  async LoanDisbursed(ctx, e, result) {
    const p = e.payload;
    await upsertLoansWithin(
      ctx,
      e.tenantId,
      [
        {
          loanId: p.loanId,
          customerId: p.customerId,
          sector: p.sector,
          outstandingBalance: p.amount,
          daysPastDue: 0,
          collateralValue: p.collateralValue,
          provision: 0,
          status: 'ACTIVE',
          disbursedAt: p.disbursedAt ?? e.occurredAt,
        },
      ],
      result.records,
    );
    await rerunModelWithin(ctx, e.tenantId, 'CREDIT', `LoanDisbursed ${p.loanId}`, result);
  },
  async LoanDefaulted(ctx, e, result) {
    const p = e.payload;
    const loan = await loadLoan(ctx, e.tenantId, p.loanId);
    if (loan) {
      await upsertLoansWithin(
        ctx,
        e.tenantId,
        [
          {
            ...loan,
            status: 'DEFAULTED',
            daysPastDue: Math.max(p.daysPastDue, 90),
            outstandingBalance: p.outstandingBalance ?? loan.outstandingBalance,
            provision: p.provision ?? loan.provision,
          },
        ],
        result.records,
      );
    } else {
      result.notes.push(`loan ${p.loanId} is not known: its default is recorded as an event only`);
    }
    await riskEvent(ctx, result, e, {
      type: 'CREDIT',
      severity: 'HIGH',
      title: `Loan ${p.loanId} defaulted`,
      description: `Core banking reported loan ${p.loanId} in default (${Math.max(p.daysPastDue, 90)} days past due).`,
      financialImpact: p.outstandingBalance ?? loan?.outstandingBalance ?? null,
      currency: 'KES',
      details: { ...p },
    });
    await rerunModelWithin(ctx, e.tenantId, 'CREDIT', `LoanDefaulted ${p.loanId}`, result);
  },
  async CreditLimitExceeded(ctx, e, result) {
    const p = e.payload;
    const excess = ((p.exposure - p.limit) / p.limit) * 100;
    await riskEvent(ctx, result, e, {
      type: 'CREDIT',
      severity: excess >= 10 ? 'HIGH' : 'MEDIUM',
      title: `Credit limit exceeded by ${p.customerId}`,
      description: `Exposure ${money(p.exposure)} against a limit of ${money(p.limit)} (${excess.toFixed(1)} % over).`,
      financialImpact: Math.max(p.exposure - p.limit, 0),
      currency: 'KES',
      details: { ...p, excessPercent: excess },
    });
  },
  async CollateralValueChanged(ctx, e, result) {
    const loan = await loadLoan(ctx, e.tenantId, e.payload.loanId);
    if (!loan) {
      result.notes.push(`loan ${e.payload.loanId} is not known: the collateral value was not stored`);
      return;
    }
    await upsertLoansWithin(ctx, e.tenantId, [{ ...loan, collateralValue: e.payload.collateralValue }], result.records);
    await rerunModelWithin(ctx, e.tenantId, 'CREDIT', `CollateralValueChanged ${e.payload.loanId}`, result);
  },
  async TransactionFailed(ctx, e, result) {
    await storeOutcomesWithin(
      ctx,
      e.tenantId,
      [{ transactionId: e.payload.transactionId, occurredAt: e.occurredAt, failed: true, reason: e.payload.reason }],
      result.records,
    );
    await measureMetricsWithin(ctx, e.tenantId, ['operational.transaction-failure-rate'], result);
  },
  async SystemOutage(ctx, e, result) {
    const p = e.payload;
    await riskEvent(ctx, result, e, {
      type: 'INCIDENT',
      severity: p.severity ?? 'HIGH',
      title: `SystemOutage: ${p.affectedSystem}`,
      description: p.description ?? `${p.affectedSystem} was down for ${p.downtimeMinutes} minutes.`,
      financialImpact: p.financialImpact ?? null,
      currency: p.financialImpact === undefined ? null : 'KES',
      details: { incidentType: 'SystemOutage', affectedSystem: p.affectedSystem, downtimeMinutes: p.downtimeMinutes },
    });
    await measureMetricsWithin(ctx, e.tenantId, ['operational.incidents'], result);
  },
  async ProcessException(ctx, e, result) {
    const p = e.payload;
    await riskEvent(ctx, result, e, {
      type: 'INCIDENT',
      severity: p.severity ?? 'MEDIUM',
      title: `ProcessException: ${p.process}`,
      description: p.description,
      financialImpact: p.financialImpact ?? null,
      currency: p.financialImpact === undefined ? null : 'KES',
      details: { incidentType: 'ProcessException', process: p.process },
    });
    await measureMetricsWithin(ctx, e.tenantId, ['operational.incidents'], result);
  },
  async FraudDetected(ctx, e, result) {
    const p = e.payload;
    await riskEvent(ctx, result, e, {
      type: 'INCIDENT',
      severity: 'HIGH',
      title: `Fraud detected${p.customerId ? ` for ${p.customerId}` : ''}`,
      description: p.description ?? `Core banking detected fraud${p.transactionId ? ` on transaction ${p.transactionId}` : ''}.`,
      financialImpact: p.amount ?? null,
      currency: p.amount === undefined ? null : p.currency,
      details: { incidentType: 'FraudDetected', ...p },
    });
    await measureMetricsWithin(ctx, e.tenantId, ['operational.incidents'], result);
  },
  async AMLAlertGenerated(ctx, e, result) {
    const p = e.payload;
    await upsertAmlCaseWithin(ctx, e.tenantId, { caseId: p.alertId, status: 'Open', riskScore: p.riskScore }, result.records);
    await riskEvent(ctx, result, e, {
      type: 'COMPLIANCE',
      severity: (p.riskScore ?? 0) >= 70 ? 'HIGH' : 'MEDIUM',
      title: `AML alert ${p.alertId}`,
      description: `An AML alert was generated${p.customerId ? ` for ${p.customerId}` : ''}${p.riskScore === undefined ? '' : ` (risk score ${p.riskScore})`}.`,
      details: { ...p },
    });
    await measureMetricsWithin(ctx, e.tenantId, COMPLIANCE_METRICS, result);
  },
  async SanctionsMatchFound(ctx, e, result) {
    const p = e.payload;
    await upsertScreeningWithin(ctx, e.tenantId, { screeningId: p.screeningId, matchCount: p.matchCount, status: 'PendingReview' }, result.records);
    await measureMetricsWithin(ctx, e.tenantId, COMPLIANCE_METRICS, result);
    await updateSanctionsBacklogWithin(ctx, e.tenantId, result);
  },
  async RegulatoryReportDue(ctx, e, result) {
    const p = e.payload;
    const daysLeft = (Date.parse(p.dueDate) - Date.parse(e.occurredAt)) / 86_400_000;
    await riskEvent(ctx, result, e, {
      type: 'COMPLIANCE',
      severity: daysLeft <= 3 ? 'HIGH' : 'MEDIUM',
      title: `Regulatory report due: ${p.report}`,
      description: `${p.report}${p.regulator ? ` to ${p.regulator}` : ''} is due ${new Date(p.dueDate).toISOString()}${daysLeft < 0 ? ' (overdue)' : ''}.`,
      details: { ...p },
    });
  },
  async PolicyViolation(ctx, e, result) {
    const p = e.payload;
    await riskEvent(ctx, result, e, {
      type: 'COMPLIANCE',
      severity: p.severity ?? 'MEDIUM',
      title: `Policy violation: ${p.policy}`,
      description: p.description,
      details: { ...p },
    });
  },
};

/**
 * Applies one message of the `risk-events` queue (seed 000 "Event-Driven Integration"), exactly
 * once by its eventId: a redelivery answers the stored result and writes nothing (rule 1).
 * Run by the service only (the queue consumer), never over HTTP.
 */
export const applyRiskQueueEvent = defineCommand({
  name: 'integration.risk-event',
  input: RiskQueueMessage,
  permission: null,
  apply(ctx, message): Promise<IngestOutcome> {
    const event = parseRiskEvent(message);
    return ingestWithin(ctx, { tenantId: event.tenantId, source: 'AMQP', type: event.type, exactKey: `event:${event.eventId}`, body: message }, (result) =>
      (HANDLERS[event.type] as Handler<RiskEventType>)(ctx, event as Parameters<Handler<RiskEventType>>[1], result),
    );
  },
});
