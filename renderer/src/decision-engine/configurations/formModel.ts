// The configuration form's model: the value being edited is the shared `ConfigurationInput`
// (parsed shape), validated on every change with the same zod schema the service uses. Errors are
// keyed by the dotted issue path (`riskRules.3.params.thresholdKes`), which is also what the
// service's 400 answer names (prefixed `body.`), so client and server errors land on one field.
import type { z } from 'zod';
import {
  ConfigurationInput,
  type BankApiSettingsInput,
  type BankApiSettingsView,
  type ConfigurationBody,
  type ConfigurationVersion,
  type FraudRiskConfiguration,
  type ParsedConfigurationInput,
} from '../../../../shared/src/decision-engine.ts';
import type { ApiError } from '../../api/client.ts';

export type FormValue = ParsedConfigurationInput;
export type FieldErrors = ReadonlyMap<string, string>;
export const NO_ERRORS: FieldErrors = new Map();

type Body = ConfigurationBody & { bankFraudApiConfig: BankApiSettingsView | null };

/** The editable settings of the bank engine, without what the API shows of its credentials. */
export function bankSettingsOf(view: BankApiSettingsView | null): BankApiSettingsInput | null {
  if (!view) return null;
  const { credentialsSet: _ignored, ...settings } = view;
  return structuredClone(settings);
}

/** The form value for a stored configuration or version body (bookkeeping fields left out). */
export function toFormValue(source: FraudRiskConfiguration | ConfigurationVersion['body']): FormValue {
  const body: Body = source;
  return {
    configurationName: body.configurationName,
    tenantId: body.tenantId,
    paymentType: body.paymentType,
    localInstrumentationCode: body.localInstrumentationCode,
    clearingSystemCode: body.clearingSystemCode,
    paymentSource: body.paymentSource,
    riskAssessmentType: body.riskAssessmentType,
    riskRules: structuredClone(body.riskRules),
    decisionCriteria: structuredClone(body.decisionCriteria),
    thresholds: { ...body.thresholds },
    timeoutConfig: { ...body.timeoutConfig },
    retryConfig: { ...body.retryConfig },
    circuitBreakerConfig: { ...body.circuitBreakerConfig },
    fallbackConfig: { ...body.fallbackConfig },
    monitoringConfig: { ...body.monitoringConfig },
    alertingConfig: structuredClone(body.alertingConfig),
    isEnabled: body.isEnabled,
    priority: body.priority,
    description: body.description,
    bankFraudApiConfig: bankSettingsOf(body.bankFraudApiConfig),
  };
}

function friendly(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'Enter a number';
  if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1) return 'Required';
  return issue.message;
}

export interface Validation {
  errors: FieldErrors;
  /** The parsed value to send, when the form is valid. */
  parsed: ParsedConfigurationInput | null;
}

export function validateForm(value: FormValue): Validation {
  const result = ConfigurationInput.safeParse(value);
  if (result.success) return { errors: NO_ERRORS, parsed: result.data };
  const errors = new Map<string, string>();
  for (const issue of result.error.issues) {
    const key = issue.path.map(String).join('.');
    if (!errors.has(key)) errors.set(key, friendly(issue));
  }
  return { errors, parsed: null };
}

/** The service's per-field messages, keyed like the client's (`body.` prefix dropped). */
export function serverFieldErrors(error: ApiError | null): FieldErrors {
  if (!error || error.fields.length === 0) return NO_ERRORS;
  const errors = new Map<string, string>();
  for (const field of error.fields) {
    const key = field.path.replace(/^body\.?/, '');
    if (!errors.has(key)) errors.set(key, field.message);
  }
  return errors;
}

export function mergeErrors(...maps: FieldErrors[]): FieldErrors {
  const nonEmpty = maps.filter((m) => m.size > 0);
  if (nonEmpty.length <= 1) return nonEmpty[0] ?? NO_ERRORS;
  const merged = new Map<string, string>();
  for (const map of nonEmpty) for (const [key, message] of map) if (!merged.has(key)) merged.set(key, message);
  return merged;
}

/** How many errors sit at or below a path (a section, a rule). */
export function countErrorsUnder(errors: FieldErrors, prefix: string): number {
  if (errors.size === 0) return 0;
  let count = 0;
  for (const key of errors.keys()) if (key === prefix || key.startsWith(`${prefix}.`)) count += 1;
  return count;
}

/** The form's sections and the value paths each one edits, for error counts and "jump to" links. */
export const SECTIONS = [
  {
    id: 'basics',
    label: 'Basics',
    paths: [
      'configurationName',
      'description',
      'tenantId',
      'paymentType',
      'localInstrumentationCode',
      'clearingSystemCode',
      'paymentSource',
      'riskAssessmentType',
      'priority',
      'isEnabled',
      'changeNote',
    ],
  },
  { id: 'rules', label: 'Rules', paths: ['riskRules'] },
  { id: 'thresholds', label: 'Thresholds & decisions', paths: ['thresholds', 'decisionCriteria'] },
  { id: 'bank-engine', label: 'Bank fraud engine', paths: ['bankFraudApiConfig', 'timeoutConfig', 'retryConfig', 'circuitBreakerConfig', 'fallbackConfig'] },
  { id: 'monitoring', label: 'Monitoring & alert settings', paths: ['monitoringConfig', 'alertingConfig'] },
] as const;
export type SectionId = (typeof SECTIONS)[number]['id'];

export function sectionErrorCount(errors: FieldErrors, section: SectionId): number {
  const paths = SECTIONS.find((s) => s.id === section)?.paths ?? [];
  return paths.reduce((sum, path) => sum + countErrorsUnder(errors, path), 0);
}

/** Errors whose path no visible field shows (e.g. a whole-array refinement), to list at the top. */
export function unplacedErrors(errors: FieldErrors): { path: string; message: string }[] {
  return [...errors].filter(([path]) => path === '' || path === 'riskRules').map(([path, message]) => ({ path, message }));
}
