import { randomUUID } from 'node:crypto';
import { encodeRiskFactors } from '../assessments/risk-factor-codec.ts';
import type { Insertable } from 'kysely';
import type { Db } from '../db/database.ts';
import type { AssessmentsTable, AuditLogTable, CaseAssessmentsTable, CasesTable, PaymentsTable } from '../db/schema.ts';
import { dbBool, toJson } from '../db/database.ts';
import type { RiskFactor } from '../../../shared/src/assessments.ts';

/**
 * Stored history written straight into the tables (payments, assessments, customers, cases, audit
 * rows of case decisions): the dashboard tests' hand-counted fixtures and the year of history
 * `npm run bench:dashboards` measures. Only tests and the bench script import this file; the
 * product writes these rows through its commands (ARCHITECTURE.md rule 1).
 */
export interface HistoryCase {
  state: 'NEW' | 'CLOSED';
  outcome: 'APPROVED' | 'BLOCKED' | null;
  createdAt: string;
  closedAt: string | null;
  slaDueAt: string;
  queue: string;
  queueId: string | null;
  /** Who decided, for the decision's audit row (closed cases only). */
  decidedBy?: { id: string; name: string } | undefined;
}

export interface HistoryAssessment {
  tenantId: string;
  createdAt: string;
  channel: string;
  paymentType: string;
  amountKes: number;
  engineDecision: string;
  riskLevel: string;
  customerRef: string;
  creditorAccount: string;
  /** Rules that fired (HIT); `evaluatedRules` lists those evaluated without firing (NO_HIT). */
  ruleHits: string[];
  evaluatedRules?: string[] | undefined;
  configurationId: string | null;
  configurationVersion: string | null;
  case?: HistoryCase | undefined;
}

function factor(ruleId: string, outcome: 'HIT' | 'NO_HIT'): RiskFactor {
  return {
    ruleId,
    name: `Rule ${ruleId}`,
    family: 'AMOUNT',
    outcome,
    weight: 1,
    contribution: outcome === 'HIT' ? 0.1 : 0,
    explanation: outcome === 'HIT' ? `${ruleId} fired` : `${ruleId} did not fire`,
    evaluationMicros: 5,
  };
}

export async function insertCustomers(db: Db, customers: ReadonlyArray<{ customerRef: string; county: string }>, at: string): Promise<void> {
  for (let i = 0; i < customers.length; i += 200) {
    await db.kysely
      .insertInto('customers')
      .values(
        customers.slice(i, i + 200).map((c) => ({
          id: randomUUID(),
          customer_ref: c.customerRef,
          full_name: `Customer ${c.customerRef}`,
          national_id: c.customerRef.replace(/\D/g, '').padStart(8, '0'),
          phone: `+2547${c.customerRef.replace(/\D/g, '').slice(-8).padStart(8, '0')}`,
          email: null,
          county: c.county,
          segment: 'RETAIL',
          kyc_status: 'VERIFIED',
          risk_rating: 'LOW',
          customer_since: '2020-01-01',
          accounts: '[]',
          created_at: at,
          updated_at: at,
          version: 1,
          deleted_at: null,
        })),
      )
      .execute();
  }
}

let sequence = 0;

