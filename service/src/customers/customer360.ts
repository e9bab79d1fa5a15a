import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { toIso, toIsoOrNull, toNumber, toNumberOrNull } from '../db/database.ts';
import { notFound, ServiceError } from '../errors.ts';
import { RISK_LEVEL_ORDER, RiskLevel } from '../../../shared/src/assessments.ts';
import type { Customer } from '../../../shared/src/customers.ts';
import type { Customer360, Customer360Account, Customer360Risk, Customer360Transaction, IdentifierKind } from '../../../shared/src/customer360.ts';
import { normaliseIdentifier, STRONG_IDENTIFIERS } from '../../../shared/src/customer360.ts';
import type { CaseState } from '../../../shared/src/cases.ts';
import type { Page } from '../../../shared/src/api.ts';
import { toCustomer } from './customers.ts';
import { CUSTOMER_RISK_WINDOW_DAYS, overallCustomerRisk, type CustomerRisk } from '../../../shared/src/customer-risk.ts';
import { decodeRiskFactors } from '../assessments/risk-factor-codec.ts';
import type { TenantScope } from '../auth/tenant-scope.ts';
import { customerRefs, gcidVisible } from './visibility.ts';

type Db = Kysely<Database>;

/**
 * Customer 360 for one caller (ARCHITECTURE.md "Tenants"): another tenant's customer is not
 * found, and accounts, transactions and risk count only payments and cases of the caller's
 * tenants. `now` comes from the service's clock (ARCHITECTURE.md rule 3).
 */
export interface CustomerViewer {
  scope: TenantScope;
  now: Date;
}

/** Follows merges; a merged GCID answers with the survivor (old links keep working). */
async function liveGcid(db: Db, gcid: string): Promise<string> {
  let current = gcid;
  for (let hops = 0; hops < 20; hops++) {
    const row = await db
      .selectFrom('global_customers')
      .select(['gcid', 'merged_into'])
      .where('gcid', '=', current)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw notFound('customer');
    if (!row.merged_into) return row.gcid;
    current = row.merged_into;
  }
  return current;
}

/** The surviving GCID, if it is a customer of the caller's tenants; 404 otherwise. */
async function visibleGcid(db: Db, requested: string, scope: TenantScope): Promise<string> {
  const gcid = await liveGcid(db, requested);
  if (!(await gcidVisible(db, gcid, scope))) throw notFound('customer');
  return gcid;
}

async function profiles(db: Db, refs: string[]): Promise<Customer[]> {
  if (refs.length === 0) return [];
  const rows = await db
    .selectFrom('customers')
    .selectAll()
    .where('customer_ref', 'in', refs)
    .where('deleted_at', 'is', null)
    .orderBy('customer_since')
    .execute();
  return rows.map(toCustomer);
}

export async function getCustomer360(db: Db, requested: string, viewer: CustomerViewer): Promise<Customer360> {
  const gcid = await visibleGcid(db, requested, viewer.scope);
  const [row, identifiers, merged] = await Promise.all([
    db.selectFrom('global_customers').selectAll().where('gcid', '=', gcid).executeTakeFirstOrThrow(),
    db.selectFrom('customer_identifiers').selectAll().where('gcid', '=', gcid).orderBy('kind').orderBy('first_seen_at').execute(),
    db.selectFrom('global_customers').select('gcid').where('merged_into', '=', gcid).execute(),
  ]);
  const cores = await profiles(
    db,
    identifiers.filter((i) => i.kind === 'CUSTOMER_REF').map((i) => i.value),
  );
  const primary = cores[0] ?? null;
  const worstRating = cores.reduce<RiskLevel | null>((w, c) => (w === null || RISK_LEVEL_ORDER[c.riskRating] > RISK_LEVEL_ORDER[w] ? c.riskRating : w), null);
  return {
    gcid,
    displayName: primary?.fullName ?? row.display_name,
    mergedFrom: merged.map((m) => m.gcid),
    identifiers: identifiers.map((i) => ({
      kind: i.kind as IdentifierKind,
      value: i.value,
      source: i.source,
      firstSeenAt: toIso(i.first_seen_at),
      lastSeenAt: toIso(i.last_seen_at),
    })),
    profiles: cores,
    segment: primary?.segment ?? null,
    kycStatus: primary?.kycStatus ?? null,
    riskRating: worstRating,
    customerSince: cores.map((c) => c.customerSince).sort()[0] ?? null,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
    version: row.version,
  };
}

