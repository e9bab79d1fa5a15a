// A decision on one payment from the assessment drawer (issue 10 item 5). The drawer offers only
// what the service allows: with an open case the payment is decided in that case; without one,
// the same four-eyes limits apply and the drawer says before sending when a decision will wait
// for a second approver. The rules are planPaymentDecision (shared/src/case-rules.ts), the same
// function the service decides with.
import { useCallback } from 'react';
import Alert from '@mui/material/Alert';
import type { Assessment, Decision } from '../../../shared/src/assessments.ts';
import { OPEN_CASE_STATES, type CaseSummary, type FourEyesSettings } from '../../../shared/src/cases.ts';
import { planPaymentDecision, type PaymentDecisionPlan } from '../../../shared/src/case-rules.ts';
import { assessmentOperations } from '../../../shared/src/contract/assessments.ts';
import { callApi } from '../api/contract-client.ts';
import { useCan } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { fetchCase, fetchFourEyes } from './casesApi.ts';

export interface PaymentDecisionRules {
  /** The payment's open case: decisions are made there. */
  openCase: CaseSummary | null;
  /** How a decision would be made, or null while the rules load. */
  plan(decision: Decision): PaymentDecisionPlan | null;
}

/** The four-eyes limits and the payment's open case, for deciding from the drawer. */
export function usePaymentDecisionRules(assessment: Assessment, enabled: boolean): PaymentDecisionRules {
  const canReadCases = useCan('case:read');
  const active = enabled && canReadCases;
  const caseId = assessment.caseId;
  const fetcher = useCallback(
    async (signal: AbortSignal): Promise<{ settings: FourEyesSettings; openCase: CaseSummary | null } | null> => {
      if (!active) return null;
      const [settings, detail] = await Promise.all([fetchFourEyes(signal), caseId ? fetchCase(caseId, signal) : Promise.resolve(null)]);
      return { settings, openCase: detail && OPEN_CASE_STATES.includes(detail.case.state) ? detail.case : null };
    },
    [active, caseId],
  );
  const { data } = useApiQuery(`payment-decision:${assessment.id}:${assessment.version}:${caseId ?? '-'}:${active}`, fetcher);
  const openCase = data?.openCase ?? null;
  return {
    openCase,
    plan: (decision) =>
      data
        ? planPaymentDecision(
            decision,
            { riskLevel: assessment.riskLevel, totalAmountKes: assessment.payment.amountKes },
            openCase ? { reference: openCase.reference, riskLevel: openCase.riskLevel, totalAmountKes: openCase.totalAmountKes } : null,
            data.settings,
          )
        : null,
  };
}

/** PUT …/assessments/{id}/decision: the one command that decides a payment. */
export function decidePayment(id: string, body: { decision: Decision; reason: string; expectedVersion?: number }) {
  return callApi(assessmentOperations.decide, { params: { id }, body });
}

/** What the chosen decision will do, said before it is sent. */
export function PaymentDecisionHint({ plan }: { plan: PaymentDecisionPlan | null }) {
  if (!plan || plan.via === 'direct') return null;
  if (plan.via === 'approval') {
    return (
      <Alert severity="warning" sx={{ mt: 1.5 }} data-testid="manual-decision-needs-approval">
        Needs a second approver ({plan.why}). Your decision waits in a case of its own until someone else confirms it; the payment stays as it is until then.
      </Alert>
    );
  }
  if (plan.via === 'review') {
    return (
      <Alert severity="info" sx={{ mt: 1.5 }}>
        The payment goes to an analyst: it gets a case (or joins the customer’s open case).
      </Alert>
    );
  }
  if (plan.via === 'refused')
    return (
      <Alert severity="error" sx={{ mt: 1.5 }}>
        {plan.message}.
      </Alert>
    );
  return (
    <Alert severity={plan.approvalWhy ? 'warning' : 'info'} sx={{ mt: 1.5 }}>
      Decided through case {plan.caseReference}
      {plan.approvalWhy ? `; it needs a second approver (${plan.approvalWhy})` : ''}.
    </Alert>
  );
}
