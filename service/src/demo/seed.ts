import type { ServiceContext } from '../context.ts';
import { SYSTEM_ACTOR, type Actor } from '../commands/bus.ts';
import { rollUpDashboards } from '../analytics/rollups.ts';
import { seedDemoRiskRegister } from './risk-register.ts';
import { seedDemoAlertRules } from './alerts.ts';
import { seedDemoOpenBanking } from './open-banking.ts';
import { createUser } from '../users/users.ts';
import { upsertCustomer } from '../customers/customers.ts';
import { newAssessmentId, recordAssessments } from '../assessments/commands.ts';
import { seedDemoConfigurations, seedDemoToggles, trainDemoAnomalyModel } from './decision-engine.ts';
import { toKesAt } from '../scoring/fx.ts';
import { assignCase, requestInfo, startCase, tagCase } from '../cases/commands.ts';
import { decideApproval, decideCase } from '../cases/decisions.ts';
import { addCaseComment } from '../cases/evidence.ts';
import { Role } from '../../../shared/src/roles.ts';
import { tenantAccessFor } from '../../../shared/src/tenants.ts';
import { tenantIdsOf } from '../auth/authenticator.ts';
import { TenantScope } from '../auth/tenant-scope.ts';
import type { CaseAction, ReasonCode } from '../../../shared/src/cases.ts';
import { toIso } from '../db/database.ts';
import { createRng, generateDemoBank, type DemoCustomer, type Rng } from './generator.ts';

export const DEMO_PASSWORD_DEFAULT = 'Wekeza-Demo-2026!';

/** The demo team's shared password: WEKEZA_DEMO_PASSWORD, or the documented default. */
export function demoPassword(env: NodeJS.ProcessEnv): string {
  return env.WEKEZA_DEMO_PASSWORD || DEMO_PASSWORD_DEFAULT;
}

/** Where seeding is (cli.ts prints it, so a ~40 s start does not look hung). */
export interface DemoSeedProgress {
  stage: 'team' | 'customers' | 'payments' | 'toggles' | 'risk register' | 'dashboards';
  done: number;
  total: number;
}

/** The bank's main tenant, and a small second one (the bank's microfinance arm) so that the UI shows tenant scoping. */
export const DEMO_TENANT = 'WEKEZA-KE';
export const DEMO_SECOND_TENANT = 'WEKEZA-MFB';

/** The demo team (README "Demo users"): analysts act for one tenant, the other roles bank-wide ([] = every tenant). */
export const DEMO_USERS = [
  { username: 'amina.otieno', displayName: 'Amina Otieno', role: 'FRAUD_ANALYST', tenantIds: [DEMO_TENANT] },
  { username: 'brian.kamau', displayName: 'Brian Kamau', role: 'FRAUD_ANALYST', tenantIds: [DEMO_TENANT] },
  { username: 'esther.chebet', displayName: 'Esther Chebet', role: 'FRAUD_ANALYST', tenantIds: [DEMO_SECOND_TENANT] },
  { username: 'wanjiru.njoroge', displayName: 'Wanjiru Njoroge', role: 'COMPLIANCE_OFFICER', tenantIds: [] },
  { username: 'peter.mwangi', displayName: 'Peter Mwangi', role: 'RISK_OFFICER', tenantIds: [] },
  { username: 'grace.achieng', displayName: 'Grace Achieng', role: 'AUDITOR', tenantIds: [] },
  { username: 'david.kiprop', displayName: 'David Kiprop', role: 'EXECUTIVE', tenantIds: [] },
  { username: 'faith.wambui', displayName: 'Faith Wambui', role: 'RISK_MANAGER', tenantIds: [] },
] as const;

export const DEMO_SEED = 20_261_122;

export interface DemoSeedSummary {
  customers: number;
  payments: number;
  cases: number;
  /** The demo partner app (issue 14): its client id and secret, shown once like any registration. */
  openBankingApp: { clientId: string; clientSecret: string };
}

export interface DemoSeedOptions {
  customers: number;
  days: number;
  paymentsPerDay: number;
  now: Date;
}

const DEFAULTS: Omit<DemoSeedOptions, 'now'> = { customers: 800, days: 10, paymentsPerDay: 900 };

/**
 * Fills an empty database with ten realistic days at a Kenyan bank: the demo team, customers,
 * payments scored by the real rules, and the cases they opened — older cases already worked by
 * the analysts, recent ones waiting in the queue. Everything goes through the commands, so the
 * audit trail and change log are as real as the data. Does nothing when payments already exist.
 */
