import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { DatabaseDialect } from '../database.ts';
import { columnTypes } from './column-types.ts';

/**
 * Issue 15: alerting (seed 003 "Real-time Monitoring and Alerting").
 * - alert_thresholds: each detector's thresholds per tenant ('*' = the bank's defaults), as data.
 * - alerts: what detectors raised, with evidence, dedup key, state and escalation.
 * - alert_channels: EMAIL / SMS / WEBHOOK / SLACK / TEAMS; secrets sealed (SecretBox). Each has one
 *   webhook_subscriptions row (owner_kind ALERT_CHANNEL) so deliveries use the issue 14 outbox,
 *   dispatcher, retries and delivery log.
 * - alert_rules: routing by pattern, severity and tenant to channels, dedup window, in-app roles,
 *   escalation steps; a configuration's alert settings keep one rule in step (source_configuration_id).
 * - alert_routes: what routing did per alert, rule, channel and level (queued, suppressed, throttled,
 *   held for quiet hours, released, escalated).
 * - customer_contact_changes: core banking's contact-detail changes (account-takeover signal).
 */
export function migration0019Alerting(dialect: DatabaseDialect): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('alert_thresholds')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('pattern', 'varchar(40)', (c) => c.notNull())
        .addColumn('enabled', t.bool, (c) => c.notNull())
        .addColumn('thresholds', t.json, (c) => c.notNull())
        .addColumn('updated_by', 'varchar(100)', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addUniqueConstraint('alert_thresholds_tenant_pattern_uq', ['tenant_id', 'pattern'])
        .execute();

      await db.schema
        .createTable('alerts')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('reference', 'varchar(30)', (c) => c.notNull().unique())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('pattern', 'varchar(40)', (c) => c.notNull())
        .addColumn('severity', 'varchar(10)', (c) => c.notNull())
        .addColumn('title', 'varchar(300)', (c) => c.notNull())
        .addColumn('entity_type', 'varchar(20)', (c) => c.notNull())
        .addColumn('entity_id', 'varchar(200)', (c) => c.notNull())
        /** pattern|entity_type|entity_id: the same key within a rule's window is one alert. */
        .addColumn('dedup_key', 'varchar(300)', (c) => c.notNull())
        .addColumn('evidence', t.json, (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('occurrences', 'integer', (c) => c.notNull())
        .addColumn('detected_at', t.timestamp, (c) => c.notNull())
        .addColumn('first_seen_at', t.timestamp, (c) => c.notNull())
        .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
        .addColumn('assignee_id', t.id)
        .addColumn('acknowledged_by', 'varchar(100)')
        .addColumn('acknowledged_at', t.timestamp)
        .addColumn('resolved_by', 'varchar(100)')
        .addColumn('resolved_at', t.timestamp)
        .addColumn('resolution', 'varchar(30)')
        .addColumn('resolution_note', 'varchar(2000)')
        .addColumn('case_id', t.id)
        .addColumn('escalation_level', 'integer', (c) => c.notNull())
        .addColumn('next_escalation_at', t.timestamp)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('alerts_tenant_status_idx').on('alerts').columns(['tenant_id', 'status', 'created_at']).execute();
      await db.schema.createIndex('alerts_dedup_idx').on('alerts').columns(['tenant_id', 'dedup_key', 'last_seen_at']).execute();
      await db.schema.createIndex('alerts_escalation_idx').on('alerts').columns(['status', 'next_escalation_at']).execute();

      await db.schema
        .createTable('alert_channels')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('name', 'varchar(100)', (c) => c.notNull())
        .addColumn('kind', 'varchar(10)', (c) => c.notNull())
        .addColumn('settings', t.json, (c) => c.notNull())
        /** JSON of AlertChannelSecrets (+ the webhook's whsec_), sealed with the SecretBox. */
        .addColumn('secrets_sealed', 'text', (c) => c.notNull())
        .addColumn('secrets_set', t.json, (c) => c.notNull())
        .addColumn('secret_hint', 'varchar(100)')
        .addColumn('quiet_hours', t.json)
        .addColumn('max_per_hour', 'integer')
        .addColumn('enabled', t.bool, (c) => c.notNull())
        /** The webhook_subscriptions row its deliveries go through. */
        .addColumn('subscription_id', t.id, (c) => c.notNull())
        .addColumn('created_by', 'varchar(100)', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .execute();

      await db.schema
        .createTable('alert_rules')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('name', 'varchar(100)', (c) => c.notNull())
        .addColumn('patterns', t.json, (c) => c.notNull())
        .addColumn('min_severity', 'varchar(10)', (c) => c.notNull())
        .addColumn('tenant_ids', t.json, (c) => c.notNull())
        .addColumn('channel_ids', t.json, (c) => c.notNull())
        .addColumn('dedup_window_minutes', 'integer', (c) => c.notNull())
        .addColumn('notify_roles', t.json, (c) => c.notNull())
        .addColumn('escalation', t.json, (c) => c.notNull())
        .addColumn('enabled', t.bool, (c) => c.notNull())
        .addColumn('source_configuration_id', t.id)
        .addColumn('created_by', 'varchar(100)', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('deleted_at', t.timestamp)
        .execute();

      await db.schema
        .createTable('alert_routes')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('alert_id', t.id, (c) => c.notNull())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('rule_id', t.id)
        .addColumn('channel_id', t.id)
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('outcome', 'varchar(30)', (c) => c.notNull())
        .addColumn('detail', 'varchar(1000)')
        .addColumn('hold_until', t.timestamp)
        .addColumn('delivery_id', t.id)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('alert_routes_alert_idx').on('alert_routes').columns(['alert_id', 'created_at']).execute();
      await db.schema.createIndex('alert_routes_channel_idx').on('alert_routes').columns(['channel_id', 'outcome', 'created_at']).execute();
      await db.schema.createIndex('alert_routes_hold_idx').on('alert_routes').columns(['outcome', 'hold_until']).execute();

      await db.schema
        .createTable('customer_contact_changes')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('tenant_id', 'varchar(50)', (c) => c.notNull())
        .addColumn('customer_ref', 'varchar(100)', (c) => c.notNull())
        .addColumn('field', 'varchar(20)', (c) => c.notNull())
        .addColumn('changed_at', t.timestamp, (c) => c.notNull())
        .addColumn('channel', 'varchar(50)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('customer_contact_changes_idx').on('customer_contact_changes').columns(['tenant_id', 'customer_ref', 'changed_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['customer_contact_changes', 'alert_routes', 'alert_rules', 'alert_channels', 'alerts', 'alert_thresholds']) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
