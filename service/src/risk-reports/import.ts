import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { tenantAllowed } from '../../../shared/src/tenants.ts';
import {
  IMPORT_PREVIEW_TTL_HOURS,
  ImportPreviewInput,
  RegisterKind,
  SheetFormat,
  type ImportCommitResult,
  type ImportPreview,
} from '../../../shared/src/risk-reports.ts';
import { type Actor, type CommandBus, type CommandContext, type CommandDefinition, defineCommand } from '../commands/bus.ts';
import { createRisk } from '../risks/commands.ts';
import { createControl } from '../risks/controls.ts';
import { createKri } from '../kris/commands.ts';
import { fromJson, toIso } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { conflict, forbidden, notFound, validationFailed } from '../errors.ts';
import { tenantIdsOf } from '../auth/authenticator.ts';
import { buildPreview, type ImportDirectory, type PreviewResult } from './import-preview.ts';
import { parseCsv, readXlsx, SheetReadError, type SheetTable } from './sheets.ts';

/**
 * CSV/XLSX import of risks, controls and KRIs (issue 13 "The register"). A preview stores the
 * upload (content-addressed, in attachment_blobs) with a small manifest naming kind, format, tenant
 * and time; the manifest's SHA-256 is the previewId. A commit re-reads the stored file, judges it
 * again against the register as it is then, and runs one create command per valid row in ONE bus
 * transaction (all or nothing, each row audited by its own command: ARCHITECTURE.md rule 1).
 */

const ENTITY = 'risk_import';
/** The create command of each kind: the same commands the API's POST runs. */
const CREATE_COMMAND: Record<RegisterKind, CommandDefinition<z.ZodType, { id: string; reference: string }>> = {
  risks: createRisk,
  controls: createControl,
  kris: createKri,
};

const Manifest = z.object({
  v: z.literal(1),
  kind: RegisterKind,
  format: SheetFormat,
  tenantId: z.string(),
  contentSha256: z.string(),
  fileName: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
});
type Manifest = z.infer<typeof Manifest>;

type Reader = Kysely<Database> | Transaction<Database>;

async function readTable(format: SheetFormat, content: Buffer): Promise<SheetTable> {
  try {
    return format === 'csv' ? parseCsv(content) : await readXlsx(content);
  } catch (error) {
    if (error instanceof SheetReadError) throw validationFailed([{ path: 'body.contentBase64', message: error.message }]);
    throw error;
  }
}

/** Users, the tenant's records of that kind and its risks: what the preview judges rows against. */
export async function loadDirectory(db: Reader, kind: RegisterKind, tenantId: string): Promise<ImportDirectory> {
  const users = (await db.selectFrom('users').select(['id', 'username', 'display_name', 'tenant_ids', 'active']).execute()).map((u) => ({
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    tenantIds: tenantIdsOf(u.tenant_ids),
    active: u.active === true || u.active === 1,
  }));
  const risks = (
    await db.selectFrom('risks').select(['id', 'reference', 'title']).where('tenant_id', '=', tenantId).where('deleted_at', 'is', null).execute()
  ).map((r) => ({ id: r.id, reference: r.reference, title: r.title }));
  const existing =
    kind === 'risks'
      ? risks.map((r) => ({ id: r.id, reference: r.reference, name: r.title }))
      : await db
          .selectFrom(kind === 'controls' ? 'controls' : 'kris')
          .select(['id', 'reference', 'name'])
          .where('tenant_id', '=', tenantId)
          .where('deleted_at', 'is', null)
          .execute();
  return { users, existing, risks };
}

function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

async function storeBlob(ctx: CommandContext, content: Buffer): Promise<string> {
  const digest = sha256(content);
  const stored = await ctx.trx.selectFrom('attachment_blobs').select('sha256').where('sha256', '=', digest).executeTakeFirst();
  if (!stored)
    await ctx.trx.insertInto('attachment_blobs').values({ sha256: digest, size_bytes: content.length, content, created_at: ctx.now.toISOString() }).execute();
  return digest;
}

function expiresAt(manifest: Manifest): string {
  return new Date(Date.parse(manifest.createdAt) + IMPORT_PREVIEW_TTL_HOURS * 3_600_000).toISOString();
}

function toPreview(previewId: string, manifest: Manifest, result: PreviewResult): ImportPreview {
  const count = (status: string) => result.rows.filter((r) => r.status === status).length;
  const invalid = count('INVALID');
  return {
    previewId,
    tenantId: manifest.tenantId,
    kind: manifest.kind,
    format: manifest.format,
    fileName: manifest.fileName,
    columns: result.columns,
    rows: result.rows,
    errors: result.errors,
    counts: { total: result.rows.length, valid: count('VALID'), invalid, duplicate: count('DUPLICATE') },
    canCommit: result.errors.length === 0 && invalid === 0 && result.planned.length > 0,
    expiresAt: expiresAt(manifest),
  };
}