export async function getCustomerAccounts(db: Db, requested: string, viewer: CustomerViewer): Promise<Customer360Account[]> {
  const gcid = await visibleGcid(db, requested, viewer.scope);
  const tenants = viewer.scope.sqlList();
  const refs = await customerRefs(db, gcid);
  const cores = await profiles(db, refs);
  const usage = refs.length
    ? await db
        .selectFrom('payments')
        .select([
          'debtor_account',
          'customer_ref',
          sql<number | string>`count(*)`.as('n'),
          sql<number | string>`sum(amount_kes)`.as('total'),
          sql<string | Date>`max(occurred_at)`.as('last'),
        ])
        .where('customer_ref', 'in', refs)
        .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
        .groupBy(['debtor_account', 'customer_ref'])
        .execute()
    : [];
  const used = new Map(usage.map((u) => [u.debtor_account, u]));
  const accounts: Customer360Account[] = [];
  for (const core of cores) {
    for (const account of core.accounts) {
      const u = used.get(account.accountNumber);
      used.delete(account.accountNumber);
      accounts.push({
        accountNumber: account.accountNumber,
        customerRef: core.customerRef,
        type: account.type,
        status: account.status,
        openedOn: account.openedOn,
        source: 'CORE',
        paymentCount: Number(u?.n ?? 0),
        totalOutKes: toNumber(u?.total ?? 0),
        lastPaymentAt: u ? toIso(u.last) : null,
      });
    }
  }
  // Accounts seen on payments but missing from the core records (e.g. wallets of a linked CIF).
  for (const u of used.values()) {
    if (u.debtor_account === '') continue; // payments that named no debtor account
    accounts.push({
      accountNumber: u.debtor_account,
      customerRef: u.customer_ref,
      type: null,
      status: null,
      openedOn: null,
      source: 'PAYMENTS',
      paymentCount: Number(u.n),
      totalOutKes: toNumber(u.total),
      lastPaymentAt: toIso(u.last),
    });
  }
  return accounts;
}

export async function getCustomerTransactions(
  db: Db,
  requested: string,
  query: { page: number; pageSize: number; days: number },
  viewer: CustomerViewer,
): Promise<Page<Customer360Transaction>> {
  const gcid = await visibleGcid(db, requested, viewer.scope);
  const refs = await customerRefs(db, gcid);
  if (refs.length === 0) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
  const since = new Date(viewer.now.getTime() - query.days * 86_400_000).toISOString();
  const tenants = viewer.scope.sqlList();
  const base = db
    .selectFrom('payments as p')
    .leftJoin('fraud_risk_assessments as a', 'a.payment_id', 'p.id')
    .where('p.customer_ref', 'in', refs)
    .where('p.occurred_at', '>=', since)
    .$if(tenants !== null, (q) => q.where('p.tenant_id', 'in', tenants!));
  const [rows, count] = await Promise.all([
    base
      .select([
        'p.id',
        'p.transaction_reference',
        'p.occurred_at',
        'p.customer_ref',
        'p.amount',
        'p.currency',
        'p.amount_kes',
        'p.channel',
        'p.payment_type',
        'p.debtor_account',
        'p.creditor_account',
        'p.country',
        'p.device_id',
        'a.id as assessment_id',
        'a.risk_level',
        'a.risk_score',
        'a.decision',
        'a.case_id',
      ])
      .orderBy('p.occurred_at', 'desc')
      .orderBy('p.id', 'desc')
      .limit(query.pageSize)
      .offset(query.page * query.pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      paymentId: r.id,
      transactionReference: r.transaction_reference,
      occurredAt: toIso(r.occurred_at),
      customerRef: r.customer_ref,
      amount: toNumber(r.amount),
      currency: r.currency,
      amountKes: toNumber(r.amount_kes),
      channel: r.channel,
      paymentType: r.payment_type,
      debtorAccount: r.debtor_account,
      creditorAccount: r.creditor_account,
      country: r.country,
      deviceId: r.device_id,
      riskLevel: (r.risk_level as RiskLevel | null) ?? null,
      riskScore: toNumberOrNull(r.risk_score),
      decision: (r.decision as Customer360Transaction['decision']) ?? null,
      assessmentId: r.assessment_id ?? null,
      caseId: r.case_id ?? null,
    })),
    total: Number(count.n),
    page: query.page,
    pageSize: query.pageSize,
  };
}

