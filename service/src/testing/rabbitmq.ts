import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';

/**
 * The RabbitMQ the AMQP tests use (README "Tests"): the machine's broker at
 * amqp://guest:guest@127.0.0.1:5672 when it answers (or TEST_AMQP_URL), otherwise a private
 * rabbitmq-server started here — its own node name, port, distribution port, Mnesia and log
 * folders in a temporary directory — and stopped by `stopTestRabbitMq()`. Set
 * WEKEZA_TEST_PRIVATE_RABBITMQ=1 to use a private broker even when the machine has one.
 */

const MACHINE_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
// The lib script runs as the current user; /usr/sbin's wrapper switches to the rabbitmq user, who cannot write our temp dir.
const SERVER_BINARIES = ['/usr/lib/rabbitmq/bin/rabbitmq-server', '/usr/sbin/rabbitmq-server'];

export interface TestRabbitMq {
  url: string;
  /** True when this process started the broker. */
  private: boolean;
}

let started: Promise<TestRabbitMq> | null = null;
let child: ChildProcess | null = null;
let baseDir: string | null = null;

async function answers(url: string): Promise<boolean> {
  try {
    const connection = await amqp.connect(url, { timeout: 2_000 });
    await connection.close();
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startPrivateBroker(): Promise<TestRabbitMq> {
  const binary = SERVER_BINARIES.find((b) => fs.existsSync(b));
  if (!binary) throw new Error('no RabbitMQ at 127.0.0.1:5672 and no rabbitmq-server binary to start one (install rabbitmq-server)');
  baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekeza-test-rabbitmq-'));
  const port = await freePort();
  const distPort = await freePort();
  const pluginsFile = path.join(baseDir, 'enabled_plugins');
  fs.writeFileSync(pluginsFile, '[].\n');
  // Our own config and env files: the machine's (/etc/rabbitmq) may pin the listener to 5672.
  const configFile = path.join(baseDir, 'rabbitmq.conf');
  fs.writeFileSync(configFile, `listeners.tcp.local = 127.0.0.1:${port}\n`);
  const envFile = path.join(baseDir, 'rabbitmq-env.conf');
  fs.writeFileSync(envFile, '');
  const nodeName = `wekeza-test-${process.pid}-${Date.now().toString(36)}@localhost`;
  child = spawn(binary, [], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      RABBITMQ_NODENAME: nodeName,
      RABBITMQ_NODE_IP_ADDRESS: '127.0.0.1',
      RABBITMQ_NODE_PORT: String(port),
      RABBITMQ_DIST_PORT: String(distPort),
      RABBITMQ_MNESIA_BASE: path.join(baseDir, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(baseDir, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: pluginsFile,
      RABBITMQ_CONFIG_FILE: configFile,
      RABBITMQ_CONF_ENV_FILE: envFile,
      RABBITMQ_PID_FILE: path.join(baseDir, 'rabbitmq.pid'),
    },
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
  const url = `amqp://guest:guest@127.0.0.1:${port}`;
  const until = Date.now() + 90_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`rabbitmq-server exited (${child.exitCode}): ${output}`);
    if (await answers(url)) return { url, private: true };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await stopTestRabbitMq();
  throw new Error(`rabbitmq-server did not answer on ${port} within 90 s: ${output}`);
}

/** The broker for this test process (started once). */
export function startTestRabbitMq(): Promise<TestRabbitMq> {
  started ??= (async () => {
    if (process.env.WEKEZA_TEST_PRIVATE_RABBITMQ !== '1' && (await answers(MACHINE_URL))) return { url: MACHINE_URL, private: false };
    return startPrivateBroker();
  })();
  return started;
}

/** Stops a broker this process started (the machine's broker is left alone). */
export async function stopTestRabbitMq(): Promise<void> {
  const running = child;
  child = null;
  started = null;
  if (running?.pid && running.exitCode === null) {
    const exited = new Promise((resolve) => running.once('exit', resolve));
    try {
      process.kill(-running.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    const timeout = setTimeout(() => {
      try {
        process.kill(-running.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, 15_000);
    await exited;
    clearTimeout(timeout);
  }
  if (baseDir) fs.rmSync(baseDir, { recursive: true, force: true });
  baseDir = null;
}

/** A queue name no other test uses. */
export function uniqueQueueName(label: string): string {
  return `wekeza-test-${label}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
}
