import { z } from 'zod';
import { Alert, AlertEvidence, PATTERN_FAMILY } from '../../../../shared/src/alerts.ts';
import { bankTimeText } from '../../../../shared/src/bank-time.ts';

/**
 * What an alert channel's message says, one pure function per medium (email, SMS, Slack Block Kit,
 * Teams Adaptive Card). They read only the delivery's stored payload, so a retry or a replay sends
 * the very message that was queued.
 */

export const AlertMessageEvidence = z.object({
  paymentCount: z.number().int(),
  totalKes: z.number(),
  payments: AlertEvidence.shape.payments,
  customers: z.array(z.string()),
  rules: AlertEvidence.shape.rules,
  figures: AlertEvidence.shape.figures,
  explanation: z.array(z.string()),
});

/** The `data` of an alert delivery's `{ type, timestamp, data }` body (enqueue.ts writes it). */
export const AlertMessageData = z.object({
  alert: Alert,
  evidence: AlertMessageEvidence.nullable(),
  level: z.number().int().nonnegative(),
  /** Extra recipients (a configuration's alert emails / phone numbers) besides the channel's own. */
  recipients: z.array(z.string()),
  /** The alert's page in the workstation, as a path. */
  link: z.string(),
  /** A test send: no alert was raised. */
  test: z.boolean(),
});
export type AlertMessageData = z.infer<typeof AlertMessageData>;

export const AlertMessageBody = z.object({ type: z.string(), timestamp: z.string(), data: AlertMessageData });
export type AlertMessageBody = z.infer<typeof AlertMessageBody>;

/** SMS gateways bill per 160-character segment: the summary fits one. */
export const SMS_MAX_CHARS = 160;

const kes = new Intl.NumberFormat('en-KE', { maximumFractionDigits: 0 });
export const formatKes = (amount: number) => `KES ${kes.format(amount)}`;

/** The label in front of every message: the severity, or TEST for a test send. */
function label(m: AlertMessageData): string {
  return m.test ? 'TEST' : m.alert.severity;
}

function escalationNote(type: string, m: AlertMessageData): string | null {
  return type === 'alert.escalated' ? `Escalated to level ${m.level}: not acknowledged in time.` : null;
}

/** An absolute link when the service knows the address people open it at; else the path. */
export function linkOf(m: AlertMessageData, linkBase: string | null): string {
  return linkBase ? new URL(m.link, linkBase).toString() : m.link;
}

/** Label/value pairs every medium shows, in one order. */
export function facts(m: AlertMessageData): Array<[string, string]> {
  const a = m.alert;
  const rows: Array<[string, string]> = [
    ['Severity', a.severity],
    ['Pattern', `${a.pattern} (${PATTERN_FAMILY[a.pattern]})`],
    ['Tenant', a.tenantId],
    ['Entity', `${a.entityType} ${a.entityId}`],
    ['Detected', bankTimeText(a.detectedAt)],
    ['Occurrences', String(a.occurrences)],
  ];
  if (m.evidence && m.evidence.paymentCount > 0) rows.push(['Payments', `${m.evidence.paymentCount} · ${formatKes(m.evidence.totalKes)}`]);
  if (m.level > 0) rows.push(['Escalation level', String(m.level)]);
  return rows;
}

export function emailSubject(m: AlertMessageData): string {
  return `[${label(m)}] ${m.alert.reference} ${m.alert.title}`.replace(/[\r\n]+/g, ' ').slice(0, 250);
}

