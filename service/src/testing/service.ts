import pino, { type Logger } from 'pino';
import type { ReadinessOptions } from '../health/readiness.ts';
import { startService, type RunningService, type ServiceOptions } from '../app.ts';
import { createTestDatabase, type Dialect, type TestDatabase } from './databases.ts';
import type { LoginResponse } from '../../../shared/src/auth.ts';
import type { HumanRole } from '../../../shared/src/roles.ts';
import { BANK_WIDE_ROLES } from '../../../shared/src/tenants.ts';
import { createUser } from '../users/users.ts';
import { SYSTEM_ACTOR } from '../commands/bus.ts';
import type { Clock } from '../clock.ts';
import type { HttpTimeouts } from '../http/server.ts';
import type { RateLimits } from '../http/rate-limit.ts';
import type { SignInThrottlePolicy } from '../auth/sign-in-throttle.ts';
import type { DemoAccounts } from '../demo-info/routes.ts';

export const TEST_ADMIN_PASSWORD = 'Admin-Test-Password-2026';
export const TEST_USER_PASSWORD = 'Test-User-Password-2026';

/** The tenant test users act for unless a test names others (roles that are not bank-wide need one). */
export const TEST_TENANT = 'WEKEZA-KE';

function defaultTenants(role: HumanRole): string[] {
  return BANK_WIDE_ROLES.includes(role) ? [] : [TEST_TENANT];
}

/**
 * Creates a user through the real user.create command and returns its id. Its password is
 * TEST_USER_PASSWORD (no change required). Tenants default to every tenant for bank-wide roles
 * and to TEST_TENANT for the others.
 */
export async function addTestUser(svc: TestService, username: string, role: HumanRole, tenantIds: readonly string[] = defaultTenants(role)): Promise<string> {
  const displayName = username
    .split('.')
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join(' ');
  const { id } = await svc.service.context.bus.execute(
    createUser,
    { username, displayName, role, tenantIds: [...tenantIds], password: TEST_USER_PASSWORD, passwordChangeRequired: false },
    SYSTEM_ACTOR,
  );
  return id;
}

/** One member of a test team: username and role, optionally the tenants it acts for. */
export type TestTeamMember = readonly [string, HumanRole] | readonly [string, HumanRole, readonly string[]];

/** The demo team as test users: their ids and signed-in tokens, by username. */
export async function addTestTeam(
  svc: TestService,
  team: ReadonlyArray<TestTeamMember>,
): Promise<{ ids: Record<string, string>; tokens: Record<string, string> }> {
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  for (const [username, role, tenantIds] of team) {
    ids[username] = await addTestUser(svc, username, role, tenantIds ?? defaultTenants(role));
    tokens[username] = (await svc.login(username, TEST_USER_PASSWORD)).token;
  }
  return { ids, tokens };
}

export const CASE_TEAM = [
  ['amina.otieno', 'FRAUD_ANALYST'],
  ['brian.kamau', 'FRAUD_ANALYST'],
  ['wanjiru.njoroge', 'COMPLIANCE_OFFICER'],
  ['faith.wambui', 'RISK_MANAGER'],
  ['grace.achieng', 'AUDITOR'],
  ['david.kiprop', 'EXECUTIVE'],
] as const;

export interface TestService {
  service: RunningService;
  database: TestDatabase;
  url: string;
  /** fetch against the service with JSON helpers; headers default to a valid Host. */
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: unknown; headers: Headers }>;
  login(username: string, password: string): Promise<LoginResponse>;
  stop(): Promise<void>;
}

export async function startTestService(
  dialect: Dialect,
  options: {
    rendererDir?: string | null;
    clock?: Clock;
    httpTimeouts?: Partial<HttpTimeouts>;
    rateLimits?: Partial<RateLimits>;
    signInPolicy?: SignInThrottlePolicy;
    readiness?: Partial<ReadinessOptions>;
    logger?: Logger;
    /** As cli.ts passes it with --demo (demo-info/routes.ts). */
    demo?: DemoAccounts;
    /** Issue 14: how customers sign in on the consent pages (e.g. demoCustomerAuthenticator). */
    customerAuthenticator?: ServiceOptions['customerAuthenticator'];
  } = {},
): Promise<TestService> {
  const database = await createTestDatabase(dialect);
  const service = await startService({
    mode: dialect === 'sqlite' ? 'standalone' : 'hub',
    host: '127.0.0.1',
    port: 0,
    dataDir: database.dataDir,
    database: database.target,
    rendererDir: options.rendererDir ?? null,
    logger: options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    env: { WEKEZA_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD },
    // Every JSON answer in the tests is checked against the contract's output schema.
    checkResponses: true,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.httpTimeouts ? { httpTimeouts: options.httpTimeouts } : {}),
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.signInPolicy ? { signInPolicy: options.signInPolicy } : {}),
    ...(options.readiness ? { readiness: options.readiness } : {}),
    ...(options.demo ? { demo: options.demo } : {}),
    ...(options.customerAuthenticator ? { customerAuthenticator: options.customerAuthenticator } : {}),
  });
  const request: TestService['request'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${service.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (metrics, HTML): keep the text.
    }
    return { status: response.status, body: parsed, headers: response.headers };
  };
  return {
    service,
    database,
    url: service.url,
    request,
    async login(username, password) {
      const res = await request('POST', '/api/v1/auth/login', { body: { username, password } });
      if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as LoginResponse;
    },
    async stop() {
      await service.close();
      await database.drop();
    },
  };
}
