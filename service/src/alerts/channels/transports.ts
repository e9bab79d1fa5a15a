import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Db } from '../../db/database.ts';
import { fromJson, toBool } from '../../db/database.ts';
import type { SecretBox } from '../../auth/secret-box.ts';
import {
  describeError,
  postOnce,
  standardWebhookFormatter,
  type TransportResult,
  type WebhookDispatcher,
  type WebhookTransport,
} from '../../webhooks/dispatcher.ts';
import { AlertChannelSecrets, AlertChannelSettings } from '../../../../shared/src/alerts.ts';
import { ALERT_CHANNEL_OWNER } from './enqueue.ts';
import { AlertMessageBody, emailHtml, emailSubject, emailText, slackPayload, smsText, teamsPayload } from './messages.ts';

/** What a channel keeps sealed (SecretBox): the admin's secrets, plus a WEBHOOK channel's generated whsec_. */
export const StoredChannelSecrets = AlertChannelSecrets.extend({ signingSecret: z.string().startsWith('whsec_').optional() });
export type StoredChannelSecrets = z.infer<typeof StoredChannelSecrets>;

const EMAIL_RE = /^[^\s@]+@[^\s@]+$/;
const PHONE_RE = /^\+[1-9]\d{7,14}$/;

export interface AlertTransportDeps {
  db: Db;
  box: SecretBox;
  logger: Logger;
  /**
   * Where people open the workstation (e.g. https://risk.wekeza.example): makes links absolute and
   * adds the Slack button / Teams action. Without it messages carry the alert's path.
   */
  linkBase?: string | null;
  fetch?: typeof fetch;
}

/**
 * Sends alert channel deliveries with the issue 14 dispatcher's queue, claims, retries and attempt
 * log (one outbox, ARCHITECTURE.md "Webhooks are a transactional outbox"); only the last hop
 * differs per kind.
 */
export function registerAlertChannelTransport(dispatcher: WebhookDispatcher, deps: AlertTransportDeps): void {
  dispatcher.setTransport(ALERT_CHANNEL_OWNER, alertChannelTransport(deps));
}

export function alertChannelTransport(deps: AlertTransportDeps): WebhookTransport {
  const linkBase = deps.linkBase ?? null;
  return async ({ delivery, subscription, at, timeoutMs }) => {
    const channel = await deps.db.kysely.selectFrom('alert_channels').selectAll().where('id', '=', delivery.owner_id).executeTakeFirst();
    // The subscription ends with the channel (commands.ts), so this is a race with a delete.
    if (!channel || channel.deleted_at !== null) return { statusCode: null, error: 'the channel was deleted', abandoned: true };
    // Switching a channel off stops what it still had queued too (a retry included); a test send is
    // how an admin checks a channel before switching it on, so it still goes.
    if (!toBool(channel.enabled) && delivery.event_type !== 'alert.test') {
      return { statusCode: null, error: 'the channel was disabled before this message went out', abandoned: true };
    }
    const settings = AlertChannelSettings.parse(fromJson(channel.settings));
    // The channel's row is the source of its secrets (the subscription holds the same sealed value).
    const secrets = StoredChannelSecrets.parse(JSON.parse(deps.box.open(channel.secrets_sealed)));
    const payload = fromJson(delivery.payload);
    const body = AlertMessageBody.parse(payload);
    const type = delivery.event_type;
    const m = body.data;
    switch (settings.kind) {
      case 'EMAIL': {
        const to = [...new Set([...settings.to, ...m.recipients.filter((r) => EMAIL_RE.test(r))])];
        return sendEmail(
          settings,
          secrets,
          {
            to,
            subject: emailSubject(m),
            text: emailText(type, m, linkBase),
            html: emailHtml(type, m, linkBase),
            // One Message-ID for every attempt, so a mail client shows a retried message once.
            messageId: `<${delivery.message_id}@alerts.wekeza>`,
            reference: m.alert.reference,
          },
          timeoutMs,
        );
      }
      case 'SMS': {
        if (!secrets.apiKey) return { statusCode: null, error: 'no API key is stored for this SMS gateway' };
        const to = [...new Set([...settings.to, ...m.recipients.filter((r) => PHONE_RE.test(r))])];
        // Africa's Talking's send API: a form POST with username, to (comma list), message, from; the key in a header.
        const form = new URLSearchParams({ username: settings.username, to: to.join(','), message: smsText(type, m) });
        if (settings.senderId) form.set('from', settings.senderId);
        return postOnce(
          {
            url: settings.url,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              accept: 'application/json',
              apiKey: secrets.apiKey,
              'user-agent': 'Wekeza-Alerts/1',
            },
            body: form.toString(),
          },
          timeoutMs,
          deps.fetch,
        );
      }
      case 'WEBHOOK': {
        if (!secrets.signingSecret) return { statusCode: null, error: 'the channel has no signing secret' };
        // Standard Webhooks, exactly as partners' webhooks: the stored body, signed with the channel's whsec_.
        const request = standardWebhookFormatter({ delivery, subscription: { ...subscription, url: settings.url }, secret: secrets.signingSecret, at });
        return postOnce(request, timeoutMs, deps.fetch);
      }
      case 'SLACK':
      case 'TEAMS': {
        if (!secrets.incomingWebhookUrl) return { statusCode: null, error: 'no incoming-webhook URL is stored' };
        const json = settings.kind === 'SLACK' ? slackPayload(type, m, linkBase) : teamsPayload(type, m, linkBase);
        return postOnce(
          { url: secrets.incomingWebhookUrl, headers: { 'content-type': 'application/json', 'user-agent': 'Wekeza-Alerts/1' }, body: JSON.stringify(json) },
          timeoutMs,
          deps.fetch,
        );
      }
    }
  };
}

type EmailSettings = Extract<AlertChannelSettings, { kind: 'EMAIL' }>;

/**
 * One message through the bank's relay. Success has no status code in the log (the relay's 250 is
 * the only possible one); an SMTP refusal records its reply code (e.g. 451, 550, 535).
 */
async function sendEmail(
  settings: EmailSettings,
  secrets: StoredChannelSecrets,
  mail: { to: string[]; subject: string; text: string; html: string; messageId: string; reference: string },
  timeoutMs: number,
): Promise<TransportResult> {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    ...(settings.username ? { auth: { user: settings.username, pass: secrets.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    await transport.sendMail({
      from: settings.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      headers: { 'X-Wekeza-Alert': mail.reference },
    });
    return { statusCode: null, error: null };
  } catch (e) {
    const err = e as Error & { responseCode?: number; code?: string };
    const statusCode = typeof err.responseCode === 'number' ? err.responseCode : null;
    return { statusCode, error: `could not send through the mail relay: ${err.message || describeError(err)}`.slice(0, 1000) };
  } finally {
    transport.close();
  }
}