/**
 * The customer's overall risk (shared/src/customer-risk.ts), the one figure the case page and
 * Customer 360 both show: core rating of the person's records, riskiest payment of the caller's
 * tenants in the last 30 days, blocked cases of the caller's tenants. `gcid` must be visible.
 */
export async function customerRiskBasis(db: Db, gcid: string, viewer: CustomerViewer): Promise<CustomerRisk> {
  const refs = await customerRefs(db, gcid);
  const cores = await profiles(db, refs);
  const tenants = viewer.scope.sqlList();
  const since = new Date(viewer.now.getTime() - CUSTOMER_RISK_WINDOW_DAYS * 86_400_000).toISOString();
  const levels = refs.length
    ? await db
        .selectFrom('fraud_risk_assessments')
        .select('risk_level')
        .distinct()
        .where('customer_ref', 'in', refs)
        .where('created_at', '>=', since)
        .where('risk_level', 'is not', null)
        .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
        .execute()
    : [];
  const blocked = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('customer_gcid', '=', gcid)
    .where('deleted_at', 'is', null)
    .where('outcome', '=', 'BLOCKED')
    .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
    .executeTakeFirstOrThrow();
  const worst = (list: (RiskLevel | null)[]) =>
    list.reduce<RiskLevel | null>((w, l) => (l !== null && (w === null || RISK_LEVEL_ORDER[l] > RISK_LEVEL_ORDER[w]) ? l : w), null);
  return overallCustomerRisk({
    coreRating: worst(cores.map((c) => c.riskRating)),
    worstPayment30Days: worst(levels.map((l) => l.risk_level as RiskLevel | null)),
    blockedCases: Number(blocked.n),
  });
}

/** The overall risk of the person behind a case (merges followed, as Customer 360 does); null if the customer is gone. */
export async function customerRiskOfGcid(db: Db, gcid: string, viewer: CustomerViewer): Promise<CustomerRisk | null> {
  let live: string;
  try {
    live = await liveGcid(db, gcid);
  } catch (error) {
    if (error instanceof ServiceError && error.status === 404) return null;
    throw error;
  }
  return customerRiskBasis(db, live, viewer);
}

