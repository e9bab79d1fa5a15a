import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { stopTestPostgres } from '../../testing/databases.ts';
import { act, createTeam, login, openCases, PROOF_ADMIN_PASSWORD, PROOF_PASSWORD, sleep, type Action, type TeamMember } from './harness-fixture.ts';
import { checkActions, checkConverged, waitDrained, type NodeView } from './invariants-fixture.ts';
import { seededRandom } from './lossy-network.ts';
import { killAll, startHub, startWorkstation, stopService, type HubHandle, type WorkstationHandle } from './processes-fixture.ts';

/**
 * kill -9 at labelled points (issue 12 "Proof"; service/src/util/crash-points.ts): the built
 * service as real processes — a hub on PostgreSQL, two workstations on SQLite. Each round arms one
 * crash point (WEKEZA_CRASH_AT=label:n) in one process, lets people act until it dies there,
 * restarts it without the crash, lets everything heal, and checks: every action acknowledged before
 * the kill is at the hub exactly once (or in its Conflicts inbox), one killed before its local
 * commit is nowhere, one killed right after it is at the hub once, nothing twice, and both
 * workstations equal the hub. Rounds: WEKEZA_PROOF_KILL_ROUNDS (default 10, two per label);
 * seed: WEKEZA_PROOF_SEED.
 */

const LABELS = ['ws.before-local-commit', 'ws.after-local-commit', 'ws.pull.mid-page', 'hub.push.after-commit', 'hub.changes.mid-page'] as const;
type Label = (typeof LABELS)[number];
const ROUNDS = Number(process.env.WEKEZA_PROOF_KILL_ROUNDS) || 10;
const SEED = process.env.WEKEZA_PROOF_SEED ? Number(process.env.WEKEZA_PROOF_SEED) : Math.floor(Math.random() * 2 ** 31);
const DRAIN_TIMEOUT_MS = 60_000;

after(stopTestPostgres);

interface Node {
  view: NodeView;
  member: TeamMember;
  ws: WorkstationHandle;
}

