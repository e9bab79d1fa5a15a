import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { fromJsonOrNull, toIso, toNumber } from '../../db/database.ts';
import type { AssessmentDetails, ScoringFactsSnapshot } from '../../../../shared/src/assessments.ts';
import { AlertingConfig } from '../../../../shared/src/decision-engine.ts';
import { decodeRiskFactors } from '../../assessments/risk-factor-codec.ts';
import { HOUR_MS, MINUTE_MS } from './evidence.ts';
import type { ContactChangeFact, DetectorPayment, PaymentFacts, ThresholdMap, TriggerExtras } from './types.ts';

/**
 * The facts loader (ARCHITECTURE.md rule 3): what the detectors need about a payment, read from
 * the stored payments and assessments **as of the payment's time** (nothing that occurred after
 * it), within the windows its tenant's thresholds ask for. The live stream fills a small
 * PaymentIndex with indexed queries per payment; a backtest fills one with the tenant's whole
 * period. Both build PaymentFacts the same way (PaymentIndex.factsFor).
 */

/** How far back each list reaches, from the thresholds in force (0 = not needed). */
export interface FactWindows {
  customerMs: number;
  deviceMs: number;
  intoCreditorMs: number;
  outOfDebtorMs: number;
  intoDebtorMs: number;
  highRiskChannelMs: number;
  highRiskTenantMs: number;
  contactMs: number;
}

export function windowsFor(...maps: ThresholdMap[]): FactWindows {
  const w: FactWindows = {
    customerMs: 0,
    deviceMs: 0,
    intoCreditorMs: 0,
    outOfDebtorMs: 0,
    intoDebtorMs: 0,
    highRiskChannelMs: 0,
    highRiskTenantMs: 0,
    contactMs: 0,
  };
  const widen = (key: keyof FactWindows, ms: number) => {
    w[key] = Math.max(w[key], ms);
  };
  for (const t of maps) {
    if (t.VELOCITY) widen('customerMs', t.VELOCITY.windowMinutes * MINUTE_MS);
    if (t.GEO_IMPOSSIBLE_TRAVEL) widen('customerMs', t.GEO_IMPOSSIBLE_TRAVEL.lookbackHours * HOUR_MS);
    if (t.DEVICE_CHURN) widen('customerMs', t.DEVICE_CHURN.windowHours * HOUR_MS);
    if (t.ACCOUNT_TAKEOVER) {
      widen('customerMs', t.ACCOUNT_TAKEOVER.windowHours * HOUR_MS);
      widen('contactMs', t.ACCOUNT_TAKEOVER.windowHours * HOUR_MS);
    }
    if (t.STRUCTURING) widen('customerMs', t.STRUCTURING.windowHours * HOUR_MS);
    if (t.DEVICE_SHARED) widen('deviceMs', t.DEVICE_SHARED.windowHours * HOUR_MS);
    if (t.FAN_IN) widen('intoCreditorMs', t.FAN_IN.windowHours * HOUR_MS);
    if (t.FAN_OUT) widen('outOfDebtorMs', t.FAN_OUT.windowHours * HOUR_MS);
    if (t.RAPID_IN_OUT) {
      // Outflows are counted from the first inflow, which is inside the window.
      widen('intoDebtorMs', t.RAPID_IN_OUT.windowMinutes * MINUTE_MS);
      widen('outOfDebtorMs', t.RAPID_IN_OUT.windowMinutes * MINUTE_MS);
    }
    const burst = t.HIGH_RISK_BURST;
    if (burst) {
      const ms = burst.windowMinutes * MINUTE_MS;
      if (burst.groupBy.includes('CUSTOMER')) widen('customerMs', ms);
      if (burst.groupBy.includes('ACCOUNT')) widen('intoCreditorMs', ms);
      if (burst.groupBy.includes('CHANNEL')) widen('highRiskChannelMs', ms);
      if (burst.groupBy.includes('TENANT')) widen('highRiskTenantMs', ms);
    }
  }
  return w;
}

