import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineCommand } from '../commands/bus.ts';
import { conflict, validationFailed } from '../errors.ts';
import { toIso } from '../db/database.ts';
import type { CaseAttachmentRow, CaseCommentRow } from '../db/schema.ts';
import {
  CaseAttachmentUpload,
  CaseCommentRequest,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_PER_CASE,
  type AttachmentType,
  type CaseAttachment,
  type CaseComment,
} from '../../../shared/src/cases.ts';
import { loadCaseForActivity } from './commands.ts';

export function toCaseComment(row: CaseCommentRow): CaseComment {
  return { id: row.id, caseId: row.case_id, authorId: row.author_id, authorName: row.author_name, body: row.body, createdAt: toIso(row.created_at) };
}

export function toCaseAttachment(row: Omit<CaseAttachmentRow, 'version'>): CaseAttachment {
  return {
    id: row.id,
    caseId: row.case_id,
    fileName: row.file_name,
    contentType: row.content_type as AttachmentType,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    description: row.description,
    uploadedById: row.uploaded_by_id,
    uploadedByName: row.uploaded_by_name,
    uploadedAt: toIso(row.uploaded_at),
  };
}

/** Comments are append-only: there is no command that edits or deletes one. */
export const addCaseComment = defineCommand({
  name: 'case.comment',
  input: CaseCommentRequest.extend({ caseId: z.uuid() }),
  permission: 'case:work',
  async apply(ctx, input) {
    const target = await loadCaseForActivity(ctx, input.caseId, 'comment');
    const row = {
      id: ctx.newId(),
      case_id: target.id,
      author_id: ctx.actor.id,
      author_name: ctx.actor.name,
      body: input.body,
      created_at: ctx.now.toISOString(),
      version: 1,
    };
    await ctx.trx.insertInto('case_comments').values(row).execute();
    const comment = toCaseComment(row);
    ctx.audit({ entityType: 'case', entityId: target.id, tenantId: target.tenant_id, before: null, after: { comment: input.body, commentId: row.id } });
    ctx.change({ entityType: 'case-comment', entityId: row.id, operation: 'upsert', version: 1, data: comment });
    ctx.announce({
      event: 'case.activity',
      audience: 'case:read',
      tenantId: target.tenant_id,
      payload: { caseId: target.id, reference: target.reference, kind: 'comment', by: ctx.actor.name, at: comment.createdAt },
    });
    return comment;
  },
});

const startsWith = (buffer: Buffer, bytes: readonly number[]) => bytes.every((b, i) => buffer[i] === b);

/** The content must be what its type says (magic bytes); text must be UTF-8 without NUL bytes. */
export function contentMatchesType(content: Buffer, type: AttachmentType): boolean {
  switch (type) {
    case 'application/pdf':
      return startsWith(content, [0x25, 0x50, 0x44, 0x46, 0x2d]);
    case 'image/png':
      return startsWith(content, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'image/jpeg':
      return startsWith(content, [0xff, 0xd8, 0xff]);
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
    case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
      return startsWith(content, [0x50, 0x4b, 0x03, 0x04]);
    case 'text/plain':
    case 'text/csv':
    case 'message/rfc822': {
      if (content.includes(0)) return false;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(content);
        return true;
      } catch {
        return false;
      }
    }
  }
}

/**
 * Evidence is stored once per content (keyed by its SHA-256, in the database so that every hub
 * over one PostgreSQL serves it), and never on a path built from the user's file name.
 */
export const attachToCase = defineCommand({
  name: 'case.attach',
  input: CaseAttachmentUpload.safeExtend({ caseId: z.uuid() }),
  permission: 'case:work',
  async apply(ctx, input) {
    const target = await loadCaseForActivity(ctx, input.caseId, 'attach');
    const content = Buffer.from(input.contentBase64, 'base64');
    if (content.length === 0) throw validationFailed([{ path: 'body.contentBase64', message: 'the file is empty' }]);
    if (content.length > MAX_ATTACHMENT_BYTES)
      throw validationFailed([
        { path: 'body.contentBase64', message: `the file is ${(content.length / 1048576).toFixed(1)} MB; the limit is ${MAX_ATTACHMENT_BYTES / 1048576} MB` },
      ]);
    if (!contentMatchesType(content, input.contentType))
      throw validationFailed([{ path: 'body.contentType', message: `the file's content is not ${input.contentType}` }]);
    const count = await ctx.trx
      .selectFrom('case_attachments')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('case_id', '=', target.id)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_ATTACHMENTS_PER_CASE)
      throw conflict(`case ${target.reference} already has ${MAX_ATTACHMENTS_PER_CASE} attachments, the most a case may have`);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const now = ctx.now.toISOString();
    const stored = await ctx.trx.selectFrom('attachment_blobs').select('sha256').where('sha256', '=', sha256).executeTakeFirst();
    if (!stored) await ctx.trx.insertInto('attachment_blobs').values({ sha256, size_bytes: content.length, content, created_at: now }).execute();
    const row = {
      id: ctx.newId(),
      case_id: target.id,
      file_name: input.fileName,
      content_type: input.contentType,
      size_bytes: content.length,
      sha256,
      description: input.description ?? null,
      uploaded_by_id: ctx.actor.id,
      uploaded_by_name: ctx.actor.name,
      uploaded_at: now,
      version: 1,
    };
    await ctx.trx.insertInto('case_attachments').values(row).execute();
    const attachment = toCaseAttachment(row);
    ctx.audit({
      entityType: 'case',
      entityId: target.id,
      tenantId: target.tenant_id,
      before: null,
      after: { attachment: { id: row.id, fileName: row.file_name, contentType: row.content_type, sizeBytes: row.size_bytes, sha256 } },
    });
    ctx.change({ entityType: 'case-attachment', entityId: row.id, operation: 'upsert', version: 1, data: attachment });
    ctx.announce({
      event: 'case.activity',
      audience: 'case:read',
      tenantId: target.tenant_id,
      payload: { caseId: target.id, reference: target.reference, kind: 'attachment', by: ctx.actor.name, at: now },
    });
    return attachment;
  },
});
