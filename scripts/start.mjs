// `npm start` (after the build): runs the desktop app when the Electron binary is present;
// otherwise runs the service on its own and tells the user which URL to open in a browser.
// The fallback uses the same data folder the desktop app would, so both see the same data.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants, homedir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

// Before anything else: on an older Node the build and the service fail with errors that blame
// other things (node-gyp "network connectivity", syntax errors). Say plainly what is needed.
const REQUIRED_NODE_MAJOR = 22;
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < REQUIRED_NODE_MAJOR) {
  console.error(
    `Wekeza Risk Workstation needs Node.js ${REQUIRED_NODE_MAJOR} or newer; this is Node.js ${process.versions.node} (${process.execPath}).\n` +
      'Install Node.js 22 or 24 (https://nodejs.org, or `nvm install 24`), then run `npm ci` and `npm start` again.',
  );
  process.exit(1);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PRODUCT_NAME = 'Wekeza Risk Workstation';
const DEFAULT_PORT = 4780;

/** Exit like the child did: its code, or 128 + signal number as a shell would report. */
function exitLike(code, signal) {
  if (code !== null) process.exit(code);
  process.exit(128 + (signal ? (constants.signals[signal] ?? 0) : 1));
}

/** Electron's app.getPath('userData') for this product, plus /data (see main/src/main.ts). */
function userDataFolder() {
  switch (process.platform) {
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(homedir(), 'AppData', 'Roaming'), PRODUCT_NAME, 'data');
    case 'darwin':
      return path.join(homedir(), 'Library', 'Application Support', PRODUCT_NAME, 'data');
    default:
      return path.join(process.env.XDG_CONFIG_HOME || path.join(homedir(), '.config'), PRODUCT_NAME, 'data');
  }
}

function requestedPort() {
  const raw = process.env.WEKEZA_PORT;
  if (raw === undefined || raw === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    console.error(`WEKEZA_PORT must be a port number between 1 and 65535, not "${raw}".`);
    process.exit(2);
  }
  return port;
}

/** True if 127.0.0.1:port can be listened on right now. */
function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: '127.0.0.1', port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** Forwards Ctrl+C / termination to the child and mirrors its exit. */
function supervise(child) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.on('error', (error) => {
    console.error(`Could not start ${child.spawnfile}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', exitLike);
}

function runElectron(binary) {
  const env = { ...process.env };
  // Would turn Electron into plain Node.js and run nothing of the app.
  delete env.ELECTRON_RUN_AS_NODE;
  supervise(spawn(binary, ['.'], { cwd: root, stdio: 'inherit', env }));
}

function printAdminPassword(username, password) {
  const rule = '─'.repeat(64);
  process.stdout.write(
    [
      rule,
      ' First start: an administrator account was created.',
      `   User name: ${username}`,
      `   Password:  ${password}`,
      ' This password is shown only this once: keep it safe.',
      rule,
      '',
    ].join('\n'),
  );
}

function printDemoSignIn({ password, users }) {
  const rule = '─'.repeat(64);
  const width = Math.max(...users.map((u) => String(u.username).length));
  process.stdout.write(
    [
      rule,
      ` Demo sign-in — every demo user's password: ${password}`,
      ...users.map((u) => `   ${String(u.username).padEnd(width)}  ${u.displayName} (${String(u.role).toLowerCase().replaceAll('_', ' ')})`),
      ' The sign-in page lists them too (demo mode only).',
      rule,
      '',
    ].join('\n'),
  );
}

async function runServiceForBrowser(reason) {
  console.error(`Electron binary not available (${reason}); serving the UI to your browser instead.`);

  const servicePath = path.join(root, 'dist', 'service', 'index.mjs');
  if (!existsSync(servicePath)) {
    console.error(`${path.relative(root, servicePath)} is missing; build it with: node scripts/build.mjs`);
    process.exit(1);
  }
  const wanted = requestedPort();
  const port = (await portIsFree(wanted)) ? wanted : 0;
  const dataDir = userDataFolder();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });

  const child = spawn(process.execPath, [servicePath, '--mode', 'standalone', '--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, '--demo'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  supervise(child);

  let ready = false;
  /** The service's demo-sign-in event (demo mode only): printed with the URL. */
  let demoSignIn = null;
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
    const text = line.trim();
    if (!text.startsWith('{')) {
      if (text !== '') process.stderr.write(`${line}\n`);
      return;
    }
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      message = null;
    }
    if (message?.event === 'admin-password' && typeof message.username === 'string' && typeof message.password === 'string') {
      printAdminPassword(message.username, message.password);
    } else if (message?.event === 'demo-sign-in' && typeof message.password === 'string' && Array.isArray(message.users)) {
      demoSignIn = message;
    } else if (message?.event === 'ready' && typeof message.url === 'string' && !ready) {
      ready = true;
      if (port !== wanted) process.stdout.write(`Port ${wanted} was in use, so the service picked a free port.\n`);
      process.stdout.write(`Open ${message.url} in your browser\n`);
      if (demoSignIn) printDemoSignIn(demoSignIn);
    }
    // Other JSON lines are protocol this script does not use. They are not echoed: a protocol
    // line can carry a password.
  });
}

const electron = findElectronBinary();
if (electron.path) runElectron(electron.path);
else await runServiceForBrowser(electron.reason);
