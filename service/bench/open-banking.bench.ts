/**
 * npm run bench:open-banking — the partner API's reads with their consent checks (issue 14; seed
 * 002 §11: p95 < 500 ms at 1,000+ requests/s; the aim here is p95 < 20 ms).
 *
 * For standalone (SQLite) and hub (PostgreSQL), the service runs in its own process
 * (open-banking-service.ts: accounts, a scored payment history, consents obtained through the real
 * OAuth flow). autocannon then sends a steady 1,000 requests/s (overallRate) in two runs of the
 * same length: a bare endpoint (GET /health) and the partner reads — accounts, one account, its
 * balance and a page of its transactions, rotating over the consents, half of them unattended
 * (counted against the consent's daily frequency) and half with the customer present. Every read
 * passes the token check, the consent check and writes its access record. Prints p50/p95/p99
 * (from each response's own latency), the achieved rate, non-2xx answers, and the ratio of the
 * partner reads' p95 to the bare endpoint's.
 *
 * Options (environment): BENCH_SECONDS (default 15), BENCH_RATE (default 1000), BENCH_MODES
 * (sqlite,postgres), BENCH_CONSENTS (default 20), TEST_DATABASE_URL (PostgreSQL to use instead of
 * the embedded one).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import autocannon from 'autocannon';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const RATE = Number(process.env.BENCH_RATE ?? 1000);
const MODES = (process.env.BENCH_MODES ?? 'sqlite,postgres')
  .split(',')
  .map((m) => m.trim())
  .filter(Boolean);
const here = import.meta.dirname;

interface Ready {
  url: string;
  payments: number;
  consents: Array<{ token: string; accountIds: string[] }>;
}

interface Measured {
  rate: number;
  count: number;
  non2xx: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  byStatus: Record<string, number>;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A steady-rate run; latencies are taken per response (autocannon's histogram has no p95). */
function steady(options: autocannon.Options): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const byStatus: Record<string, number> = {};
    const instance = autocannon({ connections: 50, duration: SECONDS, overallRate: RATE, ...options }, (error, result) => {
      if (error) return reject(error);
      if (process.env.BENCH_DEBUG) console.log(JSON.stringify(result).slice(0, 600));
      latencies.sort((a, b) => a - b);
      resolve({
        rate: result.requests.average,
        count: latencies.length,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        byStatus,
      });
    });
    instance.on('reqError', (error: Error) => {
      byStatus[`error: ${error.message}`] = (byStatus[`error: ${error.message}`] ?? 0) + 1;
    });
    instance.on('response', (_client, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      byStatus[statusCode] = (byStatus[statusCode] ?? 0) + 1;
    });
  });
}

async function startService(dialect: string): Promise<{ ready: Ready; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'open-banking-service.ts'), dialect], {
    env: { ...process.env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${dialect} bench service exited with ${code}`)));
    lines.on('line', (line) => {
      try {
        const event = JSON.parse(line) as Ready & { event?: string };
        if (event.event === 'ready') resolve(event);
      } catch {
        // not an event line
      }
    });
  });
  return {
    ready,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function run(dialect: string): Promise<void> {
  const started = performance.now();
  const { ready, stop } = await startService(dialect);
  try {
    const setupSeconds = (performance.now() - started) / 1000;
    // The partner reads, rotating over consents and endpoints; every other consent's calls are attended.
    const reads: Array<{ path: string; headers: Record<string, string> }> = [];
    ready.consents.forEach((consent, i) => {
      const headers: Record<string, string> = {
        authorization: `Bearer ${consent.token}`,
        ...(i % 2 === 0 ? { 'x-fapi-customer-ip-address': '105.160.1.20' } : {}),
      };
      const [account] = consent.accountIds;
      for (const p of [
        '/open-banking/v1/accounts',
        `/open-banking/v1/accounts/${account}`,
        `/open-banking/v1/accounts/${account}/balance`,
        `/open-banking/v1/accounts/${account}/transactions?limit=20`,
      ]) {
        reads.push({ path: p, headers });
      }
    });
    let next = 0;
    // Warm-up: the JIT, the statement caches, the pages of the indexes.
    await steady({ url: ready.url, duration: 3, requests: [{ setupRequest: (r) => ({ ...r, ...reads[next++ % reads.length]! }) }] });
    const bare = await steady({ url: `${ready.url}/health` });
    const partner = await steady({ url: ready.url, requests: [{ setupRequest: (r) => ({ ...r, ...reads[next++ % reads.length]! }) }] });
    const label = dialect === 'postgres' ? 'hub (PostgreSQL)' : 'standalone (SQLite)';
    console.log(
      `\n== ${label}: ${fmt(ready.payments)} scored payments, ${ready.consents.length} consents (set up in ${fmt(setupSeconds, 1)} s); ${SECONDS} s at ${fmt(RATE)} requests/s each ==`,
    );
    const line = (name: string, m: Measured) =>
      console.log(
        `${name.padEnd(44)} ${fmt(m.rate).padStart(6)}/s  p50 ${fmt(m.p50, 2)} ms  p95 ${fmt(m.p95, 2)} ms  p99 ${fmt(m.p99, 2)} ms  (${fmt(m.count)} answers: ${JSON.stringify(m.byStatus)}; ${m.errors} errors)`,
      );
    line('bare GET /health', bare);
    line('partner reads with consent checks', partner);
    console.log(`ratio p95 partner reads / bare              ${fmt(partner.p95 / bare.p95, 2)}`);
    const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(
      `targets: steady ${fmt(RATE)}/s ${verdict(partner.rate >= RATE * 0.95)}; all 2xx ${verdict(partner.non2xx === 0 && partner.errors === 0)}; p95 < 500 ms (seed 002) ${verdict(partner.p95 < 500)}; p95 < 20 ms (aim) ${verdict(partner.p95 < 20)}`,
    );
  } finally {
    // Requests still queued when a saturated run ends are answered before the service stops.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await stop();
  }
}

for (const mode of MODES) await run(mode);
