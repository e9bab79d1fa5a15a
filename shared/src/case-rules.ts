import type { Permission } from './roles.ts';
import { CASE_OPENING_DECISIONS, type Decision, type RiskLevel } from './assessments.ts';
import { CASE_TRANSITIONS, CaseCommandName, REASSIGNABLE_STATES, type CaseAction, type CaseState, type CaseSummary, type FourEyesSettings } from './cases.ts';

/** Who is looking at or acting on a case. */
export interface CaseViewer {
  id: string;
  permissions: ReadonlySet<Permission>;
}

export interface Refusal {
  status: 403 | 409;
  message: string;
}

type CaseFacts = Pick<CaseSummary, 'reference' | 'state' | 'assigneeId' | 'assigneeName' | 'approvalRequest'>;

const PERMISSION_FOR: Record<CaseCommandName, Permission> = {
  assign: 'case:work',
  reassign: 'case:supervise',
  release: 'case:work',
  start: 'case:work',
  'request-info': 'case:work',
  resume: 'case:work',
  escalate: 'case:decide',
  approve: 'case:decide',
  block: 'case:decide',
  'approval-decide': 'case:approve',
  comment: 'case:work',
  attach: 'case:work',
  tag: 'case:work',
};

const VERB: Record<CaseCommandName, string> = {
  assign: 'be assigned',
  reassign: 'be reassigned',
  release: 'be released',
  start: 'be started',
  'request-info': 'wait for information',
  resume: 'be resumed',
  escalate: 'be escalated',
  approve: 'be approved',
  block: 'be blocked',
  'approval-decide': 'have its four-eyes decision confirmed',
  comment: 'take comments',
  attach: 'take attachments',
  tag: 'be tagged',
};

/**
 * Why the viewer may not run a command on a case now, or null when they may. The service enforces
 * every case command with this; the UI shows only what it allows (allowedCaseActions).
 */
export function refuseCaseCommand(command: CaseCommandName, c: CaseFacts, viewer: CaseViewer): Refusal | null {
  const permission = PERMISSION_FOR[command];
  if (!viewer.permissions.has(permission)) return { status: 403, message: `this needs the ${permission} permission` };
  const supervisor = viewer.permissions.has('case:supervise');
  const state = c.state as CaseState;
  const wrongState = (): Refusal => ({ status: 409, message: `case ${c.reference} is ${state}: it cannot ${VERB[command]} now` });
  const someoneElses = c.assigneeId !== null && c.assigneeId !== viewer.id;
  const notYours = (): Refusal => ({
    status: 403,
    message: `case ${c.reference} is assigned to ${c.assigneeName ?? 'someone else'}; only they or a supervisor can do that`,
  });

  switch (command) {
    case 'comment':
    case 'attach':
      return null;
    case 'tag':
      return state === 'CLOSED' ? wrongState() : null;
    case 'reassign':
      return REASSIGNABLE_STATES.includes(state) || state === 'NEW' ? null : wrongState();
    case 'assign':
      if (!CASE_TRANSITIONS.assign.from.includes(state) || c.assigneeId !== null) {
        return someoneElses && REASSIGNABLE_STATES.includes(state) ? notYours() : wrongState();
      }
      // Escalated cases are for seniors: compliance officers and risk managers.
      if (state === 'ESCALATED' && !supervisor) return { status: 403, message: `case ${c.reference} is escalated: only a supervisor can take it` };
      return null;
    case 'approval-decide':
      if (state !== 'AWAITING_APPROVAL' || !c.approvalRequest) return wrongState();
      if (c.approvalRequest.requestedById === viewer.id) {
        return { status: 403, message: `four-eyes: ${c.approvalRequest.requestedByName} asked for this decision, so a second approver has to confirm it` };
      }
      return null;
    default: {
      const transition = CASE_TRANSITIONS[command];
      if (!transition.from.includes(state)) return wrongState();
      if (command === 'release' && c.assigneeId === null) return wrongState();
      if (someoneElses && !supervisor) return notYours();
      if (c.assigneeId === null && !supervisor) return { status: 409, message: `case ${c.reference} is not assigned: take it first` };
      return null;
    }
  }
}

export function allowedCaseActions(c: CaseFacts, viewer: CaseViewer): CaseCommandName[] {
  return CaseCommandName.options.filter((command) => refuseCaseCommand(command, c, viewer) === null);
}

// --- four-eyes and the one way a payment is decided (issue 10 item 5) ---------------------------

/** What four-eyes looks at: the risk level and the amount at stake (a case's payments, or one payment). */
export interface FourEyesFacts {
  riskLevel: RiskLevel | null;
  totalAmountKes: number;
}

const formatKes = (n: number) => `KES ${Math.round(n).toLocaleString('en-KE')}`;

/** Why a closing decision needs a second approver, or null. The same limits hold for a case and for a payment without one. */
export function fourEyesReason(settings: FourEyesSettings, facts: FourEyesFacts, action: 'APPROVE' | 'BLOCK'): string | null {
  if (action === 'BLOCK' && facts.totalAmountKes > settings.blockAboveKes)
    return `blocking ${formatKes(facts.totalAmountKes)} (above the ${formatKes(settings.blockAboveKes)} limit)`;
  if (settings.closeCritical && facts.riskLevel === 'CRITICAL') return 'closing a CRITICAL case';
  return null;
}

/** The case action a payment decision stands for; review decisions (MANUAL_REVIEW, HOLD) have none. */
export function caseActionFor(decision: Decision): CaseAction | null {
  if (decision === 'APPROVE') return 'APPROVE';
  if (decision === 'REJECT') return 'BLOCK';
  if (decision === 'ESCALATE') return 'ESCALATE';
  return null;
}

/**
 * How a decision on one payment is made (service and assessment drawer alike), so that a
 * two-person decision is never made by one person through another door:
 * - `case`: the payment has an open case; the decision is that case's (its state, assignee and four-eyes).
 * - `refused`: a review decision for a payment whose case is already open.
 * - `approval`: no open case, but the same four-eyes limits apply: the decision waits in a case of its own for a second approver.
 * - `review`: MANUAL_REVIEW, HOLD or ESCALATE without an open case: the payment gets a case, as the engine's would.
 * - `direct`: anything else takes effect at once.
 */
export type PaymentDecisionPlan =
  | { via: 'case'; action: CaseAction; caseReference: string; approvalWhy: string | null }
  | { via: 'refused'; message: string }
  | { via: 'approval'; action: 'APPROVE' | 'BLOCK'; why: string }
  | { via: 'review' }
  | { via: 'direct' };

export function planPaymentDecision(
  decision: Decision,
  payment: FourEyesFacts,
  openCase: (FourEyesFacts & { reference: string }) | null,
  settings: FourEyesSettings,
): PaymentDecisionPlan {
  const action = caseActionFor(decision);
  if (openCase) {
    if (!action) return { via: 'refused', message: `the payment is already under review in case ${openCase.reference}: decide it there` };
    return { via: 'case', action, caseReference: openCase.reference, approvalWhy: action === 'ESCALATE' ? null : fourEyesReason(settings, openCase, action) };
  }
  if (action === 'APPROVE' || action === 'BLOCK') {
    const why = fourEyesReason(settings, payment, action);
    return why ? { via: 'approval', action, why: why.replace('closing a CRITICAL case', 'deciding a CRITICAL payment') } : { via: 'direct' };
  }
  return CASE_OPENING_DECISIONS.includes(decision) ? { via: 'review' } : { via: 'direct' };
}
