/**
 * The hub's data for `npm run bench:sync`: N open cases, each with its customer, payment,
 * assessment and case link, written the way production writes them — through commands
 * (ARCHITECTURE.md rule 1): customer.upsert for the customers, then assessment.record for
 * payments scored by the shipped rules (the evaluateLocal path the test fixtures use), which
 * opens one case per risky payment. Batched with bus.executeMany, one transaction per batch.
 *
 * Seeding 100,000 cases this way takes many minutes, so the data lives in a PostgreSQL database
 * named after its size, with the hub's data folder (its master key seals the database's secrets)
 * kept beside, and both are reused by later runs when the database holds every case.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import type { PaymentInput } from '../../shared/src/payments.ts';
import { newConfigurationTemplate } from '../../shared/src/decision-engine-defaults.ts';
import type { Customer } from '../../shared/src/customers.ts';
import { startService, type RunningService } from '../src/app.ts';
import { SYSTEM_ACTOR } from '../src/commands/bus.ts';
import { newAssessmentId, recordAssessments, type AssessmentOutcome, type RecordItem } from '../src/assessments/commands.ts';
import { upsertCustomer } from '../src/customers/customers.ts';
import { compileRuleSet, evaluateLocal } from '../src/scoring/engine.ts';
import { ScoringFacts } from '../src/scoring/facts.ts';
import { toKes } from '../src/scoring/fx.ts';
import { mulberry32 } from '../src/util/prng.ts';

export const ADMIN_PASSWORD = 'Bench-Admin-Password-2026';
const TENANT = 'WEKEZA-KE';
/** Every seeded payment happens in the 30 days before this instant (no dependence on today's date). */
const SEED_END = Date.parse('2026-11-20T00:00:00Z');
const NAMES = ['Achieng', 'Wanjiru', 'Kamau', 'Otieno', 'Njoroge', 'Mwangi', 'Kiprop', 'Wambui', 'Chebet', 'Mutua', 'Odhiambo', 'Kariuki'];
const COUNTIES = ['Nairobi', 'Mombasa', 'Kisumu', 'Nakuru', 'Eldoret', 'Nyeri'];
/** High-risk payments the shipped rules send to an analyst (HOLD / ESCALATE), so each opens a case. */
const RISKY = [
  { paymentType: 'RTGS', localInstrumentationCode: 'KEPSS', clearingSystemCode: 'KEPSS', channel: 'WEB', country: 'NG', amount: 12_500_000 },
  { paymentType: 'SWIFT_TRANSFER', localInstrumentationCode: 'SWIFT', clearingSystemCode: 'SWIFT', channel: 'WEB', country: 'AE', amount: 9_800_000 },
  { paymentType: 'RTGS', localInstrumentationCode: 'KEPSS', clearingSystemCode: 'KEPSS', channel: 'BRANCH', country: 'NG', amount: 15_000_000 },
] as const;

const SEEDED_MARK = 'wekeza bench:sync seed complete';

export function benchDatabaseName(cases: number): string {
  return `wekeza_bench_sync_${cases}`;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function adminQuery<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 15_000 });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** How many open cases, payments and customers the named database holds (null when it does not exist). */
async function existingCounts(adminUrl: string, name: string): Promise<{ cases: number; customers: number; payments: number; seeded: boolean } | null> {
  const found = await adminQuery(adminUrl, 'select 1 from pg_database where datname = $1', [name]);
  if (found.length === 0) return null;
  const url = withDatabase(adminUrl, name);
  try {
    // The database comment is set only after the last batch committed: a killed seeding is redone.
    const [row] = await adminQuery<{ cases: string; customers: string; payments: string; marker: string | null }>(
      url,
      `select (select count(*) from cases where is_open) as cases,
              (select count(*) from customers where customer_ref like 'CIF-B%') as customers,
              (select count(*) from payments where transaction_reference like 'BENCH-%') as payments,
              shobj_description((select oid from pg_database where datname = current_database()), 'pg_database') as marker`,
    );
    return {
      cases: Number(row?.cases ?? 0),
      customers: Number(row?.customers ?? 0),
      payments: Number(row?.payments ?? 0),
      seeded: row?.marker === SEEDED_MARK,
    };
  } catch {
    return { cases: 0, customers: 0, payments: 0, seeded: false };
  }
}

