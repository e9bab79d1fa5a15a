import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineCommand, reserveCounter, type CommandContext } from '../commands/bus.ts';
import type { SecretBox } from '../auth/secret-box.ts';
import { conflict, notFound, validationFailed } from '../errors.ts';
import { ConfigurationInput, PublishChangeNote, PublishDraftRequest } from '../../../shared/src/decision-engine.ts';
import type { ConfigurationChangedEvent } from '../../../shared/src/events.ts';
import type { ConfigurationRow, ConfigurationVersionRow } from '../db/schema.ts';
import { validateRequestTemplate } from '../bank-engine/template.ts';
import { dbBool } from '../db/database.ts';
import { TenantScope } from '../auth/tenant-scope.ts';
import { assertConfigurationWritable } from './tenancy.ts';
import { syncConfigurationAlertRuleWithin } from '../alerts/rules.ts';
import {
  auditView,
  bodyFromRow,
  configurationColumns,
  mergeCredentials,
  storedBodyOf,
  toConfiguration,
  toConfigurationVersion,
  versionLabel,
  type StoredBody,
} from './configurations.ts';

/** Bumped by every configuration change so that other hubs reload their compiled configurations. */
export const CONFIGURATION_REVISION = 'configuration.revision';

const IdInput = z.object({ id: z.uuid() });
const Id = { id: z.uuid() };

/** Field errors the zod schema cannot see: the request template must render. */
function checkTemplate(input: z.output<typeof ConfigurationInput>): void {
  const template = input.bankFraudApiConfig?.requestTemplate;
  if (!template) return;
  const problem = validateRequestTemplate(template);
  if (problem) throw validationFailed([{ path: 'body.bankFraudApiConfig.requestTemplate', message: problem }]);
}

/** A configuration to change: checked against the actor's tenants here, so a replay by name is checked too. */
async function loadConfiguration(ctx: CommandContext, id: string): Promise<ConfigurationRow> {
  const row = await ctx.trx.selectFrom('fraud_risk_configurations').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw notFound('configuration');
  assertConfigurationWritable(new TenantScope(ctx.actor.tenants), row.tenant_id);
  return row;
}

/** The tenant a configuration is created for or moved to must be one the actor acts for ("*": every tenant). */
function assertTenantInput(ctx: CommandContext, tenantId: string): void {
  new TenantScope(ctx.actor.tenants).assertInput(tenantId, 'body.tenantId');
}

async function openDraft(ctx: CommandContext, id: string): Promise<ConfigurationVersionRow | null> {
  return (
    (await ctx.trx
      .selectFrom('fraud_risk_configuration_versions')
      .selectAll()
      .where('configuration_id', '=', id)
      .where('status', '=', 'DRAFT')
      .executeTakeFirst()) ?? null
  );
}

async function nextVersionNumber(ctx: CommandContext, id: string): Promise<number> {
  const row = await ctx.trx
    .selectFrom('fraud_risk_configuration_versions')
    .select((eb) => eb.fn.max('version_number').as('max'))
    .where('configuration_id', '=', id)
    .executeTakeFirst();
  return Number(row?.max ?? 0) + 1;
}

function expectRowVersion(row: ConfigurationRow, expected: number): void {
  if (row.row_version !== expected) {
    throw conflict(
      `configuration "${row.configuration_name}" was changed by ${row.updated_by ?? 'someone else'} (now at revision ${row.row_version}, you had ${expected}): reload it and apply your change again`,
    );
  }
}

async function announceChange(ctx: CommandContext, event: Omit<ConfigurationChangedEvent, 'by'>): Promise<void> {
  await reserveCounter(ctx.trx, CONFIGURATION_REVISION);
  ctx.announce({ event: 'configuration.changed', audience: 'configuration:read', payload: { ...event, by: ctx.actor.name } });
}

