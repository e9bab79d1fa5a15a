import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { databaseTimeoutsFromEnv, openDatabase, type Db, type DatabaseTarget, type DatabaseTimeouts } from './db/database.ts';
import { CommandBus } from './commands/bus.ts';
import { SecretBox } from './auth/secret-box.ts';
import { TokenService } from './auth/tokens.ts';
import { Authenticator } from './auth/authenticator.ts';
import { createMetrics } from './metrics.ts';
import { createHttpServer, type HttpTimeouts } from './http/server.ts';
import { rateLimitsFromEnv, type RateLimits } from './http/rate-limit.ts';
import { Heartbeats } from './health/heartbeats.ts';
import { DEFAULT_SIGN_IN_POLICY, SignInThrottle, type SignInThrottlePolicy } from './auth/sign-in-throttle.ts';
import { DEFAULT_READINESS, Readiness, type ReadinessOptions } from './health/readiness.ts';
import { registerHealthRoutes } from './health/routes.ts';
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
import { FxRateService } from './fx-rates/service.ts';
import { registerFxRateRoutes } from './fx-rates/routes.ts';
import { createDecisionEngine } from './decision-engine/decision-engine.ts';
import { registerAssessmentRoutes } from './assessments/routes.ts';
import { registerCaseRoutes } from './cases/routes.ts';
import { registerCustomerRoutes } from './customers/routes.ts';
import { registerUserRoutes } from './users/routes.ts';
import { registerAuditRoutes } from './audit/routes.ts';
import { registerDashboardRoutes } from './dashboard/routes.ts';
import { registerAnalyticsRoutes } from './analytics/routes.ts';
import { registerRiskRoutes } from './risks/routes.ts';
import { seedRiskMatrixIfNone } from './risks/matrix.ts';
import { registerKriRoutes } from './kris/routes.ts';
import { registerRiskEventRoutes } from './risk-events/routes.ts';
import { registerNotificationRoutes } from './notifications/routes.ts';
import { registerIntegrationRoutes } from './integration/routes.ts';
import { RiskEventConsumer } from './integration/amqp/consumer.ts';
import { RiskScheduler } from './risk-schedules/scheduler.ts';
import { peopleJobs } from './notifications/people-jobs.ts';
import { dashboardJobs } from './analytics/rollups.ts';
import { expireDueAcceptances } from './risks/acceptance-expiry.ts';
import { registerRiskReportRoutes } from './risk-reports/routes.ts';
import { registerConsentRoutes } from './consents/routes.ts';
import { registerObAppRoutes } from './open-banking/apps/routes.ts';
import { registerWebhookRoutes } from './webhooks/routes.ts';
import { registerAlertRoutes } from './alerts/routes.ts';
import { registerAlertChannelRoutes } from './alerts/channels/routes.ts';
import { registerAlertThresholdRoutes } from './alerts/detectors/routes.ts';
import { alertingJobs, publicUrlOf, startAlerting } from './alerts/wiring.ts';
import { registerOpenBankingApiRoutes } from './open-banking/api/routes.ts';
import { WebhookDispatcher } from './webhooks/dispatcher.ts';
import { registerDemoInfoRoutes, type DemoAccounts } from './demo-info/routes.ts';
import { registerOpenBankingAuth, type CustomerAuthenticator } from './open-banking/oauth/index.ts';
import type { HealthResponse } from '../../shared/src/api.ts';
import { systemClock, type Clock } from './clock.ts';
import { registerHubSyncRoutes, registerNodeSyncStatusRoutes } from './sync/routes.ts';
import { offlineSignInDaysFrom } from './sync/hub/info.ts';
import { WorkstationShell } from './sync/workstation/shell.ts';
import { outboxAfterApply } from './sync/workstation/outbox.ts';
import type { HubTransport } from './sync/workstation/types.ts';

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
  /** Started with --demo: the demo team the sign-in page may show (demo-info/routes.ts). */
  demo?: DemoAccounts | null;
  /** Client time limits (defaults in http/server.ts); tests shorten them. */
  httpTimeouts?: Partial<HttpTimeouts>;
  /** PostgreSQL connect/statement timeouts (defaults in db/database.ts, env WEKEZA_DB_*_TIMEOUT_MS). */
  databaseTimeouts?: Partial<DatabaseTimeouts>;
  /** Requests per minute per caller (defaults in http/rate-limit.ts, env WEKEZA_RATE_LIMIT_*_PER_MINUTE). */
  rateLimits?: Partial<RateLimits>;
  /** Sign-in throttle thresholds (defaults in auth/sign-in-throttle.ts). */
  signInPolicy?: SignInThrottlePolicy;
  /** Readiness thresholds (defaults in health/readiness.ts). */
  readiness?: Partial<ReadinessOptions>;
  /** Workstation mode: the hub it syncs with (README "Workstations and sync"). */
  hubUrl?: string;
  /** Workstation mode: how the hub is reached (fetch; the model tests put a lossy network here). */
  hubTransport?: HubTransport;
  /** Hub: the syncable command versions it accepts, instead of the built-in ones (tests simulate version skew). */
  syncCommandVersions?: Record<string, number>;
  /** The broker of seed 000's risk-events queue (--amqp-url, else env AMQP_URL); unset = no consumer. Hubs and standalone only. */
  amqpUrl?: string;
  /** The queue to consume (default seed 000's `risk-events`; tests use their own). */
  amqpQueue?: string;
  /**
   * Issue 14: how bank customers sign in on the consent pages (README "Open Banking"); the demo one
   * with --demo. Unset: the OAuth server runs, but its customer pages say sign-in is not set up.
   */
  customerAuthenticator?: CustomerAuthenticator | ((db: Db) => CustomerAuthenticator) | null;
  /** The OAuth issuer (the URL partners reach this service at, e.g. https://openbanking.bank.example); defaults to the listen URL. */
  oauthIssuer?: string;
}

