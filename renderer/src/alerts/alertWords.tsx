// Words and chips of alerting (issue 15): severities (the risk colours), states, patterns as a
// person says them, resolutions, what routing did with an alert, channel kinds and delivery states.
import type { AlertChannelKind, AlertPattern, AlertResolution, AlertSeverity, AlertStatus } from '../../../shared/src/alerts.ts';
import { StatusChip } from '../admin/adminChips.tsx';
import { RiskChip } from '../ui/chips.tsx';

export const SEVERITY_LABELS: Record<AlertSeverity, string> = { LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High', CRITICAL: 'Critical' };

export const PATTERN_LABELS: Record<AlertPattern, string> = {
  HIGH_RISK_BURST: 'Burst of high-risk payments',
  ENGINE_FAILURE: 'Fraud engine failing',
  UNUSUAL_TRANSACTION: 'Unusual transaction',
  VELOCITY: 'Velocity',
  GEO_IMPOSSIBLE_TRAVEL: 'Impossible travel',
  DEVICE_SHARED: 'Device shared by customers',
  DEVICE_CHURN: 'Many new devices',
  ACCOUNT_TAKEOVER: 'Account takeover',
  STRUCTURING: 'Structuring (below reporting threshold)',
  FAN_IN: 'Fan-in (mule collecting)',
  FAN_OUT: 'Fan-out',
  RAPID_IN_OUT: 'Rapid in and out',
  RISKY_PAYMENT: 'Risky payment (configuration alert)',
};

export const STATUS_LABELS: Record<AlertStatus, string> = { OPEN: 'Open', ACKNOWLEDGED: 'Acknowledged', RESOLVED: 'Resolved' };

export const RESOLUTION_LABELS: Record<AlertResolution, string> = {
  CONFIRMED_FRAUD: 'Confirmed fraud',
  SUSPICIOUS_REPORTED: 'Suspicious, reported',
  FALSE_POSITIVE: 'False positive',
  DUPLICATE: 'Duplicate',
  EXPECTED_BEHAVIOUR: 'Expected behaviour',
};

export const ROUTE_OUTCOME_LABELS: Record<string, string> = {
  QUEUED: 'Sent to the channel',
  SUPPRESSED_DUPLICATE: 'Not sent: duplicate within the window',
  THROTTLED: 'Not sent: channel over its hourly limit',
  HELD_QUIET_HOURS: 'Held for quiet hours',
  RELEASED: 'Released after quiet hours',
  ESCALATED: 'Escalated',
  NOTIFIED_IN_APP: 'Notified in the app',
};

export const CHANNEL_KIND_LABELS: Record<AlertChannelKind, string> = {
  EMAIL: 'Email',
  SMS: 'SMS',
  WEBHOOK: 'Webhook',
  SLACK: 'Slack',
  TEAMS: 'Microsoft Teams',
};

export const ROLE_LABELS: Record<string, string> = {
  FRAUD_ANALYST: 'Fraud analysts',
  COMPLIANCE_OFFICER: 'Compliance officers',
  RISK_OFFICER: 'Risk officers',
  RISK_MANAGER: 'Risk managers',
};

export const DELIVERY_STATUS_LABELS: Record<string, string> = { PENDING: 'Pending', DELIVERED: 'Delivered', FAILED: 'Retrying', DEAD: 'Dead' };

export function SeverityChip({ severity, testId }: { severity: AlertSeverity; testId?: string }) {
  return <RiskChip level={severity} size="small" data-testid={testId} />;
}

export function AlertStatusChip({ status, testId }: { status: AlertStatus; testId?: string }) {
  const tone = status === 'OPEN' ? 'danger' : status === 'ACKNOWLEDGED' ? 'info' : 'success';
  return <StatusChip label={STATUS_LABELS[status] ?? status} tone={tone} testId={testId} />;
}

export function RouteOutcomeChip({ outcome }: { outcome: string }) {
  const tone =
    outcome === 'QUEUED' || outcome === 'RELEASED' || outcome === 'NOTIFIED_IN_APP'
      ? 'success'
      : outcome === 'HELD_QUIET_HOURS' || outcome === 'ESCALATED'
        ? 'warning'
        : 'neutral';
  return <StatusChip label={ROUTE_OUTCOME_LABELS[outcome] ?? outcome} tone={tone} testId={`route-outcome-${outcome}`} />;
}

export function DeliveryChip({ status }: { status: string }) {
  const tone = status === 'DELIVERED' ? 'success' : status === 'DEAD' ? 'danger' : status === 'FAILED' ? 'warning' : 'info';
  return <StatusChip label={DELIVERY_STATUS_LABELS[status] ?? status} tone={tone} testId={`alert-delivery-status-${status}`} />;
}

/** A detector figure's name as a person reads it: windowMinutes → "window minutes". */
export function figureLabel(key: string): string {
  const spaced = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return spaced.replace(/\bkes\b/, '(KES)').replace(/^./, (c) => c.toUpperCase());
}
