import { parseArgs } from 'node:util';
import { startBankEngineSimulator } from './simulator.ts';
import type { SimulatorAuth, SimulatorOutage } from './simulator.ts';

/**
 * Runs the bank engine simulator for demos and manual testing:
 *   node --import tsx service/src/bank-engine/simulator-cli.ts --port 4790 --latency 40 --error-rate 0.02 --api-key demo-key
 * Change its behaviour while it runs with POST /__control {"outage":"hang"}; read GET /__stats.
 */

const USAGE = `options: --port N (4790) --host H (127.0.0.1) --latency MS --jitter MS --error-rate 0..1
         --outage none|refuse|hang|error --seed N
         auth (at most one): --api-key KEY [--api-key-header X-Api-Key] | --basic USER:PASS | --bearer TOKEN`;

function fail(message: string): never {
  process.stderr.write(`bank engine simulator: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function numberOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) fail(`--${name} must be a number from ${min} to ${max}`);
  return n;
}

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    latency: { type: 'string' },
    jitter: { type: 'string' },
    'error-rate': { type: 'string' },
    outage: { type: 'string' },
    seed: { type: 'string' },
    'api-key': { type: 'string' },
    'api-key-header': { type: 'string' },
    basic: { type: 'string' },
    bearer: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const authChoices = [values['api-key'], values.basic, values.bearer].filter((v) => v !== undefined);
if (authChoices.length > 1) fail('choose one of --api-key, --basic, --bearer');
let auth: SimulatorAuth = { kind: 'NONE' };
if (values['api-key'] !== undefined) auth = { kind: 'API_KEY', headerName: values['api-key-header'] ?? 'X-Api-Key', apiKey: values['api-key'] };
if (values.bearer !== undefined) auth = { kind: 'BEARER', token: values.bearer };
if (values.basic !== undefined) {
  const colon = values.basic.indexOf(':');
  if (colon < 1) fail('--basic expects USER:PASS');
  auth = { kind: 'BASIC', username: values.basic.slice(0, colon), password: values.basic.slice(colon + 1) };
}
const outages: readonly SimulatorOutage[] = ['none', 'refuse', 'hang', 'error'];
const outage = values.outage === undefined ? undefined : (outages.find((o) => o === values.outage) ?? fail(`--outage must be one of ${outages.join(', ')}`));

const simulator = await startBankEngineSimulator({
  port: numberOption(values.port, 'port', 0, 65_535) ?? 4790,
  host: values.host ?? '127.0.0.1',
  latencyMs: numberOption(values.latency, 'latency', 0, 120_000),
  jitterMs: numberOption(values.jitter, 'jitter', 0, 120_000),
  errorRate: numberOption(values['error-rate'], 'error-rate', 0, 1),
  outage,
  seed: numberOption(values.seed, 'seed', 0, 2 ** 32 - 1),
  auth,
});

const authText = auth.kind === 'API_KEY' ? `API key in ${auth.headerName}` : auth.kind === 'NONE' ? 'no auth' : `${auth.kind.toLowerCase()} auth`;
process.stdout.write(
  `bank engine simulator listening on ${simulator.url} (POST ${simulator.scoreUrl}, ${authText}, control: POST ${simulator.url}/__control)\n`,
);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  simulator.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
