// What each role may do, in the words the Administration screens use when a role is chosen.
import { HumanRole, type MachineRole } from '../../../shared/src/roles.ts';
import { BANK_WIDE_ROLES } from '../../../shared/src/tenants.ts';

export const HUMAN_ROLES = HumanRole.options;

export const ROLE_HINTS: Record<HumanRole, string> = {
  FRAUD_ANALYST: 'Works and decides cases in the tenants named',
  COMPLIANCE_OFFICER: 'Works escalations, approves four-eyes decisions, merges customers, reads the audit log',
  RISK_OFFICER: 'Keeps the risk register: risks, controls, KRIs and events; reads cases and the overview',
  RISK_MANAGER: 'Administrator: users, machine clients, queues, decision engine, toggles',
  AUDITOR: 'Reads everything, including the audit log; changes nothing',
  EXECUTIVE: 'Sees the overview dashboards, the enterprise risk view and the board report',
};

export const MACHINE_ROLE_HINTS: Record<MachineRole, string> = {
  PAYMENT_ENGINE: 'Scores payments and reads assessments and toggles for the tenants named',
  MONITORING: 'Reads /metrics (Prometheus) and nothing else',
  CORE_BANKING: 'Feeds the risk models: portfolio, incidents and compliance data (seed 000 integration endpoints)',
};

export function isBankWide(role: string | null | undefined): boolean {
  return !!role && (BANK_WIDE_ROLES as readonly string[]).includes(role);
}
