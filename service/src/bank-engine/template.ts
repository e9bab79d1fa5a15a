import { PaymentInput } from '../../../shared/src/payments.ts';
import type { Decision, RiskLevel } from '../../../shared/src/assessments.ts';

/**
 * The bank engine's request template (BankApiSettings.requestTemplate): JSON text with
 * {{placeholders}}. A placeholder that is a whole JSON value keeps its type, inside a longer
 * string it is interpolated as text. Unknown names throw, so a typo is caught when the template
 * is saved rather than sent to the bank as an empty field.
 */

export interface TemplateContext {
  payment: PaymentInput;
  amountKes: number;
  assessmentId: string;
  /** ISO timestamp of the call. */
  now: string;
  local: { riskScore: number; riskLevel: RiskLevel; decision: Decision };
}

const PAYMENT_FIELDS = Object.keys(PaymentInput.shape);
const KNOWN_PLACEHOLDERS: ReadonlySet<string> = new Set([
  'payment',
  ...PAYMENT_FIELDS.map((field) => `payment.${field}`),
  'amountKes',
  'assessmentId',
  'now',
  'local',
  'local.riskScore',
  'local.riskLevel',
  'local.decision',
]);

const WHOLE_PLACEHOLDER = /^\{\{\s*([^{}]*?)\s*\}\}$/;
const ANY_PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

function knownNamesHint(): string {
  return `payment.<field> (${PAYMENT_FIELDS.join(', ')}), amountKes, assessmentId, now, local.riskScore, local.riskLevel, local.decision`;
}

function resolve(name: string, context: TemplateContext): unknown {
  if (!KNOWN_PLACEHOLDERS.has(name)) {
    throw new Error(`unknown placeholder {{${name}}} in the request template; known placeholders: ${knownNamesHint()}`);
  }
  return readJsonPath(context, name);
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function renderString(text: string, context: TemplateContext): unknown {
  const whole = WHOLE_PLACEHOLDER.exec(text);
  if (whole) {
    const value = resolve(whole[1]!, context);
    // JSON has no undefined: an absent optional field is sent as null, not dropped.
    return value === undefined ? null : value;
  }
  return text.replace(ANY_PLACEHOLDER, (_match, name: string) => asText(resolve(name, context)));
}

function renderValue(value: unknown, context: TemplateContext): unknown {
  if (typeof value === 'string') return renderString(value, context);
  if (Array.isArray(value)) return value.map((item) => renderValue(item, context));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key.replace(ANY_PLACEHOLDER, (_m, name: string) => asText(resolve(name, context)))] = renderValue(item, context);
    }
    return out;
  }
  return value;
}

/**
 * Replaces placeholders written as bare JSON values (`"amount": {{payment.amount}}`), which are
 * not valid JSON until substituted. Placeholders inside JSON strings are left for renderValue.
 */
function substituteBarePlaceholders(template: string, context: TemplateContext): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i]!;
    if (inString) {
      out += ch;
      if (ch === '\\') {
        out += template[i + 1] ?? '';
        i++;
      } else if (ch === '"') {
        inString = false;
      }
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
      continue;
    }
    if (ch === '{' && template[i + 1] === '{') {
      const end = template.indexOf('}}', i + 2);
      if (end !== -1) {
        const name = template.slice(i + 2, end).trim();
        const value = resolve(name, context);
        out += JSON.stringify(value === undefined ? null : value);
        i = end + 1;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

export function renderRequestTemplate(template: string, context: TemplateContext): unknown {
  const text = substituteBarePlaceholders(template, context);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`the request template is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return renderValue(parsed, context);
}

const PATH_TOKEN = /([A-Za-z_$][\w$]*)|\[(\d+)\]/y;

/** Splits `result.reasons[0].code` into ['result', 'reasons', 0, 'code']; throws on a malformed path. */
function parsePath(path: string): Array<string | number> {
  const tokens: Array<string | number> = [];
  let index = 0;
  let expectName = true;
  while (index < path.length) {
    if (!expectName && path[index] === '.') {
      index++;
      expectName = true;
      continue;
    }
    PATH_TOKEN.lastIndex = index;
    const match = PATH_TOKEN.exec(path);
    if (!match || (match[1] !== undefined && !expectName)) throw new Error(`not a JSON path: "${path}" (expected e.g. result.reasons[0])`);
    tokens.push(match[1] !== undefined ? match[1] : Number(match[2]));
    index = PATH_TOKEN.lastIndex;
    expectName = false;
  }
  if (tokens.length === 0 || expectName) throw new Error(`not a JSON path: "${path}" (expected e.g. result.reasons[0])`);
  return tokens;
}

/** Reads a dotted path with [n] indexes; undefined when any step is missing. Own properties only. */
export function readJsonPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const token of parsePath(path)) {
    if (typeof token === 'number') {
      if (!Array.isArray(current) || token >= current.length) return undefined;
      current = current[token];
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, token)) return undefined;
      current = (current as Record<string, unknown>)[token];
    }
  }
  return current;
}

/** A context with every field set, so that validation exercises every placeholder. */
export function sampleTemplateContext(): TemplateContext {
  return {
    payment: {
      transactionReference: 'FT-SAMPLE-0001',
      tenantId: 'WEKEZA-KE',
      paymentType: 'MOBILE_MONEY',
      localInstrumentationCode: 'MPESA_B2C',
      clearingSystemCode: 'MPESA',
      paymentSource: 'BANK_CLIENT',
      amount: 4500,
      currency: 'KES',
      timestamp: '2026-01-15T10:15:00+03:00',
      channel: 'MOBILE',
      country: 'KE',
      customerId: 'CIF-00000001',
      debtorAccount: '0120012345678',
      creditorAccount: 'MW-254712345678',
      ipAddress: '105.163.10.20',
      deviceId: 'dev-sample',
      userAgent: 'WekezaMobile/5.2.1',
      description: 'Sample payment',
    },
    amountKes: 4500,
    assessmentId: '00000000-0000-4000-8000-000000000000',
    now: '2026-01-15T07:15:00.000Z',
    local: { riskScore: 0.12, riskLevel: 'LOW', decision: 'APPROVE' },
  };
}

/** For form validation: the error message, or null when the template renders. */
export function validateRequestTemplate(template: string): string | null {
  try {
    renderRequestTemplate(template, sampleTemplateContext());
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
