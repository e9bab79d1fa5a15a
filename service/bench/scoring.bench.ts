/**
 * npm run bench:scoring — how fast the decision engine decides and persists (issue 3 §7).
 *
 * 1. In-process: decisions/s of the default rule set on demo payments (facts warmed with a week
 *    of demo history, anomaly model trained), next to a baseline of JSON round-trips of the same
 *    payments measured in the same run.
 * 2. HTTP, for standalone (SQLite) and hub (PostgreSQL): the real service in its own process,
 *    driven by autocannon: a bare endpoint (GET /health) at saturation; POST assessments at
 *    saturation (each one persisted: counted in the database afterwards); POST assessments at a
 *    constant 10,000/s. Targets on a 2-core machine: ≥ 20,000 persisted/s, ≥ half the bare rate,
 *    p99 ≤ 20 ms at 10,000/s.
 *
 * Options (environment): BENCH_SECONDS (default 10), BENCH_MODES (standalone,hub),
 * TEST_DATABASE_URL (hub on an existing PostgreSQL instead of embedded PostgreSQL 18).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';
import { generateDemoCustomers, generatePayments } from '../src/demo/generator.ts';
import { newConfigurationTemplate } from '../../shared/src/decision-engine-defaults.ts';
import type { PaymentInput } from '../../shared/src/payments.ts';
import { compileRuleSet, evaluateLocal } from '../src/scoring/engine.ts';
import { ScoringFacts } from '../src/scoring/facts.ts';
import { toKes } from '../src/scoring/fx.ts';
import { zoneOffsetMinutes } from '../src/scoring/local-time.ts';
import { anomalyFeatures } from '../src/scoring/anomaly/features.ts';
import { trainModel, scorerFor } from '../src/decision-engine/anomaly-model.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const MODES = (process.env.BENCH_MODES ?? 'standalone,hub')
  .split(',')
  .map((m) => m.trim())
  .filter(Boolean);
const ADMIN_PASSWORD = 'Bench-Admin-Password-2026';
const root = path.resolve(import.meta.dirname, '../..');

const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function demoPayments(count: number, days: number): PaymentInput[] {
  const now = new Date();
  const customers = generateDemoCustomers({ seed: 7_2026, count: 3000, now });
  const out: PaymentInput[] = [];
  for (const p of generatePayments({ seed: 7_2026, customers, days, paymentsPerDay: Math.ceil(count / days), now, riskyShare: 0.04 })) {
    out.push(p);
    if (out.length >= count) break;
  }
  return out.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
}

function inProcess(): void {
  const payments = demoPayments(200_000, 7);
  const history = payments.slice(0, 100_000);
  const scored = payments.slice(100_000);
  const template = newConfigurationTemplate();
  const set = compileRuleSet(template.riskRules, template.thresholds, template.decisionCriteria);
  const facts = new ScoringFacts();
  const running = new Map<string, { n: number; sum: number }>();
  const sample: Float64Array[] = [];
  for (const p of history) {
    const amountKes = toKes(p.amount, p.currency);
    const atMs = Date.parse(p.timestamp);
    const seen = running.get(p.customerId);
    if (sample.length < 50_000) {
      sample.push(
        anomalyFeatures({
          amountKes,
          timestamp: p.timestamp,
          channel: p.channel,
          country: p.country,
          homeCountry: 'KE',
          timeZoneOffsetMinutes: zoneOffsetMinutes(atMs, 'Africa/Nairobi'),
          customerMedianAmountKes: seen ? seen.sum / seen.n : null,
          paymentType: p.paymentType,
        }),
      );
    }
    running.set(p.customerId, { n: (seen?.n ?? 0) + 1, sum: (seen?.sum ?? 0) + amountKes });
    facts.observe({ tenantId: p.tenantId, customerId: p.customerId, debtorAccount: p.debtorAccount, deviceId: p.deviceId, atMs, amountKes });
  }
  facts.anomaly = scorerFor('bench', trainModel(sample, { days: 30, trees: 100, subsampleSize: 256 }, 1).model);

  const prepared = scored.map((payment) => ({ payment, amountKes: toKes(payment.amount, payment.currency), atMs: Date.parse(payment.timestamp) }));
  // Warm the JIT on a slice first.
  for (let i = 0; i < 20_000; i++) evaluateLocal(set, prepared[i]!, facts);
  let flagged = 0;
  let shortCircuited = 0;
  const t0 = performance.now();
  for (const p of prepared) {
    const r = evaluateLocal(set, p, facts);
    if (r.riskLevel !== 'LOW') flagged++;
    if (r.shortCircuited) shortCircuited++;
  }
  const engineMs = performance.now() - t0;
  const t1 = performance.now();
  let bytes = 0;
  for (const p of prepared) bytes += (JSON.parse(JSON.stringify(p.payment)) as { transactionReference: string }).transactionReference.length;
  const jsonMs = performance.now() - t1;
  const rate = prepared.length / (engineMs / 1000);
  const baseline = prepared.length / (jsonMs / 1000);
  console.log('\n== In-process decisions (default rule set: %d rules, demo payments) ==', set.rules.length);
  console.log(
    `decisions/s            ${fmt(rate)}  (${fmt((engineMs * 1000) / prepared.length, 2)} µs each; ${fmt((flagged / prepared.length) * 100, 1)}% flagged, ${fmt((shortCircuited / prepared.length) * 100, 1)}% short-circuited)`,
  );
  console.log(`baseline JSON round-trips/s ${fmt(baseline)}  (checksum ${bytes})`);
  console.log(`ratio decisions / JSON round-trips: ${fmt(rate / baseline, 2)}`);
}

interface Service {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function startService(mode: string): Promise<Service> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `wekeza-bench-${mode}-`));
  // BENCH_NODE_ARGS, e.g. --cpu-prof, lets a profile be taken of the service under load.
  const args = [
    ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
    path.join(root, 'dist/service/index.mjs'),
    '--mode',
    mode,
    '--port',
    '0',
    '--data-dir',
    dataDir,
  ];
  if (mode === 'hub' && process.env.TEST_DATABASE_URL) args.push('--database-url', process.env.TEST_DATABASE_URL);
  const child = spawn(process.execPath, args, {
    env: { ...process.env, WEKEZA_ADMIN_PASSWORD: ADMIN_PASSWORD, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode} service exited with ${code}`)));
    lines.on('line', (line) => {
      try {
        const event = JSON.parse(line) as { event?: string; url?: string };
        if (event.event === 'ready' && event.url) resolve(event.url);
      } catch {
        // not an event line
      }
    });
  });
  return {
    url,
    child,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function json<T>(url: string, init: RequestInit & { token?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) };
  const res = await fetch(url, { ...init, headers });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface LoadResult {
  rate: number;
  p50: number;
  p99: number;
  ok: number;
  errors: number;
  non2xx: number;
}

function load(options: autocannon.Options): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => {
      if (error) return reject(error);
      resolve({
        rate: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        ok: result['2xx'],
        errors: result.errors + result.timeouts,
        non2xx: result.non2xx,
      });
    });
  });
}

function assessmentLoad(url: string, apiKey: string, pool: PaymentInput[], run: string, extra: Partial<autocannon.Options>): Promise<LoadResult> {
  let i = 0;
  return load({
    url: `${url}/api/v1/fraud-risk/assessments`,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    duration: SECONDS,
    connections: 64,
    requests: [
      {
        setupRequest: (request) => {
          const payment = pool[i % pool.length]!;
          request.body = JSON.stringify({ ...payment, transactionReference: `${run}-${i++}` });
          return request;
        },
      },
    ],
    ...extra,
  });
}

async function persistedCount(url: string, token: string): Promise<number> {
  return (await json<{ total: number }>(`${url}/api/v1/fraud-risk/assessments?pageSize=1`, { token })).total;
}

async function overHttp(mode: string, pool: PaymentInput[]): Promise<void> {
  const service = await startService(mode);
  try {
    const { token } = await json<{ token: string }>(`${service.url}/api/v1/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const { apiKey } = await json<{ apiKey: string }>(`${service.url}/api/v1/api-clients`, {
      method: 'POST',
      token,
      body: JSON.stringify({ name: 'Bench payment engine', role: 'PAYMENT_ENGINE', tenantIds: [...new Set(pool.map((p) => p.tenantId))] }),
    });
    // Warm-up: fills the velocity windows and the JIT, then trains the anomaly model on it.
    await assessmentLoad(service.url, apiKey, pool, 'WARM', { duration: Math.max(3, SECONDS / 2) });
    await json(`${service.url}/api/v1/fraud-risk/anomaly-model/train`, {
      method: 'POST',
      token,
      body: JSON.stringify({ days: 30, trees: 100, subsampleSize: 256 }),
    });

    const bare = await load({ url: `${service.url}/health`, duration: SECONDS, connections: 64 });
    const before = await persistedCount(service.url, token);
    const saturated = await assessmentLoad(service.url, apiKey, pool, 'SAT', {});
    const persisted = (await persistedCount(service.url, token)) - before;
    const steady = await assessmentLoad(service.url, apiKey, pool, 'STEADY', { connections: 128, overallRate: 10_000 });
    // Tail latency below saturation: a constant rate at half of what this run saturated at.
    const halfRate = Math.max(100, Math.round(saturated.rate / 2 / 100) * 100);
    const half = await assessmentLoad(service.url, apiKey, pool, 'HALF', { connections: 64, overallRate: halfRate });

    const label = mode === 'hub' ? 'hub (PostgreSQL)' : 'standalone (SQLite)';
    console.log(`\n== HTTP, ${label}, ${SECONDS} s per run, autocannon in this process, service in its own ==`);
    console.log(`bare GET /health          ${fmt(bare.rate).padStart(8)}/s  p50 ${bare.p50} ms  p99 ${bare.p99} ms`);
    console.log(
      `assessments, saturated    ${fmt(saturated.rate).padStart(8)}/s  p50 ${saturated.p50} ms  p99 ${saturated.p99} ms  (${fmt(persisted)} persisted of ${fmt(saturated.ok)} answered 2xx; ${saturated.non2xx} non-2xx, ${saturated.errors} errors)`,
    );
    console.log(`ratio assessments / bare  ${fmt(saturated.rate / bare.rate, 2)}`);
    console.log(
      `assessments at 10,000/s   ${fmt(steady.rate).padStart(8)}/s  p50 ${steady.p50} ms  p99 ${steady.p99} ms  (${steady.non2xx} non-2xx, ${steady.errors} errors)`,
    );
    console.log(`assessments at ${fmt(halfRate)}/s (half of saturation) ${fmt(half.rate)}/s  p50 ${half.p50} ms  p99 ${half.p99} ms`);
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(
      `targets: ≥ 20,000 persisted/s ${verdict(saturated.rate >= 20_000)}; ≥ half of bare ${verdict(saturated.rate >= bare.rate / 2)}; p99 ≤ 20 ms at 10,000/s ${verdict(steady.p99 <= 20 && steady.rate >= 9_500)}`,
    );
  } finally {
    await service.stop();
  }
}

if (process.env.BENCH_SKIP_IN_PROCESS !== '1') inProcess();
const pool = demoPayments(50_000, 7);
for (const mode of MODES) await overHttp(mode, pool);
