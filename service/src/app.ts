import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { openDatabase, type Db, type DatabaseTarget } from './db/database.ts';
import { CommandBus } from './commands/bus.ts';
import { SecretBox } from './auth/secret-box.ts';
import { TokenService } from './auth/tokens.ts';
import { Authenticator } from './auth/authenticator.ts';
import { createMetrics } from './metrics.ts';
import { createHttpServer, type HttpTimeouts } from './http/server.ts';
import { buildLockdownPolicy, isLoopbackHost, type LockdownPolicy } from './http/lockdown.ts';
import { createRealtimeServer, type RealtimeServer } from './realtime/socket.ts';
import { OperationRouter } from './http/operations.ts';
import { buildOpenApiDocument, registerApiDocs } from './http/openapi.ts';
import { ALL_OPERATIONS } from '../../shared/src/contract/index.ts';
import { systemOperations } from '../../shared/src/contract/auth.ts';
import type { ServiceContext, ServiceMode } from './context.ts';
import { ensureAdminUser, loadOrCreateSigningKey } from './bootstrap.ts';
import { registerAuthRoutes } from './auth/routes.ts';
import { registerDecisionEngineRoutes } from './decision-engine/routes.ts';
import { registerToggleRoutes } from './toggles/routes.ts';
import { ToggleService } from './toggles/service.ts';
import { createDecisionEngine } from './decision-engine/decision-engine.ts';
import { registerAssessmentRoutes } from './assessments/routes.ts';
import { registerCaseRoutes } from './cases/routes.ts';
import { registerCustomerRoutes } from './customers/routes.ts';
import { registerUserRoutes } from './users/routes.ts';
import { registerAuditRoutes } from './audit/routes.ts';
import { registerDashboardRoutes } from './dashboard/routes.ts';
import type { HealthResponse } from '../../shared/src/api.ts';
import { systemClock, type Clock } from './clock.ts';

export const SERVICE_VERSION = '0.1.0';

export interface ServiceOptions {
  mode: ServiceMode;
  host: string;
  port: number;
  dataDir: string;
  database: DatabaseTarget;
  /** host[:port] names besides loopback that clients use to reach a hub. */
  allowedHosts?: string[];
  /** Folder with the built UI; null serves the API only. Defaults to dist/renderer. */
  rendererDir?: string | null;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
  /** Where time comes from (ARCHITECTURE.md rule 3); tests pass a ManualClock. */
  clock?: Clock;
  /** Check every JSON answer against the contract's output schema (tests): a mismatch is a 500. */
  checkResponses?: boolean;
  /** Client time limits (defaults in http/server.ts); tests shorten them. */
  httpTimeouts?: Partial<HttpTimeouts>;
}

export interface RunningService {
  url: string;
  port: number;
  context: ServiceContext;
  /** The admin password generated on first start (null when it came from WEKEZA_ADMIN_PASSWORD or users existed). */
  generatedAdminPassword: string | null;
  close(): Promise<void>;
}

