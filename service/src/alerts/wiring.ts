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
  /** Where people open the workstation (WEKEZA_PUBLIC_URL): messages link to the alert there; null = paths only. */
  linkBase?: string | null;
}

/**
 * The workstation's public address for links in e-mail, Slack and Teams messages, from
 * WEKEZA_PUBLIC_URL (http(s), no query or fragment); anything else is refused at start-up rather
 * than sending people broken links.
 */
export function publicUrlOf(value: string | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`WEKEZA_PUBLIC_URL is not a URL: ${value}`);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash || url.username || url.password) {
    throw new Error('WEKEZA_PUBLIC_URL must be an http(s) address without credentials, query or fragment, e.g. https://risk.bank.example');
  }
  return url.href.replace(/\/+$/, '');
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
  registerAlertChannelTransport(deps.dispatcher, { db: deps.db, box: deps.box, logger: deps.logger, linkBase: deps.linkBase ?? null });
  const detectors = startAlertDetectors(deps);
  return {
    stop: () => detectors.stop(),
    flush: () => detectors.flush(),
  };
}