export async function seedDemoDataIfEmpty(
  ctx: ServiceContext,
  env: NodeJS.ProcessEnv,
  overrides: Partial<DemoSeedOptions> = {},
  onProgress: (progress: DemoSeedProgress) => void = () => {},
): Promise<DemoSeedSummary | null> {
  const db = ctx.db.kysely;
  const anyPayment = await db.selectFrom('payments').select('id').limit(1).executeTakeFirst();
  if (anyPayment) return null;
  const options: DemoSeedOptions = { ...DEFAULTS, now: ctx.clock.now(), ...overrides };
  const password = demoPassword(env);
  onProgress({ stage: 'team', done: 0, total: DEMO_USERS.length });

  const team = new Map<string, Actor & { role: Role }>();
  for (const user of DEMO_USERS) {
    const existing = await db.selectFrom('users').select(['id', 'tenant_ids']).where('username', '=', user.username).executeTakeFirst();
    // The shared demo password, not a one-time one: the demo team signs in straight away.
    const id =
      existing?.id ??
      (await ctx.bus.execute(createUser, { ...user, tenantIds: [...user.tenantIds], password, passwordChangeRequired: false }, SYSTEM_ACTOR)).id;
    const role = Role.parse(user.role);
    team.set(user.username, {
      kind: 'user',
      id,
      name: user.displayName,
      role,
      tenants: tenantAccessFor(role, existing ? tenantIdsOf(existing.tenant_ids) : user.tenantIds),
    });
  }

  // A busier-than-average share of risky payments, so that the demo queue has work in it.
  const bank = generateDemoBank({
    seed: DEMO_SEED,
    customers: options.customers,
    days: options.days,
    paymentsPerDay: options.paymentsPerDay,
    now: options.now,
    riskyShare: 0.05,
  });
  // The second tenant: a twentieth of the customers and a thirtieth of the payments, with customer numbers of its own.
  const small = generateDemoBank({
    seed: DEMO_SEED + 2,
    customers: Math.ceil(options.customers / 20),
    days: options.days,
    paymentsPerDay: Math.ceil(options.paymentsPerDay / 30),
    now: options.now,
    riskyShare: 0.08,
    tenantId: DEMO_SECOND_TENANT,
    customerRefPrefix: 'MFB-',
  });
  // Identity resolution joins customers who share a national ID, phone or account: the second
  // tenant leaves out the few generated customers who would join one of the bank's by chance.
  const identifiers = (c: DemoCustomer) => [c.nationalId, c.phone, ...c.accounts.map((a) => a.accountNumber)];
  const taken = new Set(bank.customers.flatMap(identifiers));
  const smallCustomers = small.customers.filter((c) => !identifiers(c).some((id) => taken.has(id)));
  const kept = new Set(smallCustomers.map((c) => c.customerRef));
  const customers = [...bank.customers, ...smallCustomers];
  for (let i = 0; i < customers.length; i += 200) {
    const chunk = customers.slice(i, i + 200).map(({ deviceIds: _d, homeIp: _h, ...customer }) => ({
      command: upsertCustomer,
      input: customer,
      at: new Date(options.now.getTime() - options.days * 86_400_000),
    }));
    await ctx.bus.executeMany(chunk, SYSTEM_ACTOR);
    onProgress({ stage: 'customers', done: Math.min(i + 200, customers.length), total: customers.length });
  }
  const payments = [...bank.payments, ...small.payments.filter((p) => kept.has(p.customerId))].sort((a, b) => a.timestamp.localeCompare(b.timestamp));
  const admin = team.get('faith.wambui')!;
  await seedDemoConfigurations(ctx, admin, new Date(options.now.getTime() - (options.days + 1) * 86_400_000));
  // The isolation forest learns this bank's history first, so the anomaly rule works from day one.
  await trainDemoAnomalyModel(ctx, admin, payments, new Date(options.now.getTime() - options.days * 86_400_000));
  const engine = ctx.decisionEngine;
  // Analysts work cases as the days go by, so a later hit joins a case only while it is still open.
  const playHistory = caseHistoryPlayer(ctx, team, options.now);
  for (let i = 0; i < payments.length; i += 100) {
    const chunk = [];
    for (const payment of payments.slice(i, i + 100)) {
      // Scored as they would have been at the time, through the same pipeline as live payments.
      const at = new Date(payment.timestamp);
      // At the rate in effect at the payment's time, as a live payment would be (issue 11 §1).
      const amountKes = toKesAt(payment.amount, engine.pipeline.kesRateFor(payment));
      const { configuration, choice } = engine.registry.choose(payment);
      const assessmentId = newAssessmentId(at);
      // A replay of history: not counted as live toggle checks.
      const outcome = await engine.pipeline.score(payment, amountKes, assessmentId, configuration, choice, performance.now(), { replay: true });
      engine.facts.observe({
        tenantId: payment.tenantId,
        customerId: payment.customerId,
        debtorAccount: payment.debtorAccount,
        deviceId: payment.deviceId,
        atMs: at.getTime(),
        amountKes,
      });
      chunk.push({ command: recordAssessments, input: { items: [{ assessmentId, payment, outcome }] }, at });
    }
    await ctx.bus.executeMany(chunk, SYSTEM_ACTOR);
    await playHistory();
    onProgress({ stage: 'payments', done: Math.min(i + 100, payments.length), total: payments.length });
  }
  await leaveOneBlockAwaitingApproval(ctx, team, options.now);
  // Issue 14: the core banking accounts the Open Banking APIs serve (balances as of the history's start) and a partner app.
  const openBankingApp = await seedDemoOpenBanking(
    ctx,
    admin,
    [
      { tenantId: DEMO_TENANT, customers: bank.customers },
      { tenantId: DEMO_SECOND_TENANT, customers: smallCustomers },
    ],
    { seed: DEMO_SEED + 3, historyStart: new Date(options.now.getTime() - (options.days + 1) * 86_400_000) },
  );

  onProgress({ stage: 'toggles', done: 0, total: 1 });
  await seedDemoToggles(ctx, admin, options.now);
  onProgress({ stage: 'risk register', done: 0, total: 1 });
  await seedDemoRiskRegister(ctx, team, options.now);
  await seedDemoAlertRules(ctx);
  // The rollup job may have run while the history was being written: every seeded day is rolled up
  // again now, so the dashboards agree with the lists they drill into from the first screen on.
  onProgress({ stage: 'dashboards', done: 0, total: 1 });
  await ctx.bus.execute(rollUpDashboards, { maxDays: options.days + 2 }, SYSTEM_ACTOR);
  const cases = await db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return { customers: customers.length, payments: payments.length, cases: Number(cases.n), openBankingApp };
}