export function emailText(type: string, m: AlertMessageData, linkBase: string | null): string {
  const lines = [m.alert.title, ''];
  const note = escalationNote(type, m);
  if (note) lines.push(note, '');
  for (const [k, v] of facts(m)) lines.push(`${k}: ${v}`);
  if (m.evidence) {
    if (m.evidence.explanation.length > 0) lines.push('', 'Why:', ...m.evidence.explanation.map((e) => `- ${e}`));
    if (m.evidence.payments.length > 0) {
      lines.push('', 'Payments:');
      for (const p of m.evidence.payments) {
        lines.push(
          `- ${p.transactionReference} · ${p.customerRef} · ${formatKes(p.amountKes)} · ${bankTimeText(p.occurredAt)} · ${p.channel}${p.riskLevel ? ` · ${p.riskLevel}` : ''}`,
        );
      }
      if (m.evidence.paymentCount > m.evidence.payments.length) lines.push(`… and ${m.evidence.paymentCount - m.evidence.payments.length} more in the app.`);
    }
  }
  lines.push('', `Open in the Wekeza Risk Workstation: ${linkOf(m, linkBase)}`);
  return lines.join('\n');
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function emailHtml(type: string, m: AlertMessageData, linkBase: string | null): string {
  const cell = 'style="padding:4px 8px;border:1px solid #ccc;text-align:left"';
  const note = escalationNote(type, m);
  const parts = [`<h2 style="margin:0 0 8px">${escapeHtml(`[${label(m)}] ${m.alert.reference}`)}</h2>`, `<p><strong>${escapeHtml(m.alert.title)}</strong></p>`];
  if (note) parts.push(`<p>${escapeHtml(note)}</p>`);
  parts.push(
    `<table style="border-collapse:collapse">${facts(m)
      .map(([k, v]) => `<tr><th ${cell}>${escapeHtml(k)}</th><td ${cell}>${escapeHtml(v)}</td></tr>`)
      .join('')}</table>`,
  );
  if (m.evidence && m.evidence.explanation.length > 0) parts.push(`<ul>${m.evidence.explanation.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul>`);
  if (m.evidence && m.evidence.payments.length > 0) {
    const head = ['Reference', 'Customer', 'Amount', 'Time (EAT)', 'Channel', 'Risk'].map((h) => `<th ${cell}>${h}</th>`).join('');
    const rows = m.evidence.payments
      .map((p) =>
        [p.transactionReference, p.customerRef, formatKes(p.amountKes), bankTimeText(p.occurredAt), p.channel, p.riskLevel ?? '']
          .map((v) => `<td ${cell}>${escapeHtml(v)}</td>`)
          .join(''),
      )
      .map((r) => `<tr>${r}</tr>`)
      .join('');
    parts.push(`<h3>Evidence payments</h3><table style="border-collapse:collapse"><tr>${head}</tr>${rows}</table>`);
  }
  const link = linkOf(m, linkBase);
  parts.push(`<p><a href="${escapeHtml(link)}">Open ${escapeHtml(m.alert.reference)} in the Wekeza Risk Workstation</a></p>`);
  return `<!doctype html><html><body style="font-family:sans-serif">${parts.join('\n')}</body></html>`;
}

/** One SMS segment: label, reference, title, then what fits of the figures. */
export function smsText(type: string, m: AlertMessageData): string {
  const bits = [
    `${label(m)}${type === 'alert.escalated' ? ` ESCALATED L${m.level}` : ''} ${m.alert.reference}`,
    m.alert.title,
    `${m.alert.entityType} ${m.alert.entityId}`,
  ];
  if (m.evidence && m.evidence.paymentCount > 0) bits.push(`${m.evidence.paymentCount} pmts ${formatKes(m.evidence.totalKes)}`);
  const text = bits.join(' · ').replace(/\s+/g, ' ');
  return text.length <= SMS_MAX_CHARS ? text : `${text.slice(0, SMS_MAX_CHARS - 1)}…`;
}

const escapeMrkdwn = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Slack incoming webhook: Block Kit with a plain-text fallback (notifications show `text`). */
export function slackPayload(type: string, m: AlertMessageData, linkBase: string | null): Record<string, unknown> {
  const note = escalationNote(type, m);
  const blocks: Array<Record<string, unknown>> = [
    { type: 'header', text: { type: 'plain_text', text: `[${label(m)}] ${m.alert.reference}`.slice(0, 150), emoji: false } },
    { type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(m.alert.title)}*${note ? `\n${escapeMrkdwn(note)}` : ''}` } },
    // Slack allows at most 10 fields per section.
    {
      type: 'section',
      fields: facts(m)
        .slice(0, 10)
        .map(([k, v]) => ({ type: 'mrkdwn', text: `*${escapeMrkdwn(k)}*\n${escapeMrkdwn(v)}` })),
    },
  ];
  if (m.evidence && m.evidence.explanation.length > 0) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: m.evidence.explanation
          .map((e) => `• ${escapeMrkdwn(e)}`)
          .join('\n')
          .slice(0, 3000),
      },
    });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Wekeza Risk Workstation · ${escapeMrkdwn(m.link)}` }] });
  // Slack buttons need an absolute URL: without the service's public address the path above is all there is.
  if (linkBase) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open alert' },
          url: linkOf(m, linkBase),
          style: m.alert.severity === 'CRITICAL' ? 'danger' : 'primary',
        },
      ],
    });
  }
  return { text: `[${label(m)}] ${m.alert.reference} ${m.alert.title}`, blocks };
}

/** Microsoft Teams incoming webhook: one Adaptive Card 1.4 in a message. */
export function teamsPayload(type: string, m: AlertMessageData, linkBase: string | null): Record<string, unknown> {
  const note = escalationNote(type, m);
  const body: Array<Record<string, unknown>> = [
    {
      type: 'TextBlock',
      size: 'Large',
      weight: 'Bolder',
      text: `[${label(m)}] ${m.alert.reference}`,
      color: m.alert.severity === 'CRITICAL' || m.alert.severity === 'HIGH' ? 'Attention' : 'Default',
    },
    { type: 'TextBlock', text: m.alert.title, wrap: true, weight: 'Bolder' },
  ];
  if (note) body.push({ type: 'TextBlock', text: note, wrap: true, color: 'Warning' });
  body.push({ type: 'FactSet', facts: facts(m).map(([title, value]) => ({ title, value })) });
  if (m.evidence && m.evidence.explanation.length > 0)
    body.push({ type: 'TextBlock', text: m.evidence.explanation.map((e) => `- ${e}`).join('\n'), wrap: true });
  if (m.evidence && m.evidence.payments.length > 0) {
    body.push({
      type: 'FactSet',
      facts: m.evidence.payments.map((p) => ({
        title: p.transactionReference,
        value: `${p.customerRef} · ${formatKes(p.amountKes)} · ${bankTimeText(p.occurredAt)}`,
      })),
    });
  }
  const actions = linkBase ? [{ type: 'Action.OpenUrl', title: 'Open alert', url: linkOf(m, linkBase) }] : [];
  if (!linkBase) body.push({ type: 'TextBlock', text: `Open in the Wekeza Risk Workstation: ${m.link}`, wrap: true, isSubtle: true });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body, actions },
      },
    ],
  };
}
