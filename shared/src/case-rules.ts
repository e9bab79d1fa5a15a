import type { Permission } from './roles.ts';
import { CASE_TRANSITIONS, CaseCommandName, REASSIGNABLE_STATES, type CaseState, type CaseSummary } from './cases.ts';

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
  const notYours = (): Refusal => ({ status: 403, message: `case ${c.reference} is assigned to ${c.assigneeName ?? 'someone else'}; only they or a supervisor can do that` });

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
