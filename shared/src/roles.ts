import { z } from 'zod';

/**
 * Roles follow seed 000's mapping of core-banking roles to ERMS roles, plus the fraud analyst
 * who works case queues and the machine role used by the bank's payment engine.
 */
export const Role = z.enum(['FRAUD_ANALYST', 'RISK_OFFICER', 'COMPLIANCE_OFFICER', 'RISK_MANAGER', 'AUDITOR', 'EXECUTIVE', 'PAYMENT_ENGINE', 'MONITORING']);
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
]);
export type Permission = z.infer<typeof Permission>;

const READ_OPERATIONS: Permission[] = ['assessment:read', 'case:read', 'customer:read', 'dashboard:read', 'configuration:read', 'toggle:read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  FRAUD_ANALYST: [...READ_OPERATIONS, 'case:work', 'case:decide'],
  COMPLIANCE_OFFICER: [...READ_OPERATIONS, 'case:work', 'case:decide', 'case:approve', 'case:supervise', 'customer:merge', 'audit:read'],
  RISK_OFFICER: [...READ_OPERATIONS],
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
  ],
  // Auditors read everything, including the audit trail, and change nothing.
  AUDITOR: [...READ_OPERATIONS, 'audit:read'],
  // Executives see dashboards and reports only: no cases, no customers.
  EXECUTIVE: ['dashboard:read'],
  PAYMENT_ENGINE: ['assessment:create', 'assessment:read', 'assessment:manage', 'toggle:read'],
  // Prometheus and uptime checkers: the metrics endpoint and nothing else.
  MONITORING: ['metrics:read'],
};

/** Roles held by machine clients (API keys, OAuth2 client credentials), never by people. */
export const MACHINE_ROLES = ['PAYMENT_ENGINE', 'MONITORING'] as const satisfies readonly Role[];
export const MachineRole = Role.extract(MACHINE_ROLES);
export type MachineRole = z.infer<typeof MachineRole>;
export const HumanRole = Role.exclude(MACHINE_ROLES);
export type HumanRole = z.infer<typeof HumanRole>;

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