/** What analysts write, by reason: each demo decision's note matches its reason code. */
const NOTES: Record<CaseAction, Partial<Record<ReasonCode, string[]>>> = {
  APPROVE: {
    VERIFIED_WITH_CUSTOMER: [
      'Called the customer on the registered number; confirmed the payment and the beneficiary.',
      'Customer travelling; confirmed via in-app secure message.',
    ],
    KNOWN_BENEFICIARY: ['Beneficiary has received regular payments from this account for over a year.'],
    BUSINESS_PATTERN_EXPLAINED: ['Matches the supplier invoice on file; amount consistent with the monthly pattern.'],
    FALSE_POSITIVE_RULE: ['Late-evening payment to a long-standing payee; nothing unusual beyond the hour.'],
  },
  BLOCK: {
    CUSTOMER_DENIED_TRANSACTION: ['Customer says they did not make this payment; card and app access suspended.'],
    SUSPECTED_ACCOUNT_TAKEOVER: ['Customer could not answer security questions; device not previously seen.'],
    SUSPECTED_SIM_SWAP: ['SIM swapped 2 hours before the transfer; new device and foreign IP.'],
    MULE_ACCOUNT: ['Beneficiary account opened last week and already received funds from 9 unrelated senders.'],
    SANCTIONS_CONCERN: ['Beneficiary bank sits on a restricted corridor; payment stopped pending sanctions review.'],
  },
  ESCALATE: {
    AML_SUSPICION: ['Structured transfers just below the reporting threshold; needs compliance review.'],
    HIGH_VALUE_NEEDS_APPROVAL: ['Value above analyst authority; refer to compliance for approval.'],
    NEEDS_COMPLIANCE_REVIEW: ['Source of funds unclear for a first large cross-border payment.'],
    UNABLE_TO_CONTACT_CUSTOMER: ['No answer on three call attempts; holding and escalating.'],
  },
};

function chooseAction(rng: Rng, level: string): { action: CaseAction; reasonCode: ReasonCode; note: string } {
  const roll = rng.float();
  const blockShare = level === 'CRITICAL' ? 0.45 : level === 'HIGH' ? 0.25 : 0.1;
  const action: CaseAction = roll < blockShare ? 'BLOCK' : roll < blockShare + 0.12 ? 'ESCALATE' : 'APPROVE';
  const byReason = NOTES[action];
  const reasonCode = rng.pick(Object.keys(byReason) as ReasonCode[]);
  return { action, reasonCode, note: rng.pick(byReason[reasonCode] ?? ['Reviewed the evidence.']) };
}