/** Inserts assessments with their payments (and cases), in batches; returns the assessment row ids. */
export async function insertHistory(db: Db, items: readonly HistoryAssessment[], batchSize = 200): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < items.length; start += batchSize) {
    const batch = items.slice(start, start + batchSize);
    const payments: Insertable<PaymentsTable>[] = [];
    const assessments: Insertable<AssessmentsTable>[] = [];
    const cases: Insertable<CasesTable>[] = [];
    const links: Insertable<CaseAssessmentsTable>[] = [];
    const audits: Insertable<AuditLogTable>[] = [];
    for (const item of batch) {
      const n = ++sequence;
      const paymentId = randomUUID();
      const id = randomUUID();
      const caseId = item.case ? randomUUID() : null;
      const reference = `HIST-${process.pid}-${n}-${id.slice(0, 8)}`;
      ids.push(id);
      payments.push({
        id: paymentId,
        tenant_id: item.tenantId,
        transaction_reference: reference,
        payment_type: item.paymentType,
        local_instrumentation_code: null,
        clearing_system_code: null,
        payment_source: 'BANK_CLIENT',
        amount: item.amountKes,
        currency: 'KES',
        amount_kes: item.amountKes,
        occurred_at: item.createdAt,
        channel: item.channel,
        country: 'KE',
        customer_ref: item.customerRef,
        debtor_account: `0120${String(n).padStart(9, '0')}`,
        creditor_account: item.creditorAccount,
        ip_address: null,
        device_id: null,
        user_agent: null,
        description: null,
        created_at: item.createdAt,
        version: 1,
      });
      const factors = [...item.ruleHits.map((r) => factor(r, 'HIT')), ...(item.evaluatedRules ?? []).map((r) => factor(r, 'NO_HIT'))];
      const decision = item.case?.outcome === 'BLOCKED' ? 'REJECT' : item.case?.outcome === 'APPROVED' ? 'APPROVE' : item.engineDecision;
      assessments.push({
        id,
        assessment_id: `FRA-H${n}-${id.slice(0, 8)}`,
        transaction_reference: reference,
        tenant_id: item.tenantId,
        payment_type: item.paymentType,
        local_instrumentation_code: null,
        clearing_system_code: null,
        payment_source: 'BANK_CLIENT',
        risk_assessment_type: 'REAL_TIME',
        configuration_id: item.configurationId,
        configuration_version: item.configurationVersion,
        external_api_used: null,
        risk_score: item.riskLevel === 'CRITICAL' ? 0.9 : item.riskLevel === 'HIGH' ? 0.7 : item.riskLevel === 'MEDIUM' ? 0.4 : 0.1,
        risk_level: item.riskLevel,
        decision,
        decision_reason: 'history',
        engine_decision: item.engineDecision,
        engine_decision_reason: 'history',
        external_api_request: null,
        external_api_response: null,
        // Stored exactly as scoring stores them (tuples), so the analytics read the real format.
        risk_factors: encodeRiskFactors(factors),
        assessment_details: null,
        processing_time_ms: 3,
        external_api_response_time_ms: null,
        status: 'COMPLETED',
        error_message: null,
        retry_count: 0,
        assessed_at: item.createdAt,
        expires_at: null,
        created_at: item.createdAt,
        updated_at: item.createdAt,
        payment_id: paymentId,
        customer_ref: item.customerRef,
        amount_kes: item.amountKes,
        channel: item.channel,
        case_id: caseId,
        manual_decision: null,
        version: 1,
        deleted_at: null,
      });
      if (item.case && caseId) {
        const c = item.case;
        cases.push({
          id: caseId,
          reference: `CASE-H-${n}-${caseId.slice(0, 6)}`,
          state: c.state,
          queue: c.queue,
          queue_id: c.queueId,
          risk_level: item.riskLevel,
          risk_score: 0.7,
          opening_decision: item.engineDecision,
          customer_ref: item.customerRef,
          customer_name: null,
          amount: item.amountKes,
          currency: 'KES',
          amount_kes: item.amountKes,
          channel: item.channel,
          transaction_reference: reference,
          assignee_id: c.decidedBy?.id ?? null,
          assignee_name: c.decidedBy?.name ?? null,
          outcome: c.outcome,
          reason_code: c.outcome === 'APPROVED' ? 'FALSE_POSITIVE_RULE' : c.outcome === 'BLOCKED' ? 'MULE_ACCOUNT' : null,
          decision_note: null,
          sla_due_at: c.slaDueAt,
          created_at: c.createdAt,
          updated_at: c.closedAt ?? c.createdAt,
          closed_at: c.closedAt,
          version: 1,
          deleted_at: null,
          customer_gcid: null,
          tenant_id: item.tenantId,
          payment_type: item.paymentType,
          reason_codes: '[]',
          tags: '[]',
          payment_count: 1,
          total_amount_kes: item.amountKes,
          sla_paused_at: null,
          escalated_at: null,
          approval_request: null,
          is_open: dbBool(db.dialect, c.state !== 'CLOSED'),
          search_text: reference.toLowerCase(),
        });
        links.push({ case_id: caseId, assessment_id: id, linked_at: c.createdAt });
        if (c.state === 'CLOSED' && c.closedAt && c.decidedBy) {
          // What saveCase writes for a direct close by the analyst (cases/commands.ts caseAuditView).
          audits.push({
            id: randomUUID(),
            occurred_at: c.closedAt,
            actor_id: c.decidedBy.id,
            actor_name: c.decidedBy.name,
            actor_role: 'FRAUD_ANALYST',
            command: 'case.decide',
            entity_type: 'case',
            entity_id: caseId,
            before: toJson({ state: 'IN_PROGRESS', slaDueAt: c.slaDueAt }),
            after: toJson({ state: 'CLOSED', outcome: c.outcome, slaDueAt: c.slaDueAt }),
            request_id: null,
            tenant_id: item.tenantId,
          });
        }
      }
    }
    await db.kysely.transaction().execute(async (trx) => {
      await trx.insertInto('payments').values(payments).execute();
      if (cases.length) await trx.insertInto('cases').values(cases).execute();
      await trx.insertInto('fraud_risk_assessments').values(assessments).execute();
      if (links.length) await trx.insertInto('case_assessments').values(links).execute();
      if (audits.length) await trx.insertInto('audit_log').values(audits).execute();
    });
  }
  return ids;
}