/** Stores an upload and answers what importing it would do; nothing in the register changes. */
export const previewImport = defineCommand({
  name: 'risk-import.preview',
  input: ImportPreviewInput,
  permission: 'risk:configure',
  async apply(ctx, input): Promise<ImportPreview> {
    if (!tenantAllowed(ctx.actor.tenants, input.tenantId)) throw forbidden(`you do not act for tenant ${input.tenantId}`);
    const content = Buffer.from(input.contentBase64, 'base64');
    const table = await readTable(input.format, content);
    const result = buildPreview(input.kind, table, input.tenantId, await loadDirectory(ctx.trx, input.kind, input.tenantId));
    const manifest: Manifest = {
      v: 1,
      kind: input.kind,
      format: input.format,
      tenantId: input.tenantId,
      contentSha256: await storeBlob(ctx, content),
      fileName: input.fileName ?? null,
      createdAt: ctx.now.toISOString(),
      createdBy: ctx.actor.id,
    };
    const previewId = await storeBlob(ctx, Buffer.from(JSON.stringify(manifest)));
    const preview = toPreview(previewId, manifest, result);
    ctx.audit({
      entityType: ENTITY,
      entityId: previewId,
      before: null,
      after: { step: 'preview', kind: input.kind, format: input.format, fileName: manifest.fileName, counts: preview.counts },
      tenantId: input.tenantId,
    });
    return preview;
  },
});

/** Records that a preview was committed, in the transaction of the rows it creates. */
const recordImportCommit = defineCommand({
  name: 'risk-import.commit',
  input: z.object({ previewId: z.string(), tenantId: z.string(), kind: RegisterKind, rows: z.number().int(), skippedDuplicates: z.number().int() }),
  permission: 'risk:configure',
  async apply(ctx, input) {
    if (!tenantAllowed(ctx.actor.tenants, input.tenantId)) throw forbidden(`you do not act for tenant ${input.tenantId}`);
    ctx.audit({
      entityType: ENTITY,
      entityId: input.previewId,
      before: null,
      after: { step: 'commit', kind: input.kind, rows: input.rows, skippedDuplicates: input.skippedDuplicates },
      tenantId: input.tenantId,
    });
  },
});

async function loadManifest(db: Reader, previewId: string, tenantId: string): Promise<{ manifest: Manifest; content: Buffer }> {
  const blob = await db.selectFrom('attachment_blobs').select('content').where('sha256', '=', previewId).executeTakeFirst();
  const parsed = blob ? Manifest.safeParse(safeJson(Buffer.from(blob.content).toString('utf8'))) : null;
  // Another tenant's preview does not exist for this caller (ARCHITECTURE.md "Tenants").
  if (!parsed?.success || parsed.data.tenantId !== tenantId) throw notFound('import preview');
  const stored = await db.selectFrom('attachment_blobs').select('content').where('sha256', '=', parsed.data.contentSha256).executeTakeFirst();
  if (!stored) throw notFound('import preview');
  return { manifest: parsed.data, content: Buffer.from(stored.content) };
}

function safeJson(text: string): unknown {
  try {
    return fromJson<unknown>(text);
  } catch {
    return null;
  }
}

/**
 * Commits a preview: the file is judged again (the register may have changed since), and only when
 * no row is invalid are the valid rows created, all in one transaction; duplicates are left alone.
 */
export async function commitImport(
  deps: { db: Kysely<Database>; bus: CommandBus },
  previewId: string,
  tenantId: string,
  actor: Actor,
  now: Date,
  requestId?: string,
): Promise<ImportCommitResult> {
  const { manifest, content } = await loadManifest(deps.db, previewId, tenantId);
  if (now.getTime() > Date.parse(expiresAt(manifest))) {
    throw conflict(`this preview expired at ${toIso(expiresAt(manifest))}: preview the file again`);
  }
  const table = await readTable(manifest.format, content);
  const result = buildPreview(manifest.kind, table, tenantId, await loadDirectory(deps.db, manifest.kind, tenantId));
  if (result.errors.length > 0) {
    // The file is named by the previewId in the path; each problem names its row and column in it.
    throw validationFailed(
      result.errors.slice(0, 200).map((e) => ({
        path: `params.previewId.rows[${e.row}].${e.column || 'file'}`,
        message: `row ${e.row}, ${e.column || 'file'}: ${e.message}`,
      })),
      'the file has invalid rows: nothing was imported',
    );
  }
  const create = CREATE_COMMAND[manifest.kind];
  const skippedDuplicates = result.rows.filter((r) => r.status === 'DUPLICATE').length;
  const outcome = await deps.bus.executeMany(
    [
      { command: recordImportCommit, input: { previewId, tenantId, kind: manifest.kind, rows: result.planned.length, skippedDuplicates } },
      ...result.planned.map((p) => ({ command: create, input: p.input })),
    ],
    actor,
    requestId ? { requestId } : {},
  );
  const created = outcome.slice(1).map((record, i) => {
    const { id, reference } = record as { id: string; reference: string };
    return { row: result.planned[i]!.row, id, reference };
  });
  return { previewId, kind: manifest.kind, tenantId, created, skippedDuplicates };
}