async function insertVersion(
  ctx: CommandContext,
  values: {
    configurationId: string;
    versionNumber: number;
    status: 'DRAFT' | 'PUBLISHED';
    body: StoredBody;
    sealed: string | null;
    changeNote: string | null;
    backtestId?: string | null;
  },
): Promise<ConfigurationVersionRow> {
  const now = ctx.now.toISOString();
  const row = {
    id: randomUUID(),
    configuration_id: values.configurationId,
    version_number: values.versionNumber,
    version: versionLabel(values.versionNumber),
    status: values.status,
    body: JSON.stringify(values.body),
    bank_api_credentials: values.sealed,
    change_note: values.changeNote,
    created_at: now,
    created_by: ctx.actor.name,
    published_at: values.status === 'PUBLISHED' ? now : null,
    published_by: values.status === 'PUBLISHED' ? ctx.actor.name : null,
    backtest_id: values.backtestId ?? null,
    row_version: 1,
    deleted_at: null,
  };
  await ctx.trx.insertInto('fraud_risk_configuration_versions').values(row).execute();
  ctx.change({ entityType: 'configuration_version', entityId: row.id, operation: 'upsert', version: 1, data: { ...toConfigurationVersion(row) } });
  return row;
}

async function supersedePublished(ctx: CommandContext, configurationId: string): Promise<void> {
  await ctx.trx
    .updateTable('fraud_risk_configuration_versions')
    .set({ status: 'SUPERSEDED' })
    .where('configuration_id', '=', configurationId)
    .where('status', '=', 'PUBLISHED')
    .execute();
}

/** Makes `body` the published version `versionNumber` of the configuration row. */
async function publishOnRow(
  ctx: CommandContext,
  row: ConfigurationRow,
  body: StoredBody,
  sealed: string | null,
  versionNumber: number,
): Promise<ConfigurationRow> {
  const now = ctx.now.toISOString();
  const updated = {
    ...row,
    ...configurationColumns(body, ctx.dialect),
    version: versionLabel(versionNumber),
    version_number: versionNumber,
    bank_api_credentials: sealed,
    updated_at: now,
    updated_by: ctx.actor.name,
    row_version: row.row_version + 1,
  };
  await ctx.trx
    .updateTable('fraud_risk_configurations')
    .set({
      ...configurationColumns(body, ctx.dialect),
      version: updated.version,
      version_number: versionNumber,
      bank_api_credentials: sealed,
      updated_at: now,
      updated_by: ctx.actor.name,
      row_version: updated.row_version,
    })
    .where('id', '=', row.id)
    .execute();
  // The published alert settings route this configuration's risky payments (issue 15): its rule follows them.
  await syncConfigurationAlertRuleWithin(ctx, {
    id: row.id,
    name: body.configurationName,
    tenantId: body.tenantId,
    alertingConfig: body.alertingConfig,
    deleted: false,
  });
  return updated as ConfigurationRow;
}

