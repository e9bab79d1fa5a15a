import { z } from 'zod';

/**
 * Roles follow seed 000's mapping of core-banking roles to ERMS roles, plus the fraud analyst
 * who works case queues and the machine role used by the bank's payment engine.
 */
export const Role = z.enum([
  'FRAUD_ANALYST',
  'RISK_OFFICER',
  'COMPLIANCE_OFFICER',
  'RISK_MANAGER',
  'AUDITOR',
  'EXECUTIVE',
  'PAYMENT_ENGINE',
  'MONITORING',
  'CORE_BANKING',
  'OPEN_BANKING_APP',
]);
export type Role = z.infer<typeof Role>;

export const ROLE_LABELS: Record<Role, string> = {
  FRAUD_ANALYST: 'Fraud analyst',
  RISK_OFFICER: 'Risk officer',
  COMPLIANCE_OFFICER: 'Compliance officer',
  RISK_MANAGER: 'Risk manager (admin)',
  AUDITOR: 'Auditor (read-only)',
  EXECUTIVE: 'Executive',
  PAYMENT_ENGINE: 'Payment engine (machine client)',
  MONITORING: 'Monitoring (machine client)',
  CORE_BANKING: 'Core banking (machine client)',
  OPEN_BANKING_APP: 'Open Banking app (OAuth client)',
};

export const Permission = z.enum([
  'assessment:create',
  'assessment:read',
  /** Retry and cancel assessments (the payment engine and admins). */
  'assessment:manage',
  'configuration:read',
  /** Create, edit, publish and delete decision-engine configurations; train the anomaly model. */
  'configuration:manage',
  /** Check whether the bank's fraud engine is on for a context; read toggle configurations. */
  'toggle:read',
  /** Switch the bank's fraud engine on or off, schedule windows, approve others' disables. */
  'toggle:manage',
  'case:read',
  'case:work',
  'case:decide',
  /** Four-eyes approver rights: confirm or reject another user's block above the limit or CRITICAL close. */
  'case:approve',
  /** Assign cases to others, take over others' cases, bulk-assign, work the escalation queue. */
  'case:supervise',
  /** Queues, routing rules, SLAs and the four-eyes limits. */
  'case:configure',
  /** Merge two global customer ids that are the same person. */
  'customer:merge',
  'customer:read',
  'audit:read',
  'dashboard:read',
  'metrics:read',
  'user:manage',
  /** Read the risk register, controls, KRIs, risk events and the enterprise risk view (issue 13). */
  'risk:read',
  /** Record and edit risks, assessments, controls and their tests, treatments, KRI measurements and risk events. */
  'risk:manage',
  /** Approve or reject another user's risk acceptance. */
  'risk:approve',
  /** Edit the risk matrix, KRI thresholds and automatic schedules; import the register. */
  'risk:configure',
  /** Feed the risk models: the core banking system's integration endpoints (seed 000). */
  'integration:ingest',
  /** Read the consent register, its access log and webhook deliveries (issue 14). */
  'consent:read',
  /** Revoke a customer's consent on the bank's behalf, with a reason. */
  'consent:revoke',
  /** Register, suspend and rotate Open Banking apps; replay webhook deliveries. */
  'openbanking:manage',
  /** An Open Banking app acting under its OAuth token (consent checked per request): never a person or an API key. */
  'openbanking:partner',
  /** See the alerts inbox and detector thresholds (issue 15). */
  'alert:read',
  /** Acknowledge, assign and resolve alerts; open a case from one. */
  'alert:work',
  /** Alert channels (their secrets), routing rules and detector thresholds. */
  'alert:configure',
]);
export type Permission = z.infer<typeof Permission>;

const READ_OPERATIONS: Permission[] = ['assessment:read', 'case:read', 'customer:read', 'dashboard:read', 'configuration:read', 'toggle:read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  FRAUD_ANALYST: [...READ_OPERATIONS, 'case:work', 'case:decide', 'alert:read', 'alert:work'],
  // Seed 000: compliance officers and risk officers are ERMS risk officers (manage the risks they own).
  COMPLIANCE_OFFICER: [
    ...READ_OPERATIONS,
    'case:work',
    'case:decide',
    'case:approve',
    'case:supervise',
    'customer:merge',
    'audit:read',
    'risk:read',
    'risk:manage',
    'consent:read',
    'consent:revoke',
    'alert:read',
    'alert:work',
  ],
  RISK_OFFICER: [...READ_OPERATIONS, 'risk:read', 'risk:manage', 'alert:read'],
  RISK_MANAGER: [
    ...READ_OPERATIONS,
    'case:work',
    'case:decide',
    'case:approve',
    'case:supervise',
    'case:configure',
    'customer:merge',
    'audit:read',
    'metrics:read',
    'user:manage',
    'assessment:create',
    'assessment:manage',
    'configuration:manage',
    'toggle:manage',
    'risk:read',
    'risk:manage',
    'risk:approve',
    'risk:configure',
    'consent:read',
    'consent:revoke',
    'openbanking:manage',
    'alert:read',
    'alert:work',
    'alert:configure',
  ],
  // Auditors read everything, including the audit trail, and change nothing.
  AUDITOR: [...READ_OPERATIONS, 'audit:read', 'risk:read', 'consent:read', 'alert:read'],
  // Executives see dashboards and reports only (the enterprise risk view and board report): no cases, no customers.
  EXECUTIVE: ['dashboard:read', 'risk:read'],
  PAYMENT_ENGINE: ['assessment:create', 'assessment:read', 'assessment:manage', 'toggle:read'],
  // Prometheus and uptime checkers: the metrics endpoint and nothing else.
  MONITORING: ['metrics:read'],
  // The bank's core banking system: seed 000's integration endpoints and nothing else.
  CORE_BANKING: ['integration:ingest'],
  // A partner or internal app calling /open-banking/v1 with an OAuth token (issue 14).
  OPEN_BANKING_APP: ['openbanking:partner'],
};

/** Roles held by machine clients (API keys, OAuth2 client credentials), never by people. */
export const MACHINE_ROLES = ['PAYMENT_ENGINE', 'MONITORING', 'CORE_BANKING'] as const satisfies readonly Role[];
export const MachineRole = Role.extract(MACHINE_ROLES);
export type MachineRole = z.infer<typeof MachineRole>;
/** Open Banking apps authenticate with OAuth tokens (oidc-provider), never with API keys or passwords. */
export const PARTNER_ROLES = ['OPEN_BANKING_APP'] as const satisfies readonly Role[];
export const HumanRole = Role.exclude([...MACHINE_ROLES, ...PARTNER_ROLES]);
export type HumanRole = z.infer<typeof HumanRole>;

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