function customerInput(i: number): Omit<Customer, 'id'> {
  const random = mulberry32(20_261_204 + 2 * i);
  const n = String(i).padStart(7, '0');
  return {
    customerRef: `CIF-B${n}`,
    fullName: `${NAMES[Math.floor(random() * NAMES.length)]} ${NAMES[Math.floor(random() * NAMES.length)]}`,
    // Identifiers of their own, so identity resolution never merges two bench customers.
    nationalId: `9${n}`,
    phone: `+2547${n}1`,
    email: null,
    county: COUNTIES[i % COUNTIES.length]!,
    segment: i % 10 === 0 ? 'SME' : 'RETAIL',
    kycStatus: 'VERIFIED',
    riskRating: 'MEDIUM',
    customerSince: '2019-03-01',
    accounts: [{ accountNumber: `01${n}001`, type: 'CURRENT', openedOn: '2019-03-01', status: 'ACTIVE' }],
  };
}

function paymentInput(i: number): PaymentInput {
  const random = mulberry32(20_261_205 + 2 * i);
  const n = String(i).padStart(7, '0');
  const kind = RISKY[i % RISKY.length]!;
  // 02:00–05:00 Nairobi time (23:00–02:00 UTC) on one of the 30 days before SEED_END: night raises the risk.
  const day = Math.floor(random() * 30) + 1;
  const at = new Date(SEED_END - day * 86_400_000 - 3_600_000 + Math.floor(random() * 3 * 3_600_000));
  return {
    transactionReference: `BENCH-${n}`,
    tenantId: TENANT,
    paymentType: kind.paymentType,
    localInstrumentationCode: kind.localInstrumentationCode,
    clearingSystemCode: kind.clearingSystemCode,
    paymentSource: 'BANK_CLIENT',
    amount: kind.amount + Math.round(random() * 1_000_000),
    currency: 'KES',
    timestamp: at.toISOString(),
    channel: kind.channel,
    country: kind.country,
    customerId: `CIF-B${n}`,
    debtorAccount: `01${n}001`,
    creditorAccount: `GB${n}99`,
    ipAddress: `41.90.${i % 250}.${(i >> 8) % 250}`,
    deviceId: `bench-dev-${n}`,
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
    description: 'Investment return – urgent',
  };
}

/** Scored by the shipped rules with no history, as the fixtures do (testing/fixtures.ts assessmentRecord). */
function scorer() {
  const template = newConfigurationTemplate();
  const set = compileRuleSet(template.riskRules, template.thresholds, template.decisionCriteria);
  return (payment: PaymentInput): RecordItem => {
    const amountKes = toKes(payment.amount, payment.currency);
    const atMs = Date.parse(payment.timestamp);
    const local = evaluateLocal(set, { payment, amountKes, atMs }, new ScoringFacts());
    const outcome: AssessmentOutcome = {
      status: 'COMPLETED',
      riskScore: local.riskScore,
      riskLevel: local.riskLevel,
      decision: local.decision,
      decisionReason: local.decisionReason,
      riskFactors: local.riskFactors,
      details: null,
      configurationId: null,
      configurationVersion: null,
      riskAssessmentType: 'REAL_TIME',
      externalApiUsed: null,
      externalApiRequest: null,
      externalApiResponse: null,
      externalApiResponseTimeMs: null,
      processingTimeMs: 0.1,
      errorMessage: null,
      amountKes,
    };
    return { assessmentId: newAssessmentId(new Date(atMs)), payment, outcome };
  };
}

export interface SeededHub {
  url: string;
  reused: boolean;
  /** An earlier run's seeding was interrupted and this run finished it. */
  resumed: boolean;
  /** Seconds spent seeding in this run (a resumed seeding counts only its own part). */
  seedSeconds: number;
  cases: number;
}

