// Starts the real service (the built dist/service/index.mjs) as a child process on a free port
// with a fresh data folder, waits for its {"event":"ready"} line and stops it afterwards.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export const ROOT = path.resolve(import.meta.dirname, '../..');
// The build under test: dist/, or the folder WEKEZA_BUILD_OUT names (as scripts/build.mjs does).
const DIST = process.env.WEKEZA_BUILD_OUT ? path.resolve(process.env.WEKEZA_BUILD_OUT) : path.join(ROOT, 'dist');
export const SERVICE_ENTRY = path.join(DIST, 'service/index.mjs');
const RENDERER_INDEX = path.join(DIST, 'renderer/index.html');

export const ADMIN_PASSWORD = 'E2e-Admin-Pass-2026!';
export const DEMO_PASSWORD = process.env.WEKEZA_DEMO_PASSWORD || 'Wekeza-Demo-2026!';

export interface RunningService {
  url: string;
  dataDir: string;
  adminPassword: string;
  demoPassword: string;
  /** The service's stderr so far (for failure messages). */
  logs(): string;
  stop(): Promise<void>;
}

export function ensureBuilt(): void {
  if (fs.existsSync(SERVICE_ENTRY) && fs.existsSync(RENDERER_INDEX)) return;
  // `npm test` builds first; running this file on its own on a clean checkout builds here.
  const result = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build.mjs'), 'service', 'renderer'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building the service and renderer for the e2e tests failed (node scripts/build.mjs service renderer)');
}

export function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startService({
  demo = true,
  readyTimeoutMs = Number(process.env.WEKEZA_E2E_READY_TIMEOUT_MS) || 15 * 60_000,
} = {}): Promise<RunningService> {
  ensureBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wekeza-e2e-data-'));
  const args = [SERVICE_ENTRY, '--mode', 'standalone', '--port', '0', '--data-dir', dataDir];
  if (demo) args.push('--demo');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, WEKEZA_ADMIN_PASSWORD: ADMIN_PASSWORD, WEKEZA_DEMO_PASSWORD: DEMO_PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      // A service busy seeding may not get to its SIGTERM handler promptly.
      if (!(await waitForExit(child, 10_000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the service did not print its ready line within ${Math.round(readyTimeoutMs / 1000)} s\n${stderr.slice(-3000)}`)),
        readyTimeoutMs,
      );
      const lines = readline.createInterface({ input: child.stdout! });
      lines.on('line', (line) => {
        let event: unknown;
        try {
          event = JSON.parse(line);
        } catch {
          return; // not one of the service's JSON lines
        }
        if (typeof event === 'object' && event !== null && (event as { event?: unknown }).event === 'ready') {
          clearTimeout(timer);
          resolve(String((event as { url: unknown }).url));
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the service exited before it was ready (code ${code}, signal ${signal})\n${stderr.slice(-3000)}`));
      });
    });
    return { url: url.replace(/\/+$/, ''), dataDir, adminPassword: ADMIN_PASSWORD, demoPassword: DEMO_PASSWORD, logs: () => stderr, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