export function widestWindowMs(w: FactWindows): number {
  return Math.max(...Object.values(w));
}

const sortByTime = (list: DetectorPayment[]) => list.sort((a, b) => a.atMs - b.atMs || a.assessmentId.localeCompare(b.assessmentId));

/** The part of a time-ordered list in [fromMs, toMs] (binary search: backtests hold a period's payments). */
function slice(list: readonly DetectorPayment[] | undefined, fromMs: number, toMs: number): DetectorPayment[] {
  if (!list || list.length === 0) return [];
  const lowerBound = (ms: number, strict: boolean) => {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (strict ? list[mid]!.atMs <= ms : list[mid]!.atMs < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return list.slice(lowerBound(fromMs, false), lowerBound(toMs, true));
}

const HIGH_RISK = new Set(['HIGH', 'CRITICAL']);

/** Payments and contact changes of one tenant, looked up by customer, device, account, channel. */
export class PaymentIndex {
  private readonly byId = new Map<string, DetectorPayment>();
  private readonly lists = new Map<string, DetectorPayment[]>();
  private readonly contacts = new Map<string, ContactChangeFact[]>();
  private sorted = true;

  get size(): number {
    return this.byId.size;
  }

  payments(): DetectorPayment[] {
    return sortByTime([...this.byId.values()]);
  }

  add(payments: Iterable<DetectorPayment>): void {
    for (const p of payments) {
      if (this.byId.has(p.assessmentId)) continue;
      this.byId.set(p.assessmentId, p);
      this.push(`c|${p.customerRef}`, p);
      if (p.deviceId) this.push(`d|${p.deviceId}`, p);
      if (p.creditorAccount) this.push(`in|${p.creditorAccount}`, p);
      if (p.debtorAccount) this.push(`out|${p.debtorAccount}`, p);
      if (p.riskLevel && HIGH_RISK.has(p.riskLevel)) {
        this.push(`hc|${p.channel}`, p);
        this.push('ht', p);
      }
    }
    this.sorted = false;
  }

  addContactChanges(changes: Iterable<ContactChangeFact>): void {
    for (const c of changes) {
      const list = this.contacts.get(c.customerRef) ?? [];
      list.push(c);
      this.contacts.set(c.customerRef, list);
    }
  }

  private push(key: string, p: DetectorPayment): void {
    const list = this.lists.get(key);
    if (list) list.push(p);
    else this.lists.set(key, [p]);
  }

  private ensureSorted(): void {
    if (this.sorted) return;
    for (const list of this.lists.values()) sortByTime(list);
    for (const list of this.contacts.values()) list.sort((a, b) => a.atMs - b.atMs);
    this.sorted = true;
  }

  /** The trigger's facts: each list cut to its window ending at the trigger's time (as of the payment). */
  factsFor(trigger: DetectorPayment, extras: TriggerExtras, w: FactWindows): PaymentFacts {
    this.ensureSorted();
    const t = trigger.atMs;
    const cut = (key: string | null, ms: number) => (key && ms > 0 ? slice(this.lists.get(key), t - ms, t) : []);
    return {
      trigger,
      extras,
      customer: cut(`c|${trigger.customerRef}`, w.customerMs),
      device: cut(trigger.deviceId ? `d|${trigger.deviceId}` : null, w.deviceMs),
      intoCreditor: cut(trigger.creditorAccount ? `in|${trigger.creditorAccount}` : null, w.intoCreditorMs),
      outOfDebtor: cut(trigger.debtorAccount ? `out|${trigger.debtorAccount}` : null, w.outOfDebtorMs),
      intoDebtor: cut(trigger.debtorAccount ? `in|${trigger.debtorAccount}` : null, w.intoDebtorMs),
      highRiskChannel: cut(`hc|${trigger.channel}`, w.highRiskChannelMs),
      highRiskTenant: cut('ht', w.highRiskTenantMs),
      contactChanges: (this.contacts.get(trigger.customerRef) ?? []).filter((c) => w.contactMs > 0 && c.atMs >= t - w.contactMs && c.atMs <= t),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Reading rows
// ---------------------------------------------------------------------------------------------

type Db = Kysely<Database>;

export function paymentRows(db: Db) {
  return db
    .selectFrom('payments as p')
    .innerJoin('fraud_risk_assessments as a', 'a.payment_id', 'p.id')
    .select([
      'a.id as assessment_id',
      'p.transaction_reference',
      'p.tenant_id',
      'p.customer_ref',
      'p.amount_kes',
      'p.occurred_at',
      'p.channel',
      'p.country',
      'p.debtor_account',
      'p.creditor_account',
      'p.device_id',
      'a.risk_level',
      'a.case_id',
      'a.scoring_facts',
    ])
    .where('a.deleted_at', 'is', null);
}

type PaymentRow = Awaited<ReturnType<ReturnType<typeof paymentRows>['execute']>>[number];

/** Absent accounts are stored as '' (ISO 20022 makes them optional). */
const orNull = (s: string | null) => (s === null || s.trim() === '' ? null : s);

export function toDetectorPayment(row: PaymentRow): DetectorPayment {
  const occurredAt = toIso(row.occurred_at);
  const facts = fromJsonOrNull<ScoringFactsSnapshot>(row.scoring_facts);
  return {
    assessmentId: row.assessment_id,
    transactionReference: row.transaction_reference,
    tenantId: row.tenant_id,
    customerRef: row.customer_ref,
    amountKes: toNumber(row.amount_kes),
    occurredAt,
    atMs: Date.parse(occurredAt),
    channel: row.channel,
    country: orNull(row.country),
    debtorAccount: orNull(row.debtor_account),
    creditorAccount: orNull(row.creditor_account),
    deviceId: orNull(row.device_id),
    riskLevel: row.risk_level,
    caseId: row.case_id,
    deviceKnown: facts?.device ? facts.device.known : null,
    ruleHits: [],
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The alert settings of the configuration version that decided the payment (versions are never edited). */
export async function alertingOf(db: Db, configurationId: string | null, version: string | null): Promise<AlertingConfig | null> {
  if (!configurationId || !version) return null;
  const row = await db
    .selectFrom('fraud_risk_configuration_versions')
    .select('body')
    .where('configuration_id', '=', configurationId)
    .where('version', '=', version)
    .executeTakeFirst();
  const body = row ? fromJsonOrNull<{ alertingConfig?: unknown }>(row.body) : null;
  const parsed = AlertingConfig.safeParse(body?.alertingConfig);
  return parsed.success ? parsed.data : null;
}

/** Whether the customer paid this account before `beforeMs` (any time before: "a payee it never paid"). */
export async function paidBefore(db: Db, p: DetectorPayment): Promise<boolean> {
  if (!p.creditorAccount) return false;
  const row = await db
    .selectFrom('payments')
    .select('id')
    .where('tenant_id', '=', p.tenantId)
    .where('creditor_account', '=', p.creditorAccount)
    .where('customer_ref', '=', p.customerRef)
    .where('occurred_at', '<', p.occurredAt)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function contactChanges(db: Db, tenantId: string, customerRefs: string[] | null, fromMs: number, toMs: number): Promise<ContactChangeFact[]> {
  let q = db
    .selectFrom('customer_contact_changes')
    .select(['customer_ref', 'field', 'changed_at'])
    .where('tenant_id', '=', tenantId)
    .where('changed_at', '>=', iso(fromMs))
    .where('changed_at', '<=', iso(toMs));
  if (customerRefs) q = q.where('customer_ref', 'in', customerRefs);
  const rows = await q.execute();
  return rows.map((r) => {
    const changedAt = toIso(r.changed_at);
    return { customerRef: r.customer_ref, field: r.field, changedAt, atMs: Date.parse(changedAt) };
  });
}

/** `in (…)` lists are cut to this many values (SQLite's variable limit, PostgreSQL's plan size). */
const IN_CHUNK = 500;

async function inChunks<T>(values: readonly string[], run: (part: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < values.length; i += IN_CHUNK) out.push(...(await run(values.slice(i, i + IN_CHUNK))));
  return out;
}

const distinct = (values: Array<string | null>) => [...new Set(values.filter((v): v is string => v !== null))];

/**
 * The live loader: the facts of a batch of one tenant's payments. The batch's customers, devices,
 * accounts and high-risk payments are read with a few indexed `in (…)` queries spanning the
 * earliest payment's window to the latest payment; each payment's facts are then cut from them
 * at its own time (PaymentIndex.factsFor), so a payment never sees one made after it. Payments
 * whose assessment is gone are left out.
 */
export async function loadBatchFacts(db: Db, tenantId: string, assessmentIds: readonly string[], thresholds: ThresholdMap): Promise<PaymentFacts[]> {
  const triggerRows = await inChunks([...new Set(assessmentIds)], (part) =>
    paymentRows(db)
      .select(['a.assessment_details', 'a.configuration_id', 'a.configuration_version'])
      .where('a.id', 'in', part)
      .where('p.tenant_id', '=', tenantId)
      .execute(),
  );
  if (triggerRows.length === 0) return [];
  const triggers = triggerRows.map((row) => ({ row, payment: toDetectorPayment(row) }));
  const w = windowsFor(thresholds);
  const lo = Math.min(...triggers.map((t) => t.payment.atMs));
  const until = new Date(Math.max(...triggers.map((t) => t.payment.atMs))).toISOString();
  const range = (ms: number) =>
    paymentRows(db)
      .where('p.tenant_id', '=', tenantId)
      .where('p.occurred_at', '>=', iso(lo - ms))
      .where('p.occurred_at', '<=', until);
  const pick = (f: (p: DetectorPayment) => string | null) => distinct(triggers.map((t) => f(t.payment)));
  const customers = pick((p) => p.customerRef);
  const devices = pick((p) => p.deviceId);
  const debtors = pick((p) => p.debtorAccount);
  const creditors = w.intoCreditorMs > 0 ? pick((p) => p.creditorAccount) : [];
  // Bursts by channel or tenant only matter when a payment is itself high-risk.
  const highRiskMs = triggers.some((t) => t.payment.riskLevel !== null && HIGH_RISK.has(t.payment.riskLevel))
    ? Math.max(w.highRiskChannelMs, w.highRiskTenantMs)
    : 0;

  const queries: Array<Promise<PaymentRow[]>> = [];
  if (w.customerMs > 0) queries.push(inChunks(customers, (part) => range(w.customerMs).where('p.customer_ref', 'in', part).execute()));
  if (w.deviceMs > 0) queries.push(inChunks(devices, (part) => range(w.deviceMs).where('p.device_id', 'in', part).execute()));
  if (w.outOfDebtorMs > 0) queries.push(inChunks(debtors, (part) => range(w.outOfDebtorMs).where('p.debtor_account', 'in', part).execute()));
  // Into the creditor accounts (fan-in, merchant bursts) and into the debtor accounts (money in before it goes out).
  if (creditors.length > 0) queries.push(inChunks(creditors, (part) => range(w.intoCreditorMs).where('p.creditor_account', 'in', part).execute()));
  if (w.intoDebtorMs > 0) queries.push(inChunks(debtors, (part) => range(w.intoDebtorMs).where('p.creditor_account', 'in', part).execute()));
  if (highRiskMs > 0) queries.push(range(highRiskMs).where('a.risk_level', 'in', ['HIGH', 'CRITICAL']).execute());
  const [rows, changes] = await Promise.all([
    Promise.all(queries),
    w.contactMs > 0 ? inChunks(customers, (part) => contactChanges(db, tenantId, part, lo - w.contactMs, Date.parse(until))) : Promise.resolve([]),
  ]);
  const index = new PaymentIndex();
  index.add(triggers.map((t) => t.payment));
  for (const list of rows) index.add(list.map(toDetectorPayment));
  index.addContactChanges(changes);

  const ato = thresholds.ACCOUNT_TAKEOVER;
  const alertings = new Map<string, AlertingConfig | null>();
  const out: PaymentFacts[] = [];
  for (const { row, payment } of triggers) {
    let alerting: AlertingConfig | null = null;
    if (thresholds.RISKY_PAYMENT) {
      const key = `${row.configuration_id}|${row.configuration_version}`;
      if (!alertings.has(key)) alertings.set(key, await alertingOf(db, row.configuration_id, row.configuration_version));
      alerting = alertings.get(key) ?? null;
    }
    const details = fromJsonOrNull<AssessmentDetails>(row.assessment_details);
    const extras: TriggerExtras = { anomalyScore: details?.anomalyScore ?? null, configurationId: row.configuration_id, alerting, payeeKnown: null };
    const facts = index.factsFor(payment, extras, w);
    // "A payee it never paid" reaches back before any window: asked only where the rest of the takeover pattern is there.
    if (ato && payment.amountKes >= ato.minTransferKes && payment.creditorAccount && facts.contactChanges.length > 0) {
      facts.extras.payeeKnown = await paidBefore(db, payment);
    }
    out.push(facts);
  }
  return out;
}

/**
 * Of these updated assessments, those whose latest change is a queued batch assessment being
 * scored (its last history entry is BATCH_COMPLETED, written by that very update): they are new
 * scored payments. Retries, manual decisions and case write-backs are not, so they never re-raise.
 */
export async function batchCompletions(db: Db, assessmentIds: readonly string[]): Promise<Set<string>> {
  const rows = await inChunks([...new Set(assessmentIds)], (part) =>
    db.selectFrom('fraud_risk_assessments').select(['id', 'updated_at', 'assessment_details']).where('id', 'in', part).execute(),
  );
  const out = new Set<string>();
  for (const r of rows) {
    const last = fromJsonOrNull<AssessmentDetails>(r.assessment_details)?.history?.at(-1);
    if (last?.action === 'BATCH_COMPLETED' && Date.parse(last.at) === Date.parse(toIso(r.updated_at))) out.add(r.id);
  }
  return out;
}

/** One payment's facts (loadBatchFacts of one); null when the assessment is gone. */
export async function loadPaymentFacts(db: Db, assessmentId: string, thresholds: ThresholdMap): Promise<PaymentFacts | null> {
  const row = await db.selectFrom('fraud_risk_assessments').select('tenant_id').where('id', '=', assessmentId).executeTakeFirst();
  if (!row) return null;
  return (await loadBatchFacts(db, row.tenant_id, [assessmentId], thresholds))[0] ?? null;
}

/** Fills the evidence's rules: which scoring rules fired on the evidence payments (risk_factors, read once per alert). */
export async function ruleHitsOf(db: Db, assessmentIds: string[]): Promise<Map<string, string[]>> {
  const hits = new Map<string, string[]>();
  if (assessmentIds.length === 0) return hits;
  for (let i = 0; i < assessmentIds.length; i += 500) {
    const rows = await db
      .selectFrom('fraud_risk_assessments')
      .select(['id', 'risk_factors'])
      .where('id', 'in', assessmentIds.slice(i, i + 500))
      .execute();
    for (const r of rows)
      hits.set(
        r.id,
        decodeRiskFactors(r.risk_factors).flatMap((f) => (f.outcome === 'HIT' ? [f.ruleId] : [])),
      );
  }
  return hits;
}
