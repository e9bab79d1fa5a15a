// Runs the local service (dist/service/index.mjs) as a child process and speaks its stdout
// protocol: JSON lines, `admin-password` (once, on the very first start) then `ready`. The
// child's stderr is its log: passed through to ours and kept as a short tail for dialogs.
// No electron import: the process is created by an injected fork function (Electron's
// utilityProcess in the app, node:child_process in the unit tests).
import { createInterface } from 'node:readline';
import { LineTail, loopbackServiceOrigin, parseServiceLine, redactSecrets } from './service-protocol.ts';
import type { DesktopBootstrap } from '../../shared/src/desktop.ts';

/** How long to wait for the last stderr lines after the child exited. */
const STDERR_FLUSH_MS = 250;
/** How long each log line is held back so a password echoed in it can be masked (see below). */
const LOG_HOLD_MS = 150;

/** The part of a child process this module needs (Electron's UtilityProcess has it). */
export interface ServiceChild {
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  on(event: 'exit', listener: (code: number) => void): unknown;
  /** Graceful stop: SIGTERM on POSIX. */
  kill(): boolean;
}

export type ForkService = (modulePath: string, args: string[], env: Record<string, string>) => ServiceChild;

export interface StartServiceOptions {
  fork: ForkService;
  servicePath: string;
  /** The service's arguments, mode, port and data folder included (deployment.ts serviceLaunch). */
  args: readonly string[];
  /** WEKEZA_MASTER_KEY for the child; undefined leaves the inherited environment as it is. */
  masterKey: string | undefined;
  readyTimeoutMs: number;
  /** Called at most once, with the one-time admin credentials. Never log them. */
  onAdminPassword(credentials: { username: string; password: string }): void;
  /** Where the child's stderr and stray stdout go (default: our stderr). */
  log?: NodeJS.WritableStream;
}

export interface RunningService {
  readonly url: string;
  readonly origin: string;
  readonly mode: DesktopBootstrap['mode'];
  /** Last lines the service wrote to stderr (for error dialogs). */
  stderrTail(): string[];
  /** Registers the handler for an exit that was not requested with stop(). */
  onUnexpectedExit(handler: (code: number, stderrTail: string[]) => void): void;
  /** Asks the service to stop (SIGTERM on POSIX) and waits up to `timeoutMs` for it to exit. */
  stop(timeoutMs?: number): Promise<void>;
  readonly running: boolean;
}

/** Start-up failed; `stderrTail` helps the user/admin see why. */
export class ServiceStartError extends Error {
  override readonly name = 'ServiceStartError';
  readonly stderrTail: string[];
  constructor(message: string, stderrTail: string[]) {
    super(message);
    this.stderrTail = stderrTail;
  }
}

function childEnvironment(masterKey: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined) env[name] = value;
  }
  if (masterKey !== undefined) env.WEKEZA_MASTER_KEY = masterKey;
  return env;
}

export function startService(options: StartServiceOptions): Promise<RunningService> {
  const tail = new LineTail();
  const log = options.log ?? process.stderr;
  const child = options.fork(options.servicePath, [...options.args], childEnvironment(options.masterKey));

  let exited = false;
  let exitCode = 0;
  let stopRequested = false;
  let unexpectedExitHandler: ((code: number, stderrTail: string[]) => void) | null = null;
  const exitWaiters: Array<() => void> = [];

  // 'exit' can come before the last stderr data; those last lines are the ones that explain
  // a crash, so wait briefly for the stream to end before acting on the exit.
  const stderrDone = new Promise<void>((resolve) => {
    if (!child.stderr) return resolve();
    child.stderr.once('end', resolve);
    child.stderr.once('close', resolve);
  });
  child.on('exit', (code) => {
    exited = true;
    exitCode = code;
    void Promise.race([stderrDone, new Promise((resolve) => setTimeout(resolve, STDERR_FLUSH_MS))]).then(() => {
      flushLog(true);
      for (const wake of exitWaiters.splice(0)) wake();
      if (!stopRequested && unexpectedExitHandler) unexpectedExitHandler(code, tail.lines());
    });
  });

  // Secrets seen on the protocol (the one-time admin password) are masked in what the service
  // logs, in case it echoes them. stdout and stderr are separate pipes read in no fixed order,
  // so each log line is held back briefly: long enough for the protocol line written just
  // before it to be parsed first.
  const secrets: string[] = [];
  const held: Array<{ line: string; at: number }> = [];
  let flushTimer: NodeJS.Timeout | undefined;
  const flushLog = (all: boolean): void => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    const due = Date.now() - LOG_HOLD_MS;
    while (held.length > 0 && (all || (held[0]?.at ?? 0) <= due)) {
      const safe = redactSecrets(held.shift()?.line ?? '', secrets);
      log.write(`${safe}\n`);
      tail.push(safe);
    }
    if (held.length > 0) flushTimer = setTimeout(() => flushLog(false), LOG_HOLD_MS);
  };
  if (child.stderr) {
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => {
      held.push({ line, at: Date.now() });
      flushTimer ??= setTimeout(() => flushLog(false), LOG_HOLD_MS);
    });
  }

  const waitForExit = (timeoutMs: number): Promise<boolean> =>
    new Promise((resolve) => {
      if (exited) return resolve(true);
      const timer = setTimeout(() => resolve(false), timeoutMs);
      exitWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });

  const stop = async (timeoutMs = 5000): Promise<void> => {
    stopRequested = true;
    if (exited) return;
    child.kill();
    if (!(await waitForExit(timeoutMs))) {
      // Chromium ends its utility processes with the browser process anyway; say so in the log.
      console.error(`[main] the service did not exit within ${timeoutMs} ms of being asked to stop`);
    }
  };

  return new Promise<RunningService>((resolve, reject) => {
    let settled = false;
    let adminPasswordShown = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Do not leave a half-started service behind (it may hold the database open).
      void stop().finally(() => {
        flushLog(true);
        reject(new ServiceStartError(message, tail.lines()));
      });
    };
    const timer = setTimeout(
      () => fail(`The local service did not become ready within ${Math.round(options.readyTimeoutMs / 1000)} seconds.`),
      options.readyTimeoutMs,
    );
    exitWaiters.push(() => fail(`The local service stopped during start-up (exit code ${exitCode}).`));

    if (!child.stdout) {
      fail('The local service was started without an output pipe.');
      return;
    }
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      const event = parseServiceLine(line);
      if (!event) {
        // Not protocol: show it like a log line. JSON lines are never echoed, not even
        // malformed ones: a protocol line can carry the admin password.
        const text = line.trim();
        if (text.startsWith('{')) log.write(`[service stdout] ignored an unrecognised JSON line (${text.length} characters)\n`);
        else if (text !== '') log.write(`[service stdout] ${line}\n`);
        return;
      }
      if (event.event === 'admin-password') {
        secrets.push(event.password);
        tail.redact(event.password);
        if (!adminPasswordShown) {
          adminPasswordShown = true;
          options.onAdminPassword({ username: event.username, password: event.password });
        }
        return;
      }
      if (settled) return;
      const origin = loopbackServiceOrigin(event.url);
      if (!origin) {
        fail(`The local service reported an address that is not a local loopback http URL: ${event.url}`);
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve({
        url: `${origin}/`,
        origin,
        mode: event.mode,
        stderrTail: () => tail.lines(),
        onUnexpectedExit: (handler) => {
          unexpectedExitHandler = handler;
        },
        stop,
        get running() {
          return !exited;
        },
      });
    });
  });
}
