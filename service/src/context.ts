import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Db } from './db/database.ts';
import type { CommandBus } from './commands/bus.ts';
import type { Authenticator } from './auth/authenticator.ts';
import type { TokenService } from './auth/tokens.ts';
import type { Metrics } from './metrics.ts';
import type { RealtimeServer } from './realtime/socket.ts';
import type { SecretBox } from './auth/secret-box.ts';
import type { DecisionEngine } from './decision-engine/decision-engine.ts';
import type { ToggleService } from './toggles/service.ts';
import type { FxRateService } from './fx-rates/service.ts';
import type { Clock } from './clock.ts';
import type { OperationRouter } from './http/operations.ts';
import type { SignInThrottle } from './auth/sign-in-throttle.ts';
import type { DemoAccounts } from './demo-info/routes.ts';
import type { RiskScheduler } from './risk-schedules/scheduler.ts';
import type { WebhookDispatcher } from './webhooks/dispatcher.ts';

export type ServiceMode = 'standalone' | 'hub' | 'workstation';

/** Everything a feature's routes need, built once by app.ts. */
export interface ServiceContext {
  mode: ServiceMode;
  /** The injected clock (ARCHITECTURE.md rule 3). */
  clock: Clock;
  version: string;
  startedAt: Date;
  app: FastifyInstance;
  /** Routes are built from the contract through this (ARCHITECTURE.md rule 2). */
  operations: OperationRouter;
  db: Db;
  bus: CommandBus;
  authenticator: Authenticator;
  tokens: TokenService;
  metrics: Metrics;
  logger: Logger;
  realtime: () => RealtimeServer;
  secrets: SecretBox;
  decisionEngine: DecisionEngine;
  toggles: ToggleService;
  /** FX rates to KES: the timeline scoring converts with (fx-rates/service.ts). */
  fxRates: FxRateService;
  /** Failed sign-ins, shared by every hub through the database (auth/sign-in-throttle.ts). */
  signInThrottle: SignInThrottle;
  /** Started with --demo: the demo team for the sign-in page (null otherwise). */
  demo: DemoAccounts | null;
  /** Syncable command versions this hub accepts, when not the built-in ones (tests simulate version skew). */
  syncCommandVersions?: Record<string, number>;
  /** How long a workstation may sign a user in offline (WEKEZA_OFFLINE_SIGN_IN_DAYS, default 7). */
  offlineSignInDays?: number;
  /** Issue 13's scheduler (automatic KRIs, staleness, acceptance expiry); hubs and standalone only. */
  riskScheduler?: RiskScheduler;
  /** Issue 14's webhook sender (webhooks/dispatcher.ts); hubs and standalone only. */
  webhookDispatcher?: WebhookDispatcher;
  /** Issue 15's detectors and channel transports (alerts/wiring.ts); hubs and standalone only. flush() lets tests wait for the stream. */
  alerting?: { stop(): Promise<void>; flush(): Promise<void> };
}
