import type { Selectable } from 'kysely';
import type { Timestamp, NullableTimestamp, Json, NullableJson, Bool } from './schema.ts';

/** Issue 15 tables (migration 0019-alerting). */
export interface AlertThresholdsTable {
  id: string;
  tenant_id: string;
  pattern: string;
  enabled: Bool;
  thresholds: Json;
  updated_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

export interface AlertsTable {
  id: string;
  reference: string;
  tenant_id: string;
  pattern: string;
  severity: string;
  title: string;
  entity_type: string;
  entity_id: string;
  dedup_key: string;
  evidence: Json;
  /** OPEN | ACKNOWLEDGED | RESOLVED */
  status: string;
  occurrences: number;
  detected_at: Timestamp;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  assignee_id: string | null;
  acknowledged_by: string | null;
  acknowledged_at: NullableTimestamp;
  resolved_by: string | null;
  resolved_at: NullableTimestamp;
  resolution: string | null;
  resolution_note: string | null;
  case_id: string | null;
  escalation_level: number;
  next_escalation_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
}

export interface AlertChannelsTable {
  id: string;
  tenant_id: string;
  name: string;
  kind: string;
  settings: Json;
  secrets_sealed: string;
  secrets_set: Json;
  secret_hint: string | null;
  quiet_hours: NullableJson;
  max_per_hour: number | null;
  enabled: Bool;
  subscription_id: string;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
  deleted_at: NullableTimestamp;
}

export interface AlertRulesTable {
  id: string;
  name: string;
  patterns: Json;
  min_severity: string;
  tenant_ids: Json;
  channel_ids: Json;
  dedup_window_minutes: number;
  notify_roles: Json;
  escalation: Json;
  enabled: Bool;
  source_configuration_id: string | null;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: number;
  deleted_at: NullableTimestamp;
}

export interface AlertRoutesTable {
  id: string;
  alert_id: string;
  tenant_id: string;
  rule_id: string | null;
  channel_id: string | null;
  level: number;
  outcome: string;
  detail: string | null;
  hold_until: NullableTimestamp;
  delivery_id: string | null;
  created_at: Timestamp;
  version: number;
}

export interface CustomerContactChangesTable {
  id: string;
  tenant_id: string;
  customer_ref: string;
  field: string;
  changed_at: Timestamp;
  channel: string | null;
  created_at: Timestamp;
  version: number;
}

export type AlertingTables = {
  alert_thresholds: AlertThresholdsTable;
  alerts: AlertsTable;
  alert_channels: AlertChannelsTable;
  alert_rules: AlertRulesTable;
  alert_routes: AlertRoutesTable;
  customer_contact_changes: CustomerContactChangesTable;
};

export type AlertRow = Selectable<AlertsTable>;
export type AlertChannelRow = Selectable<AlertChannelsTable>;
export type AlertRuleRow = Selectable<AlertRulesTable>;
export type AlertRouteRow = Selectable<AlertRoutesTable>;
export type AlertThresholdRow = Selectable<AlertThresholdsTable>;