const COMMENTS = [
  'Called the customer twice, no answer. Will try again after 2 pm.',
  'Beneficiary bank confirmed the account is active and held by the named payee.',
  'Device first seen today; login from a new IP range in Nairobi West.',
  'Customer confirmed by SMS call-back; waiting for the signed letter.',
  'Checked the last 90 days: no similar payments to this beneficiary.',
];

/**
 * Plays the analysts' past work through the same commands the UI uses: cases from the last 24
 * hours are mostly still waiting (new or being worked), older cases were claimed, started and
 * decided; escalations went to the Escalations queue and were mostly resolved by compliance;
 * blocks above the four-eyes limit and CRITICAL closes were confirmed by a second approver (a few
 * recent ones still wait); some cases carry comments, tags, or wait for information.
 */
/** The team finds at least one big block waiting for a second approver (four-eyes) when it signs in. */
async function leaveOneBlockAwaitingApproval(ctx: ServiceContext, team: Map<string, Actor>, now: Date): Promise<void> {
  const db = ctx.db.kysely;
  const waiting = await db.selectFrom('cases').select('id').where('state', '=', 'AWAITING_APPROVAL').executeTakeFirst();
  if (waiting) return;
  const candidate = await db
    .selectFrom('cases')
    .select(['id', 'version', 'assignee_id'])
    .where('state', '=', 'IN_PROGRESS')
    .where('total_amount_kes', '>', 1_000_000)
    .orderBy('total_amount_kes', 'desc')
    .executeTakeFirst();
  const analyst = [...team.values()].find((member) => member.id === candidate?.assignee_id);
  if (!candidate || !analyst) return;
  await ctx.bus.execute(
    decideCase,
    {
      caseId: candidate.id,
      expectedVersion: candidate.version,
      action: 'BLOCK',
      reasonCode: 'SUSPECTED_SIM_SWAP',
      note: 'SIM swapped the day before; customer unreachable on the old number. Blocking pending approval.',
    },
    analyst,
    { at: new Date(now.getTime() - 25 * 60_000) },
  );
}

function caseHistoryPlayer(ctx: ServiceContext, team: Map<string, Actor>, now: Date): () => Promise<void> {
  const rng = createRng(DEMO_SEED + 1);
  const seen = new Set<string>();
  return async () => {
    const db = ctx.db.kysely;
    const rows = await db
      .selectFrom('cases')
      .select(['id', 'tenant_id', 'created_at', 'risk_level', 'sla_due_at'])
      .where('state', '=', 'NEW')
      .orderBy('created_at')
      .execute();
    await workCases(
      ctx,
      team,
      now,
      rng,
      rows.filter((r) => !seen.has(r.id) && seen.add(r.id)),
    );
  };
}