export interface RunningService {
  url: string;
  port: number;
  context: ServiceContext;
  /** The admin password generated on first start (null when it came from WEKEZA_ADMIN_PASSWORD or users existed). */
  generatedAdminPassword: string | null;
  close(): Promise<void>;
}

function requireHubUrl(hubUrl: string | undefined): string {
  if (!hubUrl) throw new Error('workstation mode needs the hub URL (--hub-url)');
  return hubUrl;
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

  const workstation = options.mode === 'workstation' ? new WorkstationShell(requireHubUrl(options.hubUrl), options.hubTransport) : null;
  const db: Db = await openDatabase(options.database, { timeouts: { ...databaseTimeoutsFromEnv(env), ...options.databaseTimeouts } });
  const clock = options.clock ?? systemClock;
  // A workstation's case actions write their outbox entry in the command's own transaction.
  const bus = new CommandBus(db, clock, workstation ? { afterApply: outboxAfterApply } : {});
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
    rateLimits: { ...rateLimitsFromEnv(env), ...options.rateLimits },
  });
  const operations = new OperationRouter(app, authenticator, {
    checkResponses: options.checkResponses ?? false,
    ...(workstation ? { wrap: workstation.wrap } : {}),
  });
  let realtime: RealtimeServer | null = null;
  const toggles = new ToggleService(db.kysely, bus, logger);
  const fxRates = new FxRateService(db.kysely, bus, logger);
  const decisionEngine = createDecisionEngine({
    db: db.kysely,
    dialect: db.dialect,
    bus,
    toggles,
    fxRates,
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
    demo: options.demo ?? null,
    fxRates,
    signInThrottle: new SignInThrottle(db.kysely, bus, clock, options.signInPolicy ?? DEFAULT_SIGN_IN_POLICY),
    ...(options.syncCommandVersions ? { syncCommandVersions: options.syncCommandVersions } : {}),
    offlineSignInDays: offlineSignInDaysFrom(env),
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
  registerFxRateRoutes(context);
  registerCaseRoutes(context);
  registerCustomerRoutes(context);
  registerUserRoutes(context);
  registerAuditRoutes(context);
  registerDashboardRoutes(context);
  registerAnalyticsRoutes(context);
  registerRiskRoutes(context);
  registerKriRoutes(context);
  registerRiskEventRoutes(context);
  registerNotificationRoutes(context);
  registerIntegrationRoutes(context);
  registerRiskReportRoutes(context);
  registerConsentRoutes(context);
  registerObAppRoutes(context);
  registerWebhookRoutes(context);
  registerAlertRoutes(context);
  registerAlertChannelRoutes(context);
  registerAlertThresholdRoutes(context);
  registerOpenBankingApiRoutes(context);
  registerDemoInfoRoutes(context);
  // Liveness is /health above; readiness checks what a hub needs to take work (health/readiness.ts).
  const heartbeats = new Heartbeats();
  const readinessOptions = { ...DEFAULT_READINESS, ...options.readiness };
  const readiness = new Readiness({
    db,
    heartbeats,
    writerStalledForMs: () => decisionEngine.pipeline.writer.stalledForMs(),
    logger,
    options: readinessOptions,
  });
  registerHealthRoutes(context, readiness);
  // Every node but a workstation serves the hub side of sync (a workstation registers its own).
  if (options.mode !== 'workstation') {
    registerHubSyncRoutes(context);
    registerNodeSyncStatusRoutes(context);
  }
  // Issue 14's authorization server and customer pages: hubs and standalone only (a workstation
  // serves no partner). The issuer is the listen URL unless configured (known after listen).
  let listenUrl = '';
  if (!workstation) {
    await registerOpenBankingAuth(context, {
      customerAuthenticator: typeof options.customerAuthenticator === 'function' ? options.customerAuthenticator(db) : (options.customerAuthenticator ?? null),
      issuer: () => options.oauthIssuer ?? listenUrl,
    });
  }
  await workstation?.register(context);
  operations.assertComplete(ALL_OPERATIONS);

  // A workstation has no users of its own (they sign in at the hub) and scores nothing: payments,
  // toggles, rates and configurations live at the hub, which answers for them.
  let generatedPassword: string | null = null;
  let riskScheduler: RiskScheduler | null = null;
  let riskEventConsumer: RiskEventConsumer | null = null;
  let webhookDispatcher: WebhookDispatcher | null = null;
  let alerting: { stop(): Promise<void>; flush(): Promise<void> } | null = null;
  const alertingDeps = { db, bus, clock, logger: logger.child({ component: 'alerts' }), box, linkBase: publicUrlOf(env.WEKEZA_PUBLIC_URL) };
  if (!workstation) {
    ({ generatedPassword } = await ensureAdminUser(db, bus, env));
    // Seeds the reference rates on a fresh database, then loads the timeline scoring converts with.
    await fxRates.start();
    // Seeds the default 5×5 risk matrix on a database that has none (issue 13; a workstation pulls the hub's).
    await seedRiskMatrixIfNone(db, bus, logger);
    // Background loops beat once per round; one silent for longer than allowed is reported by /ready.
    const silence = readinessOptions.loopSilenceMs;
    await toggles.start(undefined, heartbeats.register('toggle-schedules', silence.toggleSchedules));
    await decisionEngine.start({
      configurations: heartbeats.register('configuration-reload', silence.configurationReload),
      batch: heartbeats.register('batch-assessments', silence.batchAssessments),
    });
    // Issue 13's schedules (automatic KRIs, staleness, acceptance expiry): hubs and standalone only;
    // several hubs on one database run each slot once (risk-schedules/scheduler.ts).
    riskScheduler = new RiskScheduler({
      db,
      bus,
      clock,
      logger,
      expireAcceptances: expireDueAcceptances,
      extraJobs: [() => peopleJobs({ bus }), () => alertingJobs(alertingDeps), () => dashboardJobs({ bus })],
    });
    context.riskScheduler = riskScheduler;
    // Issue 14: signed webhooks queued by commands (transactional outbox), sent from hubs and
    // standalone; several hubs on one database claim each delivery once (webhooks/dispatcher.ts).
    webhookDispatcher = new WebhookDispatcher({ db, box, clock, bus, logger: logger.child({ component: 'webhooks' }) });
    context.webhookDispatcher = webhookDispatcher;
    webhookDispatcher.start();
    // Issue 15: alert channels send through the same outbox; detectors listen to the assessment stream.
    alerting = startAlerting({ ...alertingDeps, dispatcher: webhookDispatcher });
    context.alerting = alerting;
    // The wall timer wakes it only on the wall clock: an injected ManualClock (tests, replays) moves
    // only when told to, and whoever moves it runs the due slots with runDue (no timer races it).
    if (clock === systemClock) riskScheduler.start();
    // Seed 000's risk-events queue (issue 13): consumed on hubs and standalone when a broker is configured.
    const amqpUrl = options.amqpUrl ?? (env.AMQP_URL || undefined);
    if (amqpUrl) {
      riskEventConsumer = new RiskEventConsumer({
        url: amqpUrl,
        bus,
        logger: logger.child({ component: 'risk-events' }),
        ...(options.amqpQueue ? { queue: options.amqpQueue } : {}),
        ...(env.AMQP_TENANT ? { defaultTenantId: env.AMQP_TENANT } : {}),
      });
      riskEventConsumer.start();
    }
  }

  await app.listen({ host: options.host, port: options.port });
  const port = (app.server.address() as AddressInfo).port;
  // --port 0 is resolved only now; the Host allow-list must name the real port.
  policy = buildLockdownPolicy(options.host, port, options.allowedHosts ?? []);
  realtime = createRealtimeServer({ httpServer: app.server, lockdown: () => policy, authenticator, bus, metrics });
  workstation?.start();
  const urlHost = isLoopbackHost(options.host) || options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  listenUrl = `http://${urlHost}:${port}`;

  let closed = false;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    context,
    generatedAdminPassword: generatedPassword,
    async close() {
      if (closed) return;
      closed = true;
      await workstation?.stop();
      await riskScheduler?.stop();
      await alerting?.stop();
      await webhookDispatcher?.stop();
      await riskEventConsumer?.stop();
      decisionEngine.stop();
      toggles.stop();
      fxRates.stop();
      await new Promise<void>((resolve) => (realtime ? realtime.close(() => resolve()) : resolve()));
      await app.close();
      await db.close();
    },
  };
}
