import { parseArgs, type ParseArgsConfig } from 'node:util';
import path from 'node:path';
import { z } from 'zod';
import { startService, type RunningService } from './app.ts';
import { SecretBox } from './auth/secret-box.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './db/embedded-postgres.ts';
import type { DatabaseTarget } from './db/database.ts';

const USAGE = `Usage: wekeza-service --mode standalone|hub|workstation [--port N] [--host H] [--data-dir DIR]
                      [--database-url URL] [--hub-url URL] [--allowed-host NAME[:PORT] ...] [--demo]
                      [--amqp-url URL]

  --mode          standalone (SQLite, this machine only; default), hub (PostgreSQL, shared) or
                  workstation (an encrypted SQLite cache of a hub, working offline)
  --hub-url       the hub a workstation syncs with, e.g. https://wekeza-hub.bank.example
  --port          port to listen on; 0 picks a free one (default 4780)
  --host          address to listen on (default 127.0.0.1)
  --data-dir      folder for the SQLite database, master key and embedded PostgreSQL
  --database-url  PostgreSQL URL for hub mode (default: DATABASE_URL, else embedded PostgreSQL)
  --allowed-host  extra Host names a hub is reached by (needed when listening beyond loopback)
  --demo          seed realistic demo data when the database is empty
  --amqp-url      RabbitMQ to consume seed 000's risk-events queue from (default: AMQP_URL; off
                  when neither is set; hubs and standalone only)
                  The queue is risk-events (AMQP_QUEUE names another, e.g. per environment).

Prints {"event":"ready","url":...,"mode":...} on stdout when ready.`;

const CliOptions = z.object({
  mode: z.enum(['standalone', 'hub', 'workstation']),
  hubUrl: z.url({ protocol: /^https?$/ }).optional(),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string().min(1),
  dataDir: z.string().min(1),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
    .optional(),
  allowedHost: z.array(z.string().min(1)),
  demo: z.boolean(),
  amqpUrl: z.url({ protocol: /^amqps?$/ }).optional(),
});

