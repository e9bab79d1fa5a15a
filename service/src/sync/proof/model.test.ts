import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql as rawSql } from 'kysely';
import fc from 'fast-check';
import pino from 'pino';
import { startService, type RunningService } from '../../app.ts';
import { createTestDatabase, DIALECTS, stopTestPostgres, type TestDatabase } from '../../testing/databases.ts';
import { act, createTeam, login, openCases, PROOF_ADMIN_PASSWORD, PROOF_PASSWORD, type Action, type TeamMember } from './harness-fixture.ts';
import { checkActions, checkConverged, waitDrained, type HubSql, type NodeView } from './invariants-fixture.ts';
import { LossyNetwork, PERFECT, seededRandom, type Faults } from './lossy-network.ts';

after(stopTestPostgres);

/**
 * Model-based proof of sync (issue 12 "Proof"): a real hub and three real workstations in this
 * process, each workstation reaching the hub through its own lossy network (lossy-network.ts).
 * fast-check generates what happens: users acting on their workstations through the
 * workstations' HTTP API, colleagues acting at the hub, networks losing, repeating, delaying and
 * reordering messages or cut off altogether, and heals. After each heal and at the end:
 * - every action a workstation acknowledged is at the hub exactly once, or in that workstation's
 *   Conflicts inbox — never lost, never both, never twice;
 * - a versioned action was applied only on the version the user saw (nothing overwritten without
 *   a conflict record);
 * - every workstation's cache equals the hub's rows of its user's scope (versions, states,
 *   assignees, outcomes, comments).
 * Reproduce a failure with WEKEZA_PROOF_SEED=<seed> (and WEKEZA_PROOF_PATH=<path>) as printed.
 */

const NUM_RUNS = Number(process.env.WEKEZA_PROOF_RUNS) || 8;
const SEED = process.env.WEKEZA_PROOF_SEED ? Number(process.env.WEKEZA_PROOF_SEED) : undefined;
const PATH = process.env.WEKEZA_PROOF_PATH;
const DRAIN_TIMEOUT_MS = 45_000;
const silent = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

type Step =
  | { kind: 'act'; ws: number; pickCase: number; pickAction: number }
  | { kind: 'hub-act'; pickCase: number; pickAction: number }
  /** A workstation cut off acts on the newest case, and so does someone else (another workstation, or a colleague at the hub). */
  | { kind: 'collide'; ws: number; other: number; pickAction: number; otherAction: number }
  | { kind: 'network'; ws: number; faults: Faults }
  | { kind: 'wait'; ms: number }
  | { kind: 'heal' };

const faultsArb: fc.Arbitrary<Faults> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ dropRequest: 0, dropAnswer: 0, duplicate: 0, maxDelayMs: 0, partitioned: true }) },
  {
    weight: 3,
    arbitrary: fc.record({
      dropRequest: fc.constantFrom(0, 0.2, 0.5),
      dropAnswer: fc.constantFrom(0, 0.2, 0.5),
      duplicate: fc.constantFrom(0, 0.5, 0.9),
      maxDelayMs: fc.constantFrom(0, 30, 150),
      partitioned: fc.constant(false),
    }),
  },
);

const WORKSTATIONS = 3;
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  // Picks among the three newest cases, so that people collide on the same case now and then.
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('act' as const), ws: fc.nat(WORKSTATIONS - 1), pickCase: fc.nat(2), pickAction: fc.nat(50) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('hub-act' as const), pickCase: fc.nat(2), pickAction: fc.nat(50) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('network' as const), ws: fc.nat(WORKSTATIONS - 1), faults: faultsArb }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('collide' as const),
      ws: fc.nat(WORKSTATIONS - 1),
      other: fc.nat(WORKSTATIONS),
      pickAction: fc.nat(50),
      otherAction: fc.nat(50),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.constantFrom(50, 300, 800) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'heal' as const }) },
);
const scenarioArb = fc.record({ networkSeed: fc.nat(), steps: fc.array(stepArb, { minLength: 6, maxLength: 18 }) });

interface Workstation {
  node: NodeView;
  service: RunningService;
  network: LossyNetwork;
  dataDir: string;
}