export function defaultRendererDir(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // Bundled: dist/service/index.mjs → dist/renderer. From source: service/src → dist/renderer.
  for (const candidate of [path.resolve(here, '../renderer'), path.resolve(here, '../../dist/renderer')]) {
    if (fs.existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

export async function startService(options: ServiceOptions): Promise<RunningService> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? pino({ level: env.LOG_LEVEL ?? 'info', base: { service: 'wekeza', mode: options.mode } }, pino.destination(2));
  const wildcard = options.host === '0.0.0.0' || options.host === '::';
  if (wildcard && (options.allowedHosts ?? []).length === 0) {
    throw new Error(`listening on ${options.host} needs --allowed-host with the name(s) clients use, so Host headers can be checked`);
  }
  if (!isLoopbackHost(options.host)) logger.warn({ host: options.host }, 'listening beyond loopback: put TLS in front of this service');

  const db: Db = await openDatabase(options.database);
  const clock = options.clock ?? systemClock;
  const bus = new CommandBus(db, clock);
  const box = SecretBox.fromEnvironmentOrFile(options.dataDir, env);
  const tokens = new TokenService(await loadOrCreateSigningKey(db, bus, box));
  const authenticator = new Authenticator(db.kysely, tokens, clock);
  const metrics = createMetrics();
  bus.events.on('executed', ({ command, outcome }) => metrics.commands.inc({ command, outcome }));
  // Counting scored payments is a follow-up of the command that stored them (ARCHITECTURE.md rule 1).
  bus.events.on('announce', (a) => {
    if (a.event === 'assessment.created') metrics.assessments.inc({ risk_level: a.payload.riskLevel ?? 'NONE', decision: a.payload.decision ?? 'NONE' });
  });

  let policy: LockdownPolicy = buildLockdownPolicy(options.host, options.port, options.allowedHosts ?? []);
  const app = await createHttpServer({
    logger,
    lockdown: () => policy,
    rendererDir: options.rendererDir === undefined ? defaultRendererDir() : options.rendererDir,
    metrics,
    ...(options.httpTimeouts ? { timeouts: options.httpTimeouts } : {}),
  });
  const operations = new OperationRouter(app, authenticator, { checkResponses: options.checkResponses ?? false });
  let realtime: RealtimeServer | null = null;
  const toggles = new ToggleService(db.kysely, bus, logger);
  const decisionEngine = createDecisionEngine({
    db: db.kysely,
    dialect: db.dialect,
    bus,
    toggles,
    box,
    logger,
    onEngineCall: (outcome) => metrics.bankEngineCalls.inc({ outcome }),
  });
  const context: ServiceContext = {
    mode: options.mode,
    clock,
    version: SERVICE_VERSION,
    startedAt: clock.now(),
    app,
    operations,
    db,
    bus,
    authenticator,
    tokens,
    metrics,
    logger,
    realtime: () => {
      if (!realtime) throw new Error('realtime server not started');
      return realtime;
    },
    secrets: box,
    decisionEngine,
    toggles,
  };

  operations.implement(
    systemOperations.health,
    (): HealthResponse => ({
      status: 'ok',
      mode: options.mode,
      version: SERVICE_VERSION,
      database: db.dialect,
      uptimeSeconds: Math.round((clock.now().getTime() - context.startedAt.getTime()) / 1000),
    }),
  );
  operations.implement(systemOperations.metrics, async ({ reply }) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  const openApiDocument = buildOpenApiDocument(ALL_OPERATIONS, SERVICE_VERSION);
  operations.implement(systemOperations.openapi, () => openApiDocument);
  registerApiDocs(app);
  registerAuthRoutes(context);
  registerAssessmentRoutes(context);
  registerDecisionEngineRoutes(context);
  registerToggleRoutes(context);
  registerCaseRoutes(context);
  registerCustomerRoutes(context);
  registerUserRoutes(context);
  registerAuditRoutes(context);
  registerDashboardRoutes(context);
  operations.assertComplete(ALL_OPERATIONS);

  const { generatedPassword } = await ensureAdminUser(db, bus, env);
  await toggles.start();
  await decisionEngine.start();

  await app.listen({ host: options.host, port: options.port });
  const port = (app.server.address() as AddressInfo).port;
  // --port 0 is resolved only now; the Host allow-list must name the real port.
  policy = buildLockdownPolicy(options.host, port, options.allowedHosts ?? []);
  realtime = createRealtimeServer({ httpServer: app.server, lockdown: () => policy, authenticator, bus, metrics });
  const urlHost = isLoopbackHost(options.host) || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;

  let closed = false;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    context,
    generatedAdminPassword: generatedPassword,
    async close() {
      if (closed) return;
      closed = true;
      decisionEngine.stop();
      toggles.stop();
      await new Promise<void>((resolve) => (realtime ? realtime.close(() => resolve()) : resolve()));
      await app.close();
      await db.close();
    },
  };
}
