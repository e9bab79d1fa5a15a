// Plain HTTP calls to the service, for setting up and checking what the UI did.
import type { AssessmentResponse, Assessment } from '../../shared/src/assessments.ts';
import type { AuditEntry } from '../../shared/src/audit.ts';
import type { LoginResponse } from '../../shared/src/auth.ts';
import type { CaseDetail } from '../../shared/src/cases.ts';
import type { Page } from '../../shared/src/api.ts';
import type { PaymentInput } from '../../shared/src/payments.ts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} answered ${status}: ${JSON.stringify(body)}`);
  }
}

export async function call<T>(baseUrl: string, method: string, path: string, { token, body }: { token?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) throw new HttpError(response.status, parsed, `${method} ${path}`);
  return parsed as T;
}

export function login(baseUrl: string, username: string, password: string): Promise<LoginResponse> {
  return call<LoginResponse>(baseUrl, 'POST', '/api/v1/auth/login', { body: { username, password } });
}

/**
 * A token for the bank's payment engine, obtained the way the engine does: an admin registers an
 * API client once, and the engine exchanges its id and secret for a token (OAuth2 client credentials).
 */
export async function paymentEngineToken(baseUrl: string, adminToken: string): Promise<string> {
  const client = await call<{ clientId: string; apiKey: string }>(baseUrl, 'POST', '/api/v1/api-clients', {
    token: adminToken,
    // A payment engine acts for named tenants: the demo's two.
    body: { name: `E2E payment engine ${Date.now()}`, role: 'PAYMENT_ENGINE', tenantIds: ['WEKEZA-KE', 'WEKEZA-MFB'] },
  });
  const grant = await call<{ access_token: string }>(baseUrl, 'POST', '/api/v1/auth/token', {
    body: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.apiKey },
  });
  return grant.access_token;
}

export function assess(baseUrl: string, token: string, payment: PaymentInput): Promise<AssessmentResponse> {
  return call<AssessmentResponse>(baseUrl, 'POST', '/api/v1/fraud-risk/assessments', { token, body: payment });
}

export function getAssessment(baseUrl: string, token: string, id: string): Promise<Assessment> {
  return call<Assessment>(baseUrl, 'GET', `/api/v1/fraud-risk/assessments/${id}`, { token });
}

export function listAssessments(baseUrl: string, token: string, query: string): Promise<Page<Assessment>> {
  return call<Page<Assessment>>(baseUrl, 'GET', `/api/v1/fraud-risk/assessments?${query}`, { token });
}

export function getCase(baseUrl: string, token: string, id: string): Promise<CaseDetail> {
  return call<CaseDetail>(baseUrl, 'GET', `/api/v1/cases/${id}`, { token });
}

export function listAudit(baseUrl: string, token: string, query: string): Promise<Page<AuditEntry>> {
  return call<Page<AuditEntry>>(baseUrl, 'GET', `/api/v1/audit?${query}`, { token });
}

/** Today's date in Nairobi, or yesterday's if it is not yet 02:30 there (no future timestamps). */
export function nairobiNightTimestamp(): string {
  const eatNow = new Date(Date.now() + 3 * 3_600_000);
  const beforeHalfTwo = eatNow.getUTCHours() < 2 || (eatNow.getUTCHours() === 2 && eatNow.getUTCMinutes() < 30);
  const day = new Date(eatNow.getTime() - (beforeHalfTwo ? 86_400_000 : 0)).toISOString().slice(0, 10);
  return `${day}T02:30:00+03:00`;
}

/**
 * A large night-time PesaLink transfer from a Nigerian IP and an unseen device on a real demo customer's account, with a unique
 * reference: the rules hold it for review, so it opens a case.
 */
export function flaggedPayment(from: Assessment): PaymentInput {
  return {
    transactionReference: `E2E-${Date.now().toString(36).toUpperCase()}-${Math.floor(Math.random() * 1e6)}`,
    tenantId: from.tenantId,
    // PesaLink, scored by the tenant-wide configuration (SWIFT goes to the bank's engine, which declines outright).
    paymentType: 'INSTANT_TRANSFER',
    localInstrumentationCode: 'PESALINK',
    clearingSystemCode: 'IPSL',
    paymentSource: 'BANK_CLIENT',
    amount: 12_500_000,
    currency: 'KES',
    timestamp: nairobiNightTimestamp(),
    channel: 'WEB',
    country: 'KE',
    customerId: from.payment.customerId,
    debtorAccount: from.payment.debtorAccount,
    creditorAccount: '1180034567001',
    ipAddress: '102.89.34.12',
    deviceId: 'dev-e2e-unseen-device',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36',
    description: 'Urgent supplier settlement',
  };
}