for (const dialect of DIALECTS) {
  describe(`sync model: a hub on ${dialect}, three workstations on lossy networks`, { timeout: 900_000 }, () => {
    let database: TestDatabase;
    let hub: RunningService;
    let sql: HubSql;
    let adminToken: string;
    let team: Record<string, TeamMember>;
    const open: Workstation[] = [];

    before(async () => {
      database = await createTestDatabase(dialect);
      hub = await startService({
        mode: 'hub',
        host: '127.0.0.1',
        port: 0,
        dataDir: database.dataDir,
        database: database.target,
        rendererDir: null,
        logger: silent,
        env: { WEKEZA_ADMIN_PASSWORD: PROOF_ADMIN_PASSWORD },
        checkResponses: true,
        rateLimits: { userPerMinute: 1_000_000, anonymousPerMinute: 1_000_000, clientPerMinute: 1_000_000 },
      });
      const db = hub.context.db.kysely;
      sql = async (text) => (await rawSql.raw<Record<string, unknown>>(text).execute(db)).rows;
      adminToken = (await login(hub.url, 'admin', PROOF_ADMIN_PASSWORD)).token;
      team = await createTeam(hub.url, adminToken);
    });

    after(async () => {
      for (const ws of open.splice(0)) await closeWorkstation(ws);
      await hub?.close();
      await database?.drop();
    });

    async function startWorkstation(member: TeamMember, network: LossyNetwork): Promise<Workstation> {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekeza-proof-ws-'));
      const service = await startService({
        mode: 'workstation',
        host: '127.0.0.1',
        port: 0,
        dataDir,
        database: { kind: 'sqlite', file: path.join(dataDir, 'workstation.sqlite'), foreignKeys: false },
        hubUrl: hub.url,
        hubTransport: network.transport,
        rendererDir: null,
        logger: silent,
        env: {},
        checkResponses: true,
      });
      const ws: Workstation = { node: { name: member.username, url: service.url, token: '', userId: member.id }, service, network, dataDir };
      open.push(ws);
      ws.node.token = (await login(service.url, member.username, PROOF_PASSWORD)).token;
      return ws;
    }

    async function closeWorkstation(ws: Workstation): Promise<void> {
      ws.network.heal();
      await ws.service.close().catch(() => {});
      await ws.network.settle();
      fs.rmSync(ws.dataDir, { recursive: true, force: true });
    }

    async function healAndCheck(workstations: Workstation[], actions: Action[]): Promise<{ drainSeconds: number; applied: number; conflicts: number }> {
      for (const ws of workstations) ws.network.heal();
      const nodes = workstations.map((w) => w.node);
      const drainSeconds = await waitDrained(sql, nodes, DRAIN_TIMEOUT_MS);
      for (const node of nodes) await checkConverged(sql, node);
      const { applied, conflicts } = await checkActions(sql, nodes, actions);
      return { drainSeconds, applied, conflicts };
    }

    it('loses no acknowledged action, applies none twice, overwrites nothing silently, and every workstation converges', async () => {
      const totals = { runs: 0, actions: 0, acknowledged: 0, applied: 0, conflicts: 0, lostRequests: 0, lostAnswers: 0, replays: 0, slowestDrain: 0 };
      const members = [team['amina.otieno']!, team['brian.kamau']!, team['wanjiru.njoroge']!];
      await fc.assert(
        fc.asyncProperty(scenarioArb, async ({ networkSeed, steps }) => {
          await openCases(hub.url, adminToken, 3);
          const workstations: Workstation[] = [];
          const actions: Action[] = [];
          try {
            for (const [i, member] of members.entries()) workstations.push(await startWorkstation(member, new LossyNetwork(seededRandom(networkSeed + i))));
            // The first sync finishes before anyone acts (the cache starts as the hub's).
            await waitDrained(
              sql,
              workstations.map((w) => w.node),
              DRAIN_TIMEOUT_MS,
            );
            for (const step of steps) {
              if (step.kind === 'act') {
                const ws = workstations[step.ws]!;
                const done = await act(
                  ws.node,
                  step.pickCase,
                  step.pickAction,
                  members.map((m) => m.id),
                );
                if (!done) continue;
                actions.push(done);
                // A case action works offline: the workstation may refuse it (stale, not allowed) but never fails it.
                assert.ok(done.status < 500, `${done.node} answered ${done.status} to ${done.command}: a case action must work without the hub`);
              } else if (step.kind === 'collide') {
                const ws = workstations[step.ws]!;
                ws.network.faults = { ...PERFECT, partitioned: true };
                const mine = await act(
                  ws.node,
                  0,
                  step.pickAction,
                  members.map((m) => m.id),
                );
                if (mine) actions.push(mine);
                const other = step.other === step.ws || step.other >= workstations.length ? null : workstations[step.other]!;
                const theirs = await act(
                  other ? other.node : { name: 'hub', url: hub.url, token: adminToken, userId: '' },
                  0,
                  step.otherAction,
                  members.map((m) => m.id),
                );
                if (other && theirs) actions.push(theirs);
                for (const a of [mine, theirs]) assert.ok(!a || a.status < 500, `${a?.node} answered ${a?.status} to ${a?.command}`);
              } else if (step.kind === 'hub-act') {
                await act(
                  { name: 'hub', url: hub.url, token: adminToken, userId: '' },
                  step.pickCase,
                  step.pickAction,
                  members.map((m) => m.id),
                );
              } else if (step.kind === 'network') {
                workstations[step.ws]!.network.faults = step.faults;
              } else if (step.kind === 'wait') {
                await new Promise((resolve) => setTimeout(resolve, step.ms));
              } else {
                const round = await healAndCheck(workstations, actions);
                totals.slowestDrain = Math.max(totals.slowestDrain, round.drainSeconds);
              }
            }
            const end = await healAndCheck(workstations, actions);
            totals.slowestDrain = Math.max(totals.slowestDrain, end.drainSeconds);
            totals.runs += 1;
            totals.actions += actions.length;
            totals.acknowledged += actions.filter((a) => a.acknowledged).length;
            totals.applied += end.applied;
            totals.conflicts += end.conflicts;
            for (const ws of workstations) {
              totals.lostRequests += ws.network.stats.lostRequests;
              totals.lostAnswers += ws.network.stats.lostAnswers;
              totals.replays += ws.network.stats.replays;
            }
          } finally {
            for (const ws of workstations) {
              open.splice(open.indexOf(ws), 1);
              await closeWorkstation(ws);
            }
          }
        }),
        { numRuns: NUM_RUNS, endOnFailure: !process.env.WEKEZA_PROOF_SHRINK, ...(SEED !== undefined ? { seed: SEED } : {}), ...(PATH ? { path: PATH } : {}) },
      );
      console.log(`sync model on ${dialect}: ${JSON.stringify(totals)}`);
      assert.ok(totals.acknowledged > 0, 'the runs acknowledged actions at all');
    });
  });
}