export function configurationCommands(box: SecretBox) {
  const create = defineCommand({
    name: 'configuration.create',
    input: ConfigurationInput.safeExtend({ asDraft: z.boolean().default(false) }),
    permission: 'configuration:manage',
    async apply(ctx, input) {
      assertTenantInput(ctx, input.tenantId);
      checkTemplate(input);
      const { sealed, credentialsSet } = mergeCredentials(box, input.bankFraudApiConfig, null);
      const body = storedBodyOf(input, credentialsSet);
      const id = randomUUID();
      const now = ctx.now.toISOString();
      // A configuration created as a draft has no published version yet (0.0) and is not applied.
      const published = !input.asDraft;
      const rowBody = published ? body : { ...body, isEnabled: false };
      const row = {
        id,
        ...configurationColumns(rowBody, ctx.dialect),
        version: versionLabel(published ? 1 : 0),
        version_number: published ? 1 : 0,
        bank_api_credentials: published ? sealed : null,
        created_at: now,
        updated_at: now,
        created_by: ctx.actor.name,
        updated_by: ctx.actor.name,
        row_version: 1,
        deleted_at: null,
      };
      await ctx.trx.insertInto('fraud_risk_configurations').values(row).execute();
      // A draft's alert settings take effect when it is published (publishOnRow).
      if (published)
        await syncConfigurationAlertRuleWithin(ctx, {
          id,
          name: body.configurationName,
          tenantId: body.tenantId,
          alertingConfig: body.alertingConfig,
          deleted: false,
        });
      const version = await insertVersion(ctx, {
        configurationId: id,
        versionNumber: 1,
        status: published ? 'PUBLISHED' : 'DRAFT',
        body,
        sealed,
        changeNote: input.changeNote ?? 'Created',
      });
      const view = toConfiguration(row as unknown as ConfigurationRow, published ? null : version);
      ctx.audit({ entityType: 'configuration', entityId: id, before: null, after: auditView(body, { version: published ? '1.0' : 'draft 1' }) });
      ctx.change({ entityType: 'configuration', entityId: id, operation: 'upsert', version: 1, data: { ...view } });
      await announceChange(ctx, { configurationId: id, action: published ? 'created' : 'draft-saved', versionNumber: 1 });
      return view;
    },
  });

  /** PUT: every edit is a new published version; the previous one stays readable as SUPERSEDED. */
  const update = defineCommand({
    name: 'configuration.update',
    input: ConfigurationInput.safeExtend({ ...Id, expectedRowVersion: z.number().int().positive(), changeNote: PublishChangeNote }),
    permission: 'configuration:manage',
    async apply(ctx, input) {
      checkTemplate(input);
      const row = await loadConfiguration(ctx, input.id);
      assertTenantInput(ctx, input.tenantId);
      expectRowVersion(row, input.expectedRowVersion);
      const { sealed, credentialsSet } = mergeCredentials(box, input.bankFraudApiConfig, row.bank_api_credentials);
      const body = storedBodyOf(input, credentialsSet);
      const versionNumber = await nextVersionNumber(ctx, row.id);
      await supersedePublished(ctx, row.id);
      await insertVersion(ctx, { configurationId: row.id, versionNumber, status: 'PUBLISHED', body, sealed, changeNote: input.changeNote });
      const updated = await publishOnRow(ctx, row, body, sealed, versionNumber);
      const draft = await openDraft(ctx, row.id);
      const view = toConfiguration(updated, draft);
      ctx.audit({
        entityType: 'configuration',
        entityId: row.id,
        before: auditView(bodyFromRow(row), { version: row.version }),
        after: auditView(body, { version: updated.version, changeNote: input.changeNote }),
      });
      ctx.change({ entityType: 'configuration', entityId: row.id, operation: 'upsert', version: updated.row_version, data: { ...view } });
      await announceChange(ctx, { configurationId: row.id, action: 'updated', versionNumber });
      return view;
    },
  });

  const remove = defineCommand({
    name: 'configuration.delete',
    input: z.object({ ...Id, expectedRowVersion: z.coerce.number().int().positive() }),
    permission: 'configuration:manage',
    async apply(ctx, input) {
      const row = await loadConfiguration(ctx, input.id);
      expectRowVersion(row, input.expectedRowVersion);
      const now = ctx.now.toISOString();
      // A tombstone: assessments keep pointing at it and its versions stay readable.
      await ctx.trx
        .updateTable('fraud_risk_configurations')
        .set({ deleted_at: now, is_enabled: dbBool(ctx.dialect, false), updated_at: now, updated_by: ctx.actor.name, row_version: row.row_version + 1 })
        .where('id', '=', row.id)
        .execute();
      await ctx.trx
        .updateTable('fraud_risk_configuration_versions')
        .set({ status: 'DISCARDED' })
        .where('configuration_id', '=', row.id)
        .where('status', '=', 'DRAFT')
        .execute();
      await syncConfigurationAlertRuleWithin(ctx, { id: row.id, name: row.configuration_name, tenantId: row.tenant_id, alertingConfig: null, deleted: true });
      ctx.audit({ entityType: 'configuration', entityId: row.id, before: auditView(bodyFromRow(row), { version: row.version }), after: null });
      ctx.change({ entityType: 'configuration', entityId: row.id, operation: 'delete', version: row.row_version + 1, data: null });
      await announceChange(ctx, { configurationId: row.id, action: 'deleted', versionNumber: null });
      return { deleted: true };
    },
  });

  /** Creates or replaces the one open draft; drafts are never applied to payments. */
  const saveDraft = defineCommand({
    name: 'configuration.draft.save',
    input: ConfigurationInput.safeExtend(Id),
    permission: 'configuration:manage',
    async apply(ctx, input) {
      checkTemplate(input);
      const row = await loadConfiguration(ctx, input.id);
      assertTenantInput(ctx, input.tenantId);
      const existing = await openDraft(ctx, row.id);
      const { sealed, credentialsSet } = mergeCredentials(box, input.bankFraudApiConfig, existing?.bank_api_credentials ?? row.bank_api_credentials);
      const body = storedBodyOf(input, credentialsSet);
      let draft: ConfigurationVersionRow;
      if (existing) {
        draft = {
          ...existing,
          body: JSON.stringify(body),
          bank_api_credentials: sealed,
          change_note: input.changeNote ?? existing.change_note,
          created_at: ctx.now.toISOString(),
          created_by: ctx.actor.name,
          backtest_id: null,
          row_version: existing.row_version + 1,
        };
        await ctx.trx
          .updateTable('fraud_risk_configuration_versions')
          .set({
            body: draft.body as string,
            bank_api_credentials: sealed,
            change_note: draft.change_note,
            created_at: ctx.now.toISOString(),
            created_by: ctx.actor.name,
            backtest_id: null,
            row_version: draft.row_version,
          })
          .where('id', '=', existing.id)
          .execute();
        ctx.change({
          entityType: 'configuration_version',
          entityId: existing.id,
          operation: 'upsert',
          version: draft.row_version,
          data: { ...toConfigurationVersion(draft) },
        });
      } else {
        draft = await insertVersion(ctx, {
          configurationId: row.id,
          versionNumber: await nextVersionNumber(ctx, row.id),
          status: 'DRAFT',
          body,
          sealed,
          changeNote: input.changeNote ?? null,
        });
      }
      ctx.audit({
        entityType: 'configuration',
        entityId: row.id,
        before: existing ? auditView(JSON.parse(String(existing.body)) as StoredBody, { draft: existing.version_number }) : null,
        after: auditView(body, { draft: draft.version_number }),
      });
      await announceChange(ctx, { configurationId: row.id, action: 'draft-saved', versionNumber: draft.version_number });
      return toConfigurationVersion(draft);
    },
  });

  const discardDraft = defineCommand({
    name: 'configuration.draft.discard',
    input: IdInput,
    permission: 'configuration:manage',
    async apply(ctx, input) {
      const row = await loadConfiguration(ctx, input.id);
      const draft = await openDraft(ctx, row.id);
      if (!draft) throw notFound('draft');
      await ctx.trx
        .updateTable('fraud_risk_configuration_versions')
        .set({ status: 'DISCARDED', row_version: draft.row_version + 1 })
        .where('id', '=', draft.id)
        .execute();
      ctx.audit({
        entityType: 'configuration',
        entityId: row.id,
        before: { draft: draft.version_number, status: 'DRAFT' },
        after: { draft: draft.version_number, status: 'DISCARDED' },
      });
      ctx.change({
        entityType: 'configuration_version',
        entityId: draft.id,
        operation: 'upsert',
        version: draft.row_version + 1,
        data: { ...toConfigurationVersion({ ...draft, status: 'DISCARDED' }) },
      });
      await announceChange(ctx, { configurationId: row.id, action: 'draft-discarded', versionNumber: draft.version_number });
      return { discarded: draft.version_number };
    },
  });

  const publishDraft = defineCommand({
    name: 'configuration.draft.publish',
    input: PublishDraftRequest.safeExtend(Id),
    permission: 'configuration:manage',
    async apply(ctx, input) {
      const row = await loadConfiguration(ctx, input.id);
      expectRowVersion(row, input.expectedRowVersion);
      const draft = await openDraft(ctx, row.id);
      if (!draft) throw notFound('draft');
      const body = JSON.parse(typeof draft.body === 'string' ? draft.body : JSON.stringify(draft.body)) as StoredBody;
      await supersedePublished(ctx, row.id);
      const now = ctx.now.toISOString();
      await ctx.trx
        .updateTable('fraud_risk_configuration_versions')
        .set({
          status: 'PUBLISHED',
          published_at: now,
          published_by: ctx.actor.name,
          backtest_id: input.backtestId ?? draft.backtest_id,
          // Required (PublishChangeNote): the reason a version went live is never left to a draft's old note.
          change_note: input.changeNote,
          row_version: draft.row_version + 1,
        })
        .where('id', '=', draft.id)
        .execute();
      const updated = await publishOnRow(ctx, row, body, draft.bank_api_credentials, draft.version_number);
      const view = toConfiguration(updated, null);
      ctx.audit({
        entityType: 'configuration',
        entityId: row.id,
        before: auditView(bodyFromRow(row), { version: row.version }),
        after: auditView(body, { version: updated.version, backtestId: input.backtestId ?? null, changeNote: input.changeNote }),
      });
      ctx.change({ entityType: 'configuration', entityId: row.id, operation: 'upsert', version: updated.row_version, data: { ...view } });
      await announceChange(ctx, { configurationId: row.id, action: 'published', versionNumber: draft.version_number });
      return view;
    },
  });

  return { create, update, remove, saveDraft, discardDraft, publishDraft };
}
export type ConfigurationCommands = ReturnType<typeof configurationCommands>;