export async function getCustomerRisk(db: Db, requested: string, viewer: CustomerViewer): Promise<Customer360Risk> {
  const gcid = await visibleGcid(db, requested, viewer.scope);
  const refs = await customerRefs(db, gcid);
  const since30 = new Date(viewer.now.getTime() - 30 * 86_400_000).toISOString();
  const tenants = viewer.scope.sqlList();
  const assessments = refs.length
    ? await db
        .selectFrom('fraud_risk_assessments')
        .select(['risk_level', 'risk_score', 'decision', 'created_at', 'amount_kes', 'risk_factors'])
        .where('customer_ref', 'in', refs)
        .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
        .orderBy('created_at', 'desc')
        .limit(5000)
        .execute()
    : [];
  const cases = await db
    .selectFrom('cases')
    .selectAll()
    .where('customer_gcid', '=', gcid)
    .where('deleted_at', 'is', null)
    .$if(tenants !== null, (q) => q.where('tenant_id', 'in', tenants!))
    .orderBy('created_at', 'desc')
    .execute();
  const devices = await db
    .selectFrom('customer_identifiers')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('gcid', '=', gcid)
    .where('kind', '=', 'DEVICE')
    .executeTakeFirstOrThrow();

  const byRiskLevel = Object.fromEntries(RiskLevel.options.map((l) => [l, 0])) as Customer360Risk['payments']['byRiskLevel'];
  const byDecision: Record<string, number> = {};
  const trend = new Map<string, { count: number; sum: number }>();
  const ruleHits = new Map<string, { name: string; hits: number }>();
  let scored = 0;
  let sum = 0;
  let max: number | null = null;
  let last30 = 0;
  let kes30 = 0;
  for (const a of assessments) {
    const created = toIso(a.created_at);
    if (a.risk_level) byRiskLevel[a.risk_level as RiskLevel] += 1;
    if (a.decision) byDecision[a.decision] = (byDecision[a.decision] ?? 0) + 1;
    const score = toNumberOrNull(a.risk_score);
    if (score !== null) {
      scored += 1;
      sum += score;
      max = max === null ? score : Math.max(max, score);
    }
    if (created >= since30) {
      last30 += 1;
      kes30 += toNumber(a.amount_kes);
      const day = created.slice(0, 10);
      const t = trend.get(day) ?? { count: 0, sum: 0 };
      t.count += 1;
      t.sum += score ?? 0;
      trend.set(day, t);
      for (const factor of decodeRiskFactors(a.risk_factors)) {
        if (factor.outcome !== 'HIT') continue;
        const r = ruleHits.get(factor.ruleId) ?? { name: factor.name, hits: 0 };
        r.hits += 1;
        ruleHits.set(factor.ruleId, r);
      }
    }
  }
  const blocked = cases.filter((c) => c.outcome === 'BLOCKED').length;
  // One definition of the overall level, shared with the case page (customerRiskBasis).
  const overall = await customerRiskBasis(db, gcid, viewer);
  return {
    gcid,
    coreRiskRating: overall.coreRating,
    overallRiskLevel: overall.level,
    overall,
    payments: {
      total: assessments.length,
      last30Days: last30,
      byRiskLevel,
      byDecision,
      averageScore: scored ? Math.round((sum / scored) * 10_000) / 10_000 : null,
      maxScore: max,
      totalKes30Days: Math.round(kes30 * 100) / 100,
    },
    cases: {
      open: cases.filter((c) => c.state !== 'CLOSED').length,
      closed: cases.filter((c) => c.state === 'CLOSED').length,
      blocked,
      approved: cases.filter((c) => c.outcome === 'APPROVED').length,
    },
    pastCases: cases.slice(0, 50).map((c) => ({
      id: c.id,
      reference: c.reference,
      state: c.state as CaseState,
      outcome: (c.outcome as 'APPROVED' | 'BLOCKED' | null) ?? null,
      reasonCode: c.reason_code,
      riskLevel: c.risk_level as RiskLevel,
      totalAmountKes: toNumber(c.total_amount_kes),
      createdAt: toIso(c.created_at),
      closedAt: toIsoOrNull(c.closed_at),
    })),
    trend: [...trend.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([date, t]) => ({ date, count: t.count, averageScore: Math.round((t.sum / t.count) * 10_000) / 10_000 })),
    topRules: [...ruleHits.entries()]
      .sort((a, b) => b[1].hits - a[1].hits)
      .slice(0, 8)
      .map(([ruleId, r]) => ({ ruleId, name: r.name, hits: r.hits })),
    devices: Number(devices.n),
  };
}

/** Which GCID these identifiers belong to, without changing anything; customers of other tenants are not found. */
export async function resolveCustomer(
  db: Db,
  query: Partial<Record<'nationalId' | 'phone' | 'email' | 'customerRef' | 'deviceId', string>>,
  scope: TenantScope,
) {
  const kinds: Array<[IdentifierKind, string | undefined]> = [
    ['NATIONAL_ID', query.nationalId],
    ['PHONE', query.phone],
    ['EMAIL', query.email],
    ['CUSTOMER_REF', query.customerRef],
    ['DEVICE', query.deviceId],
  ];
  const wanted = kinds.flatMap(([kind, raw]) => {
    const value = raw ? normaliseIdentifier(kind, raw) : null;
    return value ? [{ kind, value }] : [];
  });
  if (wanted.length === 0) return { gcid: null, matchedBy: [], conflicts: [] };
  const rows = await db
    .selectFrom('customer_identifiers')
    .select(['gcid', 'kind'])
    .where((eb) => eb.or(wanted.map((w) => eb.and([eb('kind', '=', w.kind), eb('value', '=', w.value)]))))
    .execute();
  const strong = new Map<string, IdentifierKind[]>();
  const weak = new Map<string, IdentifierKind[]>();
  for (const r of rows) {
    const gcid = await liveGcid(db, r.gcid);
    if (!(await gcidVisible(db, gcid, scope))) continue;
    const target = STRONG_IDENTIFIERS.includes(r.kind as IdentifierKind) ? strong : weak;
    target.set(gcid, [...(target.get(gcid) ?? []), r.kind as IdentifierKind]);
  }
  const pool = strong.size > 0 ? strong : weak;
  const ranked = [...pool.entries()].sort((a, b) => b[1].length - a[1].length);
  return { gcid: ranked[0]?.[0] ?? null, matchedBy: ranked[0]?.[1] ?? [], conflicts: ranked.slice(1).map(([g]) => g) };
}
