import type { Logger } from 'pino';
import type { Db } from '../db/database.ts';
import type { CommandBus } from '../commands/bus.ts';
import type { Clock } from '../clock.ts';
import type { SecretBox } from '../auth/secret-box.ts';
import type { RiskJob } from '../risk-schedules/jobs.ts';
import type { WebhookDispatcher } from '../webhooks/dispatcher.ts';
import { registerAlertChannelTransport } from './channels/transports.ts';
import { detectorJobs, startAlertDetectors } from './detectors/runner.ts';
import { routingJobs } from './jobs.ts';

export interface AlertingDeps {
  db: Db;
  bus: CommandBus;
  clock: Clock;
  logger: Logger;
  box: SecretBox;
}

/** Alerting's scheduled work for the RiskScheduler (once per slot across hubs): escalation, quiet-hours release, periodic detectors. */
export function alertingJobs(deps: AlertingDeps): RiskJob[] {
  return [...routingJobs(deps.bus), ...detectorJobs(deps)];
}

/**
 * Alerting on hubs and standalone services: channel messages go out through the webhook
 * dispatcher's outbox (slice B's transports) and the detectors listen to the assessment stream.
 */
export function startAlerting(deps: AlertingDeps & { dispatcher: WebhookDispatcher }): { stop(): Promise<void>; flush(): Promise<void> } {
  registerAlertChannelTransport(deps.dispatcher, { db: deps.db, box: deps.box, logger: deps.logger });
  const detectors = startAlertDetectors(deps);
  return {
    stop: () => detectors.stop(),
    flush: () => detectors.flush(),
  };
}
