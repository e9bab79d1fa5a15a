import type { Kysely } from 'kysely';
import type { ServiceContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { SYSTEM_ACTOR, type Actor } from '../commands/bus.ts';
import { assessRisk, changeRiskStatus, createRisk } from '../risks/commands.ts';
import { createControl, recordControlTest } from '../risks/controls.ts';
import { createTreatment, createTreatmentAction } from '../risks/treatments.ts';
import { approveAcceptance, requestAcceptance } from '../risks/acceptances.ts';
import { seedDefaultRiskMatrix } from '../risks/matrix.ts';
import { createKri, recordKriMeasurement } from '../kris/commands.ts';
import { measureAutomaticKri } from '../kris/automatic.ts';
import { createRiskEvent } from '../risk-events/commands.ts';
import {
  ingestComplianceSync,
  ingestFxPositions,
  ingestLiquidityPosition,
  ingestLoans,
  ingestOperationalIncident,
  ingestTransactionOutcomes,
} from '../integration/commands.ts';
import { createRng } from './generator.ts';
import { CONTROLS, KRIS, RISKS, SECTORS } from './risk-register-data.ts';

/**
 * The demo bank's risk register (issue 13, README "Demo users"): risks, controls with their test
 * history, KRIs with months of measurements, events, treatments and acceptances — and the core
 * banking feeds (loan book, liquidity and FX positions, transaction outcomes, AML and sanctions)
 * that drive the automatic KRIs through seed 001's models. Every record goes through the same
 * commands as the API (ARCHITECTURE.md rule 1), dated in the past with the bus's `at`, so audit
 * trail, change log, breach events and owners' notifications are as real as the data.
 */

const DAY = 86_400_000;
const TENANT = 'WEKEZA-KE';

async function versionOf(db: Kysely<Database>, table: 'risks', id: string): Promise<number> {
  const row = await db.selectFrom(table).select('version').where('id', '=', id).executeTakeFirstOrThrow();
  return Number(row.version);
}

export interface DemoRegisterSummary {
  risks: number;
  controls: number;
  kris: number;
}

/** Seeds the register; `team` holds the demo users by username. Runs once, on an empty register. */
export async function seedDemoRiskRegister(ctx: ServiceContext, team: Map<string, Actor>, now: Date): Promise<DemoRegisterSummary | null> {
  const db = ctx.db.kysely;
  if (await db.selectFrom('risks').select('id').limit(1).executeTakeFirst()) return null;
  const bus = ctx.bus;
  const rng = createRng(20_261_204);
  const ago = (days: number, hours = 0) => new Date(now.getTime() - days * DAY - hours * 3_600_000);
  const user = (username: string) => {
    const actor = team.get(username);
    if (!actor) throw new Error(`demo user ${username} is missing`);
    return actor;
  };
  const manager = user('faith.wambui');
  const officer = user('peter.mwangi');
  const start = ago(200);
  await bus.execute(seedDefaultRiskMatrix, {}, SYSTEM_ACTOR, { at: start });

  // The register, assessed.
  const risks = new Map<string, string>();
  for (const seed of RISKS) {
    const created = await bus.execute(
      createRisk,
      {
        tenantId: seed.tenant ?? TENANT,
        title: seed.title,
        description: seed.description,
        category: seed.category,
        businessUnit: seed.unit,
        ownerId: user(seed.owner).id,
        causes: seed.causes,
        consequences: seed.consequences,
      },
      manager,
      { at: ago(seed.assessedDaysAgo + 30) },
    );
    risks.set(seed.key, created.id);
  }

  // Controls with their test history (the residual follows each test).
  let controls = 0;
  for (const seed of CONTROLS) {
    const owner = user(seed.owner);
    const control = await bus.execute(
      createControl,
      {
        tenantId: seed.tenant ?? TENANT,
        name: seed.name,
        description: seed.description,
        type: seed.type,
        ownerId: owner.id,
        frequency: seed.frequency,
        riskIds: seed.risks.map((key) => risks.get(key)!),
      },
      manager,
      { at: ago(260) },
    );
    controls += 1;
    for (const [days, result, notes] of seed.tests) {
      await bus.execute(recordControlTest, { controlId: control.id, result, notes }, owner.role === 'RISK_MANAGER' ? manager : owner, { at: ago(days, 3) });
    }
  }

  for (const seed of RISKS) {
    const id = risks.get(seed.key)!;
    const owner = user(seed.owner);
    const assessor = owner.role === 'COMPLIANCE_OFFICER' || owner.role === 'RISK_OFFICER' ? owner : manager;
    await bus.execute(
      assessRisk,
      {
        riskId: id,
        inherentLikelihood: seed.inherent[0],
        inherentImpact: seed.inherent[1],
        ...(seed.current ? { currentLikelihood: seed.current[0], currentImpact: seed.current[1] } : {}),
        note: 'Annual risk and control self-assessment',
        expectedVersion: await versionOf(db, 'risks', id),
      },
      assessor,
      { at: ago(seed.assessedDaysAgo) },
    );
  }

  // Treatment plans with actions (one action overdue).
  const plans: Array<[string, string, string, string, number, Array<[string, string, number]>]> = [
    [
      'simswap',
      'MITIGATE',
      'Real-time SIM-swap data from all three MNOs',
      'Replace the batch SIM-swap file with the MNOs’ real-time APIs and hold transfers on a recent swap.',
      45,
      [
        ['Sign API agreement with Safaricom', 'faith.wambui', 10],
        ['Integrate Airtel and Telkom APIs', 'peter.mwangi', 40],
      ],
    ],
    [
      'realestate',
      'MITIGATE',
      'Bring real-estate exposure below 25 %',
      'Sell down two syndicated construction loans and cap new approvals until the share is back within appetite.',
      120,
      [['Mandate arranger for the syndication sell-down', 'faith.wambui', -5]],
    ],
    [
      'outage',
      'MITIGATE',
      'Active-active core banking across two data centres',
      'Move the core banking database to synchronous replication with automatic failover.',
      180,
      [
        ['Vendor design review', 'peter.mwangi', -12],
        ['Second data-centre network links', 'peter.mwangi', 60],
      ],
    ],
  ];
  for (const [key, strategy, title, description, dueInDays, actions] of plans) {
    const riskId = risks.get(key)!;
    const plan = await bus.execute(
      createTreatment,
      { riskId, strategy, title, description, ownerId: manager.id, dueDate: isoDate(new Date(now.getTime() + dueInDays * DAY)) },
      manager,
      { at: ago(18) },
    );
    for (const [actionTitle, owner, dueIn] of actions) {
      await bus.execute(
        createTreatmentAction,
        { riskId, treatmentId: plan.id, title: actionTitle, ownerId: user(owner).id, dueDate: isoDate(new Date(now.getTime() + dueIn * DAY)) },
        manager,
        { at: ago(18) },
      );
    }
  }

  // Statuses once plans exist (TREATED needs a treatment plan or an approved acceptance).
  for (const seed of RISKS) {
    if (!seed.status || seed.status === 'ASSESSED') continue;
    const id = risks.get(seed.key)!;
    await bus.execute(
      changeRiskStatus,
      {
        riskId: id,
        status: seed.status,
        note: seed.status === 'TREATED' ? 'Treatment plan agreed' : 'Controls in place; monitored by KRIs',
        expectedVersion: await versionOf(db, 'risks', id),
      },
      manager,
      { at: ago(Math.min(Math.max(1, seed.assessedDaysAgo - 2), 17)) },
    );
  }

  // Acceptance: one waiting for a second person, one approved that runs out in two months.
  await bus.execute(
    requestAcceptance,
    {
      riskId: risks.get('social')!,
      justification: 'Residual reputational exposure is within appetite; social listening covers business hours.',
      expiresAt: new Date(now.getTime() + 180 * DAY).toISOString(),
    },
    officer,
    { at: ago(2) },
  );
  const accepted = await bus.execute(
    requestAcceptance,
    {
      riskId: risks.get('fintech')!,
      justification: 'The board accepted slower digital lending growth for FY2026 while the new lending platform is built.',
      expiresAt: new Date(now.getTime() + 60 * DAY).toISOString(),
    },
    officer,
    { at: ago(30) },
  );
  await bus.execute(approveAcceptance, { acceptanceId: accepted.id, note: 'Approved per board minute 14/2026', expectedVersion: accepted.version }, manager, {
    at: ago(29),
  });

  // KRIs: manual ones with their history, automatic ones fed below.
  const kris = new Map<string, string>();
  for (const seed of KRIS) {
    const created = await bus.execute(
      createKri,
      {
        tenantId: TENANT,
        name: seed.name,
        description: seed.description,
        unit: seed.unit,
        direction: seed.direction,
        thresholdWarning: seed.warning,
        thresholdCritical: seed.critical,
        frequency: seed.frequency,
        dataSource: seed.dataSource,
        ownerId: user(seed.owner).id,
        measurement: seed.metric ? 'AUTOMATIC' : 'MANUAL',
        metric: seed.metric ?? null,
        riskIds: seed.risks.map((key) => risks.get(key)!),
      },
      manager,
      { at: ago(200) },
    );
    kris.set(seed.name, created.id);
    for (const [days, value, note] of seed.history ?? []) {
      await bus.execute(recordKriMeasurement, { kriId: created.id, value, note }, user(seed.owner), { at: ago(days) });
    }
  }

  // What core banking feeds, oldest first: the automatic KRIs measure on each delivery.
  const feed = async <I>(command: Parameters<typeof bus.execute>[0], body: I, at: Date, key: string) =>
    bus.execute(command as never, { tenantId: TENANT, idempotencyKey: key, body } as never, SYSTEM_ACTOR, { at });
  for (let week = 11; week >= 0; week -= 1) {
    const at = ago(week * 7 + 1, -6);
    const drift = (11 - week) / 11;
    // Loan book: real estate creeps past appetite, SME arrears rise.
    const loans = [];
    for (let i = 0; i < 140; i += 1) {
      const [sector, share] = SECTORS[i % SECTORS.length]!;
      const tilt = sector === 'Real Estate' ? 1 + drift * 0.45 : 1 - drift * 0.05;
      const dpd =
        rng.float() < 0.05 + drift * 0.05 && (sector === 'Trade' || sector === 'Transport') ? 95 + Math.floor(rng.float() * 60) : Math.floor(rng.float() * 20);
      const outstandingBalance = Math.round(share * 40_000_000_000 * tilt * (0.6 + ((i * 37) % 80) / 100)) / 7;
      loans.push({
        loanId: `LN-${String(100_000 + i)}`,
        customerId: `CIF-${String(20_000 + i)}`,
        sector,
        outstandingBalance,
        daysPastDue: dpd,
        collateralValue: sector === 'Personal' ? 0 : Math.round(outstandingBalance * 0.7),
        // IFRS 9: a general 1 % on performing loans, about two thirds of a defaulted balance.
        provision: Math.round(outstandingBalance * (dpd >= 90 ? 0.65 : 0.01)),
        status: dpd >= 90 ? 'DEFAULTED' : 'ACTIVE',
      });
    }
    await feed(ingestLoans, { loans }, at, `demo-loans-w${week}`);
    // Treasury: the LCR drifts down towards the warning line, the USD position grows.
    const outflows = 60_000_000_000 * (1 + drift * 0.4);
    await feed(
      ingestLiquidityPosition,
      {
        asOf: at.toISOString(),
        currency: 'KES',
        hqla: { level1: 62_000_000_000 - drift * 3_000_000_000, level2a: 9_000_000_000, level2b: 3_500_000_000 },
        outflows30d: outflows,
        inflows30d: outflows * 0.3,
        availableStableFunding: 410_000_000_000,
        requiredStableFunding: 352_000_000_000 + drift * 20_000_000_000,
      },
      at,
      `demo-liquidity-w${week}`,
    );
    await feed(
      ingestFxPositions,
      {
        asOf: at.toISOString(),
        capital: 95_000_000_000,
        positions: [
          { currency: 'USD', long: 21_000_000_000 + drift * 2_400_000_000, short: 15_500_000_000 },
          { currency: 'EUR', long: 1_900_000_000, short: 1_200_000_000 },
          { currency: 'GBP', long: 600_000_000, short: 850_000_000 },
          { currency: 'UGX', long: 300_000_000, short: 90_000_000 },
        ],
      },
      at,
      `demo-fx-w${week}`,
    );
    // Compliance: the AML backlog grows; sanctions matches wait for review.
    const openAml = 10 + Math.round(drift * 14);
    await feed(
      ingestComplianceSync,
      {
        amlCases: Array.from({ length: openAml }, (_, i) => ({
          caseId: `AML-2026-${String(300 + i).padStart(4, '0')}`,
          status: i % 3 === 0 ? 'UnderInvestigation' : 'Open',
          riskScore: 50 + ((i * 7) % 50),
          assignedTo: 'compliance-team',
        })),
        sanctionsScreenings: Array.from({ length: 2 + Math.round(drift * 5) }, (_, i) => ({
          screeningId: `SCR-2026-${String(900 + i).padStart(4, '0')}`,
          matchCount: 1 + (i % 3),
          status: 'PendingReview',
        })),
      },
      at,
      `demo-compliance-w${week}`,
    );
  }
  // Transaction outcomes for the last 10 days; the month-end outage shows as a spike.
  for (let day = 9; day >= 0; day -= 1) {
    const at = ago(day, 1);
    const failureRate = day === 1 ? 0.061 : 0.008 + rng.float() * 0.01;
    const outcomes = Array.from({ length: 250 }, (_, i) => ({
      transactionId: `TX-${isoDate(at).replace(/-/g, '')}-${String(i).padStart(5, '0')}`,
      occurredAt: new Date(at.getTime() - i * 300_000).toISOString(),
      status: rng.float() < failureRate ? 'FAILED' : 'SUCCEEDED',
      ...(day === 1 ? { reason: 'Core banking timeout' } : {}),
    }));
    await feed(ingestTransactionOutcomes, { outcomes }, at, `demo-outcomes-d${day}`);
  }
  await feed(
    ingestOperationalIncident,
    {
      incidentId: 'INC-2026-1187',
      incidentType: 'SystemOutage',
      severity: 'High',
      affectedSystem: 'Core Banking System',
      'downtime Minutes': 130,
      financialImpact: 50_000,
      description: 'Storage controller failure stopped the core banking database during month-end salary runs.',
      occurredAt: ago(1, 2).toISOString(),
    },
    ago(1, 1),
    'demo-incident-1187',
  );

  // Events recorded by people.
  const events: Array<[string, 'INCIDENT' | 'LOSS' | 'NEAR_MISS', 'LOW' | 'MEDIUM' | 'HIGH', string, string, number, number | null]> = [
    ['cnp', 'LOSS', 'HIGH', 'ATM cash-out ring using cloned cards', 'Cloned cards used at 14 ATMs in Nairobi over one weekend.', 24, 2_400_000],
    [
      'cnp',
      'LOSS',
      'MEDIUM',
      'Card-testing burst on an online merchant',
      'Bot tested 3,100 card numbers; 41 authorised before the merchant was blocked.',
      16,
      150_000.5,
    ],
    [
      'dpa',
      'NEAR_MISS',
      'HIGH',
      'Phishing e-mail to branch staff reported',
      'A spoofed HR e-mail asked for passwords; 3 staff clicked, none entered credentials.',
      8,
      null,
    ],
    ['agents', 'LOSS', 'MEDIUM', 'Counterfeit notes at an agent in Eldoret', 'KES 1,000 counterfeits accepted over two weeks.', 40, 85_000],
    [
      'insider',
      'INCIDENT',
      'HIGH',
      'Dormant account reactivated without customer',
      'Teller reactivated a dormant account and moved funds; stopped by the daily dormant-account report.',
      55,
      320_000,
    ],
  ];
  for (const [key, type, severity, title, description, days, impact] of events) {
    await bus.execute(
      createRiskEvent,
      {
        tenantId: TENANT,
        riskId: risks.get(key)!,
        type,
        severity,
        title,
        description,
        occurredAt: ago(days, 5).toISOString(),
        ...(impact === null ? {} : { financialImpact: impact, currency: 'KES' }),
      },
      officer,
      { at: ago(days, 2) },
    );
  }
  // What the scheduler would have measured by now for the automatic KRIs (the service's own data too).
  for (const seed of KRIS) if (seed.metric) await bus.execute(measureAutomaticKri, { kriId: kris.get(seed.name)! }, SYSTEM_ACTOR, { at: now });
  return { risks: RISKS.length, controls, kris: kris.size };
}

function isoDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}