describe('kill -9 at labelled points: a hub on PostgreSQL and two workstations on SQLite', { timeout: 1_200_000 }, () => {
  let hub: HubHandle;
  let adminToken: string;
  let team: Record<string, TeamMember>;
  const nodes: Node[] = [];

  before(async () => {
    hub = await startHub();
    adminToken = (await login(hub.url, 'admin', PROOF_ADMIN_PASSWORD)).token;
    team = await createTeam(hub.url, adminToken);
    await openCases(hub.url, adminToken, 4);
    for (const member of [team['amina.otieno']!, team['wanjiru.njoroge']!]) {
      const ws = await startWorkstation(`ws-${member.username.split('.')[0]}`, hub.url);
      const token = (await login(ws.process.url, member.username, PROOF_PASSWORD)).token;
      nodes.push({ view: { name: ws.name, url: ws.process.url, token, userId: member.id }, member, ws });
    }
    await waitDrained(
      hub.sql,
      nodes.map((n) => n.view),
      DRAIN_TIMEOUT_MS,
    );
  });

  after(async () => {
    for (const n of nodes) await n.ws.close().catch(() => {});
    await hub?.close().catch(() => {});
    await killAll();
  });

  /**
   * (Re)starts a workstation, optionally armed, and signs its user in again (at the hub when it
   * answers). An armed one may die at its crash point (a pull) before it is ready or signed in:
   * answers true then.
   */
  async function restartWorkstation(node: Node, crashAt?: string): Promise<boolean> {
    await stopService(node.ws.process);
    try {
      await node.ws.start(crashAt);
      node.view.url = node.ws.process.url;
      node.view.token = (await login(node.view.url, node.member.username, PROOF_PASSWORD)).token;
      return false;
    } catch (error) {
      if (crashAt && String(error).includes(`crash point ${crashAt.split(':')[0]} reached`)) return true;
      // Died while we signed in: the broken connection may be noticed before the exit.
      if (crashAt) await Promise.race([node.ws.process.ended, sleep(3_000)]);
      if (crashAt && !node.ws.process.alive()) return true;
      throw error;
    }
  }

  /** (Re)starts the hub, optionally armed; an armed hub may die at its crash point before it even says it is ready (answers true). */
  async function restartHub(crashAt?: string): Promise<boolean> {
    await stopService(hub.process);
    try {
      await hub.start(crashAt);
      return false;
    } catch (error) {
      if (crashAt && String(error).includes(`crash point ${crashAt.split(':')[0]} reached`)) return true;
      throw error;
    }
  }

  it('loses nothing, applies nothing twice and converges after every kill', async () => {
    console.log(`kill -9 proof: seed ${SEED} (WEKEZA_PROOF_SEED reproduces the choices)`);
    const random = seededRandom(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const actions: Action[] = [];
    const figures = { seed: SEED, rounds: 0, killsAtLabel: 0, killedByTest: 0, byLabel: {} as Record<string, number>, slowestHealSeconds: 0 };
    const order = [...LABELS].sort(() => random() - 0.5);
    const everyone = Object.values(team).map((m) => m.id);

    for (let round = 0; round < ROUNDS; round++) {
      const label: Label = order[round % order.length]!;
      const n = 1 + Math.floor(random() * 3);
      const onHub = label.startsWith('hub.');
      const target = onHub ? null : pick(nodes);
      const crashAt = `${label}:${n}`;
      const diedEarly = target ? await restartWorkstation(target, crashAt) : await restartHub(crashAt);
      const targetAlive = () => !diedEarly && (target ? target.ws.process.alive() : hub.process.alive());

      // People act until the armed process dies (or a handful of actions later); colleagues at the hub too.
      // An armed workstation acts most (its n-th case action is where it dies) and is given up to a dozen tries.
      const steps = target ? 12 : 4 + Math.floor(random() * 4);
      for (let s = 0; s < steps; s++) {
        if (random() < 0.25 && hub.process.alive()) {
          await act({ name: 'hub', url: hub.url, token: adminToken, userId: '' }, Math.floor(random() * 3), Math.floor(random() * 50), everyone).catch(
            () => null,
          );
          continue;
        }
        const alive = nodes.filter((x) => x.ws.process.alive());
        const node = target && alive.includes(target) && random() < 0.75 ? target : pick(alive);
        if (!node) break;
        const done = await act(node.view, Math.floor(random() * 3), Math.floor(random() * 50), everyone).catch(() => null);
        if (!done) continue;
        if (node === target && done.status === 0) {
          // Killed while acting: before the local commit nothing may remain; after it, the action must reach the hub.
          if (label === 'ws.before-local-commit') done.expect = 'never';
          if (label === 'ws.after-local-commit') done.expect = 'once';
        }
        actions.push(done);
        if (target && !targetAlive()) break;
      }
      // A pull page or a hub page may still be on its way to the crash point.
      const deadline = Date.now() + 3_000;
      while (targetAlive() && Date.now() < deadline) await sleep(100);
      const victim = target ? target.ws.process : hub.process;
      let atLabel = diedEarly;
      if (!diedEarly) {
        if (victim.alive()) {
          figures.killedByTest += 1;
          victim.child.kill('SIGKILL');
        }
        const how = await victim.ended;
        assert.equal(how.signal, 'SIGKILL', `${victim.name} ended with ${how.code}/${how.signal}, not by kill -9\n${victim.logs().slice(-2000)}`);
        atLabel = victim.logs().includes(`crash point ${label} reached`);
      }
      if (atLabel) {
        figures.killsAtLabel += 1;
        figures.byLabel[label] = (figures.byLabel[label] ?? 0) + 1;
      }

      // Restart without the crash point, let it heal, check everything so far.
      // (Hub sessions outlive a hub restart: the workstations carry on with them.)
      if (target) await restartWorkstation(target);
      else await hub.start();
      const healSeconds = await waitDrained(
        hub.sql,
        nodes.map((x) => x.view),
        DRAIN_TIMEOUT_MS,
      );
      figures.slowestHealSeconds = Math.max(figures.slowestHealSeconds, Math.round(healSeconds * 10) / 10);
      for (const x of nodes) await checkConverged(hub.sql, x.view);
      await checkActions(
        hub.sql,
        nodes.map((x) => x.view),
        actions,
      );
      figures.rounds += 1;
    }
    console.log(`kill -9 proof: ${JSON.stringify({ ...figures, actions: actions.length, acknowledged: actions.filter((a) => a.acknowledged).length })}`);
    assert.ok(figures.killsAtLabel >= Math.ceil(ROUNDS / 2), `at least half the kills happen at their labelled point (${figures.killsAtLabel} of ${ROUNDS})`);
  });
});