async function workCases(
  ctx: ServiceContext,
  team: Map<string, Actor>,
  now: Date,
  rng: Rng,
  rows: ReadonlyArray<{ id: string; tenant_id: string | null; created_at: Date | string; risk_level: string; sla_due_at: Date | string }>,
): Promise<void> {
  // Each case is worked by the analysts of its tenant.
  const analystsOf = (tenantId: string | null) => [...team.values()].filter((a) => a.role === 'FRAUD_ANALYST' && new TenantScope(a.tenants).allows(tenantId));
  const analysts = analystsOf(DEMO_TENANT);
  const compliance = team.get('wanjiru.njoroge');
  const manager = team.get('faith.wambui');
  if (analysts.length === 0 || !compliance || !manager) return;
  const db = ctx.db.kysely;
  const latest = now.getTime() - 60_000;
  const recentFrom = now.getTime() - 24 * 3_600_000;
  const version = async (id: string) => await db.selectFrom('cases').select(['version', 'state']).where('id', '=', id).executeTakeFirstOrThrow();
  for (const row of rows) {
    const created = new Date(toIso(row.created_at)).getTime();
    const own = analystsOf(row.tenant_id);
    const analyst = rng.pick(own.length > 0 ? own : analysts);
    // Work still open is mostly within its SLA; a quarter of what is past it was missed.
    const withinSla = new Date(toIso(row.sla_due_at)).getTime() > now.getTime();
    const recent = created > recentFrom && (withinSla || rng.chance(0.25));
    const roll = rng.float();
    if (recent && roll < 0.45) continue; // still new, nobody has it yet
    const claimedAt = Math.min(latest, created + rng.int(2, 30) * 60_000);
    const current = await version(row.id);
    if (current.state !== 'NEW') continue;
    await ctx.bus.execute(assignCase, { caseId: row.id, expectedVersion: current.version }, analyst, { at: new Date(claimedAt) });
    const startedAt = Math.min(latest, claimedAt + rng.int(1, 10) * 60_000);
    await ctx.bus.execute(startCase, { caseId: row.id, expectedVersion: (await version(row.id)).version }, analyst, { at: new Date(startedAt) });
    if (rng.chance(0.25)) {
      await ctx.bus.execute(addCaseComment, { caseId: row.id, body: rng.pick(COMMENTS) }, analyst, { at: new Date(Math.min(latest, startedAt + 60_000)) });
    }
    if (rng.chance(0.08)) {
      const tags = rng.pick([['sim-swap'], ['mule-network'], ['repeat-customer'], ['salary-day'], ['sim-swap', 'repeat-customer']]);
      await ctx.bus.execute(tagCase, { caseId: row.id, tags, expectedVersion: (await version(row.id)).version }, analyst, {
        at: new Date(Math.min(latest, startedAt + 90_000)),
      });
    }
    // Recent cases being worked (a few waiting for the customer), and a few older ones past their SLA.
    if ((recent && roll < 0.8) || (!recent && roll < 0.005)) {
      if (recent && rng.chance(0.15)) {
        await ctx.bus.execute(
          requestInfo,
          { caseId: row.id, expectedVersion: (await version(row.id)).version, note: 'Asked the customer for the invoice behind this payment.' },
          analyst,
          { at: new Date(Math.min(latest, startedAt + 120_000)) },
        );
      }
      continue;
    }
    const choice = chooseAction(rng, row.risk_level);
    const decidedAt = startedAt + rng.int(4, 120) * 60_000;
    if (decidedAt > latest) continue;
    await ctx.bus.execute(decideCase, { caseId: row.id, expectedVersion: (await version(row.id)).version, ...choice }, analyst, { at: new Date(decidedAt) });
    let after = await version(row.id);
    if (after.state === 'AWAITING_APPROVAL') {
      // A second approver confirms within a couple of hours; the last few hours' requests still wait.
      const approvedAt = decidedAt + rng.int(10, 120) * 60_000;
      if (approvedAt > latest || (decidedAt > now.getTime() - 6 * 3_600_000 && rng.chance(0.6))) continue;
      await ctx.bus.execute(
        decideApproval,
        { caseId: row.id, approve: true, note: 'Evidence reviewed; decision confirmed.', expectedVersion: after.version },
        rng.pick([compliance, manager]),
        { at: new Date(approvedAt) },
      );
      continue;
    }
    // Escalations of the last two days may still wait for compliance; older ones were resolved.
    if (choice.action !== 'ESCALATE' || (decidedAt > now.getTime() - 2 * 86_400_000 && rng.chance(0.3))) continue;
    const takenAt = decidedAt + rng.int(10, 90) * 60_000;
    const resolvedAt = takenAt + rng.int(20, 270) * 60_000;
    if (resolvedAt > latest) continue;
    await ctx.bus.execute(assignCase, { caseId: row.id, expectedVersion: after.version }, compliance, { at: new Date(takenAt) });
    const blocked = rng.chance(0.5);
    after = await version(row.id);
    await ctx.bus.execute(
      decideCase,
      {
        caseId: row.id,
        expectedVersion: after.version,
        action: blocked ? 'BLOCK' : 'APPROVE',
        reasonCode: blocked ? 'MULE_ACCOUNT' : 'BUSINESS_PATTERN_EXPLAINED',
        note: blocked
          ? 'Funds trail to accounts flagged in two earlier cases; STR filed with the FRC.'
          : 'Source of funds documented (sale agreement on file); released.',
      },
      compliance,
      { at: new Date(resolvedAt) },
    );
    after = await version(row.id);
    if (after.state === 'AWAITING_APPROVAL' && resolvedAt + 3_600_000 < latest) {
      await ctx.bus.execute(
        decideApproval,
        { caseId: row.id, approve: true, note: 'Agree with compliance; confirmed.', expectedVersion: after.version },
        manager,
        { at: new Date(resolvedAt + rng.int(10, 50) * 60_000) },
      );
    }
  }
}