function fail(message: string): never {
  process.stderr.write(`wekeza-service: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

/** Set once a stop signal arrived: work cut short by the shutdown is not a start-up failure. */
let stopping = false;

/** "Seeding demo data: payments 1,200/9,300 (13%)" on stderr, at most every 2 s and at each stage's end. */
function seedProgressPrinter(): (p: { stage: string; done: number; total: number }) => void {
  let last = 0;
  let started = false;
  return ({ stage, done, total }) => {
    const now = performance.now();
    const stageEnd = done >= total && total > 1;
    if (started && !stageEnd && now - last < 2_000 && done !== 0) return;
    if (!started) process.stderr.write('Seeding demo data (about a minute, first start only)…\n');
    started = true;
    last = now;
    const count = (n: number) => n.toLocaleString('en-KE');
    const share = total > 1 ? ` (${Math.round((done / total) * 100)}%)` : '';
    const text = done === 0 ? `${stage}…` : `${stage} ${count(done)}/${count(total)}${share}`;
    process.stderr.write(`Seeding demo data: ${text}\n`);
  };
}

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

const CLI_ARGUMENTS = {
  options: {
    mode: { type: 'string', default: 'standalone' },
    port: { type: 'string', default: '4780' },
    host: { type: 'string', default: '127.0.0.1' },
    'data-dir': { type: 'string', default: path.resolve('.data') },
    'database-url': { type: 'string' },
    'hub-url': { type: 'string' },
    'amqp-url': { type: 'string' },
    'allowed-host': { type: 'string', multiple: true, default: [] as string[] },
    demo: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
  strict: true,
} satisfies ParseArgsConfig;

function parseCommandLine() {
  try {
    return parseArgs(CLI_ARGUMENTS).values;
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}

async function main(): Promise<void> {
  const values = parseCommandLine();
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const parsed = CliOptions.safeParse({
    mode: values.mode,
    port: values.port,
    host: values.host,
    dataDir: path.resolve(values['data-dir']),
    databaseUrl: values['database-url'] ?? (values.mode === 'hub' ? process.env.DATABASE_URL || undefined : undefined),
    allowedHost: values['allowed-host'],
    demo: values.demo,
    hubUrl: values['hub-url'],
    amqpUrl: values['amqp-url'] ?? (process.env.AMQP_URL || undefined),
  });
  if (!parsed.success) fail(parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; '));
  const options = parsed.data;
  if (options.mode !== 'hub' && options.databaseUrl) fail(`--database-url is for hub mode; ${options.mode} keeps SQLite in --data-dir`);
  if (options.mode === 'workstation' && !options.hubUrl) fail('--hub-url is needed in workstation mode: the hub this workstation syncs with');
  if (options.mode !== 'workstation' && options.hubUrl) fail('--hub-url is for workstation mode');
  if (options.mode === 'workstation' && options.amqpUrl && values['amqp-url']) fail('--amqp-url is for hubs and standalone: a workstation consumes no queue');
  if (options.mode === 'workstation' && options.demo) fail('--demo is for standalone mode: a workstation shows the hub’s data');

  // Signals are handled from here on, so that a stop during start-up or demo seeding is orderly.
  let embedded: EmbeddedPostgresHandle | null = null;
  let service: RunningService | null = null;
  let demoEngine: { close(): Promise<void> } | null = null;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`wekeza-service: ${signal}, stopping\n`);
    await service?.close().catch(() => {});
    await demoEngine?.close().catch(() => {});
    await embedded?.stop().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  let database: DatabaseTarget;
  if (options.mode === 'standalone') {
    database = { kind: 'sqlite', file: path.join(options.dataDir, 'wekeza.sqlite') };
  } else if (options.mode === 'workstation') {
    // Customer data on a laptop: the whole cache is encrypted with a key from the master key.
    const encryptionKey = SecretBox.fromEnvironmentOrFile(options.dataDir).deriveKey('workstation-cache');
    database = { kind: 'sqlite', file: path.join(options.dataDir, 'workstation.sqlite'), encryptionKey, foreignKeys: false };
  } else if (options.databaseUrl) {
    database = { kind: 'postgres', url: options.databaseUrl };
  } else {
    process.stderr.write('hub: no --database-url or DATABASE_URL, starting embedded PostgreSQL\n');
    embedded = await startEmbeddedPostgres({ dataDir: options.dataDir, secretBox: SecretBox.fromEnvironmentOrFile(options.dataDir), persistent: true });
    database = { kind: 'postgres', url: embedded.url };
  }

  // The demo team is known before start, so the sign-in page can list it (demo-info/routes.ts).
  const demoSeed = options.demo ? await import('./demo/seed.ts') : null;
  const demoAccounts = demoSeed ? { password: demoSeed.demoPassword(process.env), users: demoSeed.DEMO_USERS } : null;
  try {
    service = await startService({
      demo: demoAccounts,
      mode: options.mode,
      host: options.host,
      port: options.port,
      dataDir: options.dataDir,
      database,
      allowedHosts: options.allowedHost,
      ...(options.hubUrl ? { hubUrl: options.hubUrl } : {}),
      ...(options.amqpUrl ? { amqpUrl: options.amqpUrl } : {}),
      ...(process.env.AMQP_QUEUE ? { amqpQueue: process.env.AMQP_QUEUE } : {}),
      // Issue 14: demo customers sign in on the consent pages with the demo passcode (README "Open Banking").
      ...(options.demo ? { customerAuthenticator: (await import('./open-banking/oauth/index.ts')).demoCustomerAuthenticator } : {}),
      ...(process.env.WEKEZA_OAUTH_ISSUER ? { oauthIssuer: process.env.WEKEZA_OAUTH_ISSUER } : {}),
    });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }

  // Printed once, as a stdout event: the desktop shell shows it in a dialog, npm start in the terminal.
  if (service.generatedAdminPassword) emit({ event: 'admin-password', username: 'admin', password: service.generatedAdminPassword });
  if (options.demo) {
    // The demo's "bank fraud engine": a real HTTP simulator on loopback, as in the tests.
    const { startDemoBankEngine } = await import('./demo/bank-engine.ts');
    demoEngine = await startDemoBankEngine();
    const seeded = await demoSeed!.seedDemoDataIfEmpty(service.context, process.env, {}, seedProgressPrinter());
    if (seeded) {
      process.stderr.write(`demo data: ${seeded.customers} customers, ${seeded.payments} payments, ${seeded.cases} cases\n`);
      // Shown once, like a registered app's secret on the Open Banking apps screen (rotate it there).
      const app = seeded.openBankingApp;
      process.stderr.write(`Open Banking demo app "Pesa Planner": client id ${app.clientId}, client secret ${app.clientSecret} (shown once)\n`);
    }
  }
  if (demoSeed && demoAccounts) {
    // Demo mode only: who can sign in, with which password, next to the URL (npm start prints it).
    const users = demoSeed.DEMO_USERS.map((u) => ({ username: u.username, displayName: u.displayName, role: u.role }));
    emit({ event: 'demo-sign-in', password: demoAccounts.password, users });
    process.stderr.write(
      `Demo sign-in at ${service.url} — password ${demoAccounts.password} for: ${users.map((u) => `${u.username} (${u.role})`).join(', ')}\n`,
    );
    const { DEMO_CUSTOMER_PASSCODE } = await import('./open-banking/oauth/index.ts');
    process.stderr.write(
      `Open Banking demo customers sign in at ${service.url}/customer/consents with their CIF number and passcode ${DEMO_CUSTOMER_PASSCODE}\n`,
    );
  }
  emit({ event: 'ready', url: service.url, mode: options.mode });
}

main().catch((error: unknown) => {
  if (stopping) return;
  process.stderr.write(`wekeza-service: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
