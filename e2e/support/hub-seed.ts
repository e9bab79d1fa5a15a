// Sets up a fresh hub for the sync story through its public API, as a bank would: the admin
// creates two compliance officers (each signs in once with the one-time password and chooses her
// own), registers the payment engine, which posts CRITICAL payments that open cases, and an
// analyst's escalations are played by the admin taking each case and escalating it.
import type { LoginResponse } from '../../shared/src/auth.ts';
import type { CaseSummary } from '../../shared/src/cases.ts';
import type { HumanRole } from '../../shared/src/roles.ts';
import type { UserWithOneTimePassword } from '../../shared/src/users.ts';
import { criticalPayment } from '../../service/src/testing/fixtures.ts';
import { assess, call, getAssessment, getCase, login, paymentEngineToken } from './api.ts';

export interface SeededUser {
  id: string;
  username: string;
  displayName: string;
  password: string;
}

/** The admin creates a user; the user signs in once with the one-time password and sets `password`. */
export async function createPerson(
  hubUrl: string,
  adminToken: string,
  person: { username: string; displayName: string; role: HumanRole; tenantIds: string[]; password: string },
): Promise<SeededUser> {
  const created = await call<UserWithOneTimePassword>(hubUrl, 'POST', '/api/v1/users', {
    token: adminToken,
    body: { username: person.username, displayName: person.displayName, role: person.role, tenantIds: person.tenantIds },
  });
  const first = await login(hubUrl, person.username, created.oneTimePassword);
  await call(hubUrl, 'POST', '/api/v1/auth/password', { token: first.token, body: { currentPassword: created.oneTimePassword, newPassword: person.password } });
  return { id: created.user.id, username: person.username, displayName: person.displayName, password: person.password };
}

/**
 * The payment engine posts a CRITICAL payment (12.5M KES to Nigeria at night, a customer of its
 * own) that opens a case; the admin takes the case and escalates it, so it waits in the escalation
 * queue for a compliance officer. Returns the case as the hub has it.
 */
export async function escalatedCase(hubUrl: string, adminToken: string, engineToken: string, description: string): Promise<CaseSummary> {
  const scored = await assess(hubUrl, engineToken, criticalPayment({ description }));
  const stored = await getAssessment(hubUrl, adminToken, scored.assessmentId);
  if (!stored.caseId) throw new Error(`the CRITICAL payment opened no case (${scored.decision}, ${scored.riskLevel})`);
  let current = (await getCase(hubUrl, adminToken, stored.caseId)).case;
  if (current.state === 'ESCALATED') return current;
  if (current.assigneeId === null) {
    current = await call<CaseSummary>(hubUrl, 'POST', `/api/v1/cases/${current.id}/assign`, { token: adminToken, body: { expectedVersion: current.version } });
  }
  return call<CaseSummary>(hubUrl, 'POST', `/api/v1/cases/${current.id}/decision`, {
    token: adminToken,
    body: {
      action: 'ESCALATE',
      reasonCode: 'AML_SUSPICION',
      note: `Escalated for compliance review: ${description}.`,
      expectedVersion: current.version,
    },
  });
}

export interface SeededHub {
  admin: LoginResponse;
  officer: SeededUser;
  colleague: SeededUser;
  cases: CaseSummary[];
}

/** Two bank-wide compliance officers and `count` escalated cases. */
export async function seedHub(hubUrl: string, adminPassword: string, count: number): Promise<SeededHub> {
  const admin = await login(hubUrl, 'admin', adminPassword);
  const officer = await createPerson(hubUrl, admin.token, {
    username: 'wanjiru.njoroge',
    displayName: 'Wanjiru Njoroge',
    role: 'COMPLIANCE_OFFICER',
    tenantIds: [],
    password: 'Offline-Review-Wanjiru-7!',
  });
  const colleague = await createPerson(hubUrl, admin.token, {
    username: 'joseph.mwangi',
    displayName: 'Joseph Mwangi',
    role: 'COMPLIANCE_OFFICER',
    tenantIds: [],
    password: 'Second-Pair-Of-Eyes-42!',
  });
  const engine = await paymentEngineToken(hubUrl, admin.token);
  const subjects = ['Investment return – urgent', 'Consultancy fees – Lagos', 'Property deposit – Abuja', 'Crypto exchange top-up', 'Family support – Kano'];
  const cases: CaseSummary[] = [];
  for (let i = 0; i < count; i++) cases.push(await escalatedCase(hubUrl, admin.token, engine, subjects[i % subjects.length]!));
  return { admin, officer, colleague, cases };
}