/** Starts a hub service on the bench database (migrations run on start). */
export function startHub(databaseUrl: string, dataDir: string): Promise<RunningService> {
  return startService({
    mode: 'hub',
    host: '127.0.0.1',
    port: 0,
    dataDir,
    database: { kind: 'postgres', url: databaseUrl },
    rendererDir: null,
    logger: pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' }),
    env: { WEKEZA_ADMIN_PASSWORD: ADMIN_PASSWORD },
  });
}

/**
 * The named bench database holding `cases` open cases, seeded through commands unless an earlier
 * run left it complete. Progress goes to stderr.
 */
export async function seedHubDatabase(adminUrl: string, cases: number, dataDir: string): Promise<SeededHub> {
  const name = benchDatabaseName(cases);
  const url = withDatabase(adminUrl, name);
  const existing = await existingCounts(adminUrl, name);
  // The database's secrets are sealed with the master key in the hub's data folder: both are kept.
  const keyKept = fs.existsSync(path.join(dataDir, 'master.key'));
  if (existing?.seeded && existing.cases === cases && keyKept) return { url, reused: true, resumed: false, seedSeconds: 0, cases };
  // An interrupted seeding resumes: batches commit whole and in order, so the counts say where it stopped.
  const resume = existing && keyKept && !existing.seeded ? existing : null;
  if (!resume) {
    if (existing) await adminQuery(adminUrl, `drop database ${name} with (force)`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    await adminQuery(adminUrl, `create database ${name}`);
  } else {
    process.stderr.write(`  resuming an interrupted seeding: ${resume.customers} customers and ${resume.payments} payments are there\n`);
  }

  const t0 = performance.now();
  const hub = await startHub(url, dataDir);
  try {
    const bus = hub.context.bus;
    const at = new Date(SEED_END - 31 * 86_400_000);
    const CUSTOMERS_PER_BATCH = 500;
    for (let i = resume?.customers ?? 0; i < cases; i += CUSTOMERS_PER_BATCH) {
      const batch = [];
      for (let j = i; j < Math.min(cases, i + CUSTOMERS_PER_BATCH); j++) batch.push({ command: upsertCustomer, input: customerInput(j), at });
      await bus.executeMany(batch, SYSTEM_ACTOR);
      progress('customers', Math.min(cases, i + CUSTOMERS_PER_BATCH), cases, t0);
    }
    const score = scorer();
    // 5 commands of 200 payments per transaction: the pipeline's group commit writes batches like these.
    const ITEMS = 200;
    const COMMANDS = 5;
    for (let i = resume?.payments ?? 0; i < cases; i += ITEMS * COMMANDS) {
      const batch = [];
      for (let c = i; c < Math.min(cases, i + ITEMS * COMMANDS); c += ITEMS) {
        const items: RecordItem[] = [];
        for (let j = c; j < Math.min(cases, c + ITEMS); j++) items.push(score(paymentInput(j)));
        batch.push({ command: recordAssessments, input: { items }, at: new Date(Date.parse(items[0]!.payment.timestamp)) });
      }
      await bus.executeMany(batch, SYSTEM_ACTOR);
      progress('payments', Math.min(cases, i + ITEMS * COMMANDS), cases, t0);
    }
    const [row] = await adminQuery<{ n: string }>(url, 'select count(*) as n from cases where is_open');
    if (Number(row?.n) !== cases) throw new Error(`seeding opened ${row?.n} cases, expected ${cases}: a payment scored below the case-opening decision`);
  } finally {
    await hub.close();
  }
  // What autovacuum would have done by the time a workstation connects.
  await adminQuery(url, 'vacuum analyze');
  await adminQuery(url, `comment on database ${name} is '${SEEDED_MARK}'`);
  process.stderr.write('\n');
  return { url, reused: false, resumed: resume !== null, seedSeconds: (performance.now() - t0) / 1000, cases };
}

function progress(stage: string, done: number, total: number, t0: number): void {
  const s = (performance.now() - t0) / 1000;
  process.stderr.write(`\r  seeding ${stage}: ${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} (${s.toFixed(0)} s)   `);
}
