import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { AuditSubject } from '../../../shared/src/audit.ts';

type Db = Kysely<Database>;
type Tenants = readonly string[] | null;

/**
 * The human reference of each audited record (issue 11 item 5), resolved in one query per kind
 * and within the reader's tenants: a case's reference, a payment's or assessment's transaction
 * reference (with the case it opened), a comment's or attachment's case.
 */
export async function resolveSubjects(
  db: Db,
  rows: readonly { entity_type: string; entity_id: string }[],
  tenants: Tenants,
): Promise<Map<string, AuditSubject>> {
  const ids = (type: string) => [...new Set(rows.filter((r) => r.entity_type === type).map((r) => r.entity_id))];
  const key = (type: string, id: string) => `${type}:${id}`;
  const out = new Map<string, AuditSubject>();
  if (tenants !== null && tenants.length === 0) return out;

  const caseIds = ids('case');
  if (caseIds.length) {
    const cases = await db
      .selectFrom('cases')
      .select(['id', 'reference'])
      .where('id', 'in', caseIds)
      .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
      .execute();
    for (const c of cases) out.set(key('case', c.id), { reference: c.reference, kind: 'case', caseId: c.id, assessmentId: null });
  }
  const assessmentIds = ids('assessment');
  if (assessmentIds.length) {
    const rowsFound = await db
      .selectFrom('fraud_risk_assessments as a')
      .leftJoin('cases as c', 'c.id', 'a.case_id')
      .select(['a.id', 'a.assessment_id', 'a.transaction_reference', 'a.case_id', 'c.reference as case_reference'])
      .where('a.id', 'in', assessmentIds)
      .$if(tenants !== null, (q) => q.where('a.tenant_id', 'in', tenants!))
      .execute();
    for (const a of rowsFound) {
      out.set(key('assessment', a.id), {
        reference: a.transaction_reference,
        kind: a.case_reference ? `payment · ${a.case_reference}` : 'payment',
        caseId: a.case_id,
        assessmentId: a.assessment_id,
      });
    }
  }
  const paymentIds = ids('payment');
  if (paymentIds.length) {
    const payments = await db
      .selectFrom('payments as p')
      .leftJoin('fraud_risk_assessments as a', 'a.payment_id', 'p.id')
      .select(['p.id', 'p.transaction_reference', 'a.assessment_id', 'a.case_id'])
      .where('p.id', 'in', paymentIds)
      .$if(tenants !== null, (q) => q.where('p.tenant_id', 'in', tenants!))
      .execute();
    for (const p of payments) {
      out.set(key('payment', p.id), { reference: p.transaction_reference, kind: 'payment', caseId: p.case_id ?? null, assessmentId: p.assessment_id ?? null });
    }
  }
  const commentIds = ids('case-comment');
  if (commentIds.length) {
    const found = await db
      .selectFrom('case_comments as e')
      .innerJoin('cases as c', 'c.id', 'e.case_id')
      .select(['e.id', 'c.id as case_id', 'c.reference'])
      .where('e.id', 'in', commentIds)
      .$if(tenants !== null, (q) => q.where('c.tenant_id', 'in', tenants!))
      .execute();
    for (const e of found) out.set(key('case-comment', e.id), { reference: e.reference, kind: 'comment on case', caseId: e.case_id, assessmentId: null });
  }
  const attachmentIds = ids('case-attachment');
  if (attachmentIds.length) {
    const found = await db
      .selectFrom('case_attachments as e')
      .innerJoin('cases as c', 'c.id', 'e.case_id')
      .select(['e.id', 'c.id as case_id', 'c.reference'])
      .where('e.id', 'in', attachmentIds)
      .$if(tenants !== null, (q) => q.where('c.tenant_id', 'in', tenants!))
      .execute();
    for (const e of found) out.set(key('case-attachment', e.id), { reference: e.reference, kind: 'attachment on case', caseId: e.case_id, assessmentId: null });
  }
  return out;
}

/**
 * The entity ids a typed entity filter stands for: itself, and — when it is a case reference or a
 * payment's transaction reference of the reader's tenants — the ids of that case (its comments and
 * attachments) or that payment (its assessments).
 */
export async function entityIdsFor(db: Db, text: string, tenants: Tenants): Promise<string[]> {
  const found = new Set<string>([text]);
  if (tenants !== null && tenants.length === 0) return [...found];
  const caseRow = await db
    .selectFrom('cases')
    .select('id')
    .where('reference', '=', text.toUpperCase())
    .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
    .executeTakeFirst();
  if (caseRow) {
    found.add(caseRow.id);
    const [comments, attachments] = await Promise.all([
      db.selectFrom('case_comments').select('id').where('case_id', '=', caseRow.id).execute(),
      db.selectFrom('case_attachments').select('id').where('case_id', '=', caseRow.id).execute(),
    ]);
    for (const r of [...comments, ...attachments]) found.add(r.id);
  }
  const payments = await db
    .selectFrom('payments as p')
    .leftJoin('fraud_risk_assessments as a', 'a.payment_id', 'p.id')
    .select(['p.id', 'a.id as assessment_row_id'])
    .where('p.transaction_reference', '=', text)
    .$if(tenants !== null, (q) => q.where('p.tenant_id', 'in', tenants!))
    .execute();
  for (const p of payments) {
    found.add(p.id);
    if (p.assessment_row_id) found.add(p.assessment_row_id);
  }
  // A public assessment id (what the API answers) also finds its row.
  const byPublicId = await db
    .selectFrom('fraud_risk_assessments')
    .select('id')
    .where('assessment_id', '=', text)
    .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
    .execute();
  for (const a of byPublicId) found.add(a.id);
  return [...found];
}
