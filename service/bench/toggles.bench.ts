/**
 * npm run bench:toggles — how fast a fraud API toggle is resolved (issue 4 §5: ≤ 1 µs per check).
 * Builds a realistic set of configurations (tenants × payment types × instruments × clearing
 * systems, some scheduled, some overlapping), then resolves random payment contexts at random
 * instants: the raw index (what the assessment flow calls) and the service's counted check, next
 * to a baseline measured in the same run: one Map look-up of a precomputed key per check.
 */
import { ToggleIndex, toEntry, type ToggleEntry, type ToggleLookup } from '../src/toggles/resolver.ts';
import { mulberry32 } from '../src/util/prng.ts';

const random = mulberry32(20_261_122);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const TENANTS = ['WEKEZA-KE', 'WEKEZA-UG', 'WEKEZA-TZ', 'WEKEZA-RW', 'WEKEZA-SS'];
const TYPES = ['MOBILE_MONEY', 'RTGS', 'EFT', 'SWIFT_TRANSFER', 'INSTANT_TRANSFER', 'CARD_PAYMENT', 'CASH_WITHDRAWAL'];
const INSTRUMENTS = ['MPESA_B2C', 'MPESA_C2B', 'KEPSS', 'ACH', 'MT103', 'PESALINK', 'POS', 'ATM', 'AGENT'];
const CLEARING = ['MPESA', 'KEPSS', 'KBA_ACH', 'SWIFT', 'IPSL', 'VISA', 'MASTERCARD', 'KENSWITCH', 'INTERNAL'];
const now = Date.now();
const DAY = 86_400_000;

const entries: ToggleEntry[] = [];
for (let i = 0; i < 1000; i++) {
  const level = random();
  const scheduled = random() < 0.3;
  const from = scheduled ? now + (random() - 0.5) * 20 * DAY : -Infinity;
  entries.push(
    toEntry({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      tenantId: pick(TENANTS),
      paymentType: level > 0.2 ? pick(TYPES) : null,
      localInstrumentationCode: level > 0.6 ? pick(INSTRUMENTS) : null,
      clearingSystemCode: level > 0.8 ? pick(CLEARING) : null,
      isEnabled: random() < 0.6,
      enabledReason: 'on',
      disabledReason: 'off',
      fromMs: from,
      untilMs: scheduled ? from + random() * 5 * DAY : Infinity,
      priority: 1 + Math.floor(random() * 200),
      disabledBehaviour: 'APPROVE',
    }),
  );
}
const index = new ToggleIndex(entries);
const CHECKS = 2_000_000;
const contexts: ToggleLookup[] = [];
const instants: number[] = [];
for (let i = 0; i < 10_000; i++) {
  contexts.push({ tenantId: pick(TENANTS), paymentType: pick(TYPES), localInstrumentationCode: pick(INSTRUMENTS), clearingSystemCode: pick(CLEARING) });
  instants.push(now + (random() - 0.5) * 20 * DAY);
}
const keys = contexts.map((c) => `${c.tenantId}|${c.paymentType}|${c.localInstrumentationCode}|${c.clearingSystemCode}`);
const precomputed = new Map(keys.map((k, i) => [k, i % 2 === 0]));

function time(label: string, run: (i: number) => boolean): number {
  for (let i = 0; i < 200_000; i++) run(i % 10_000); // warm the JIT
  let enabled = 0;
  const t0 = performance.now();
  for (let i = 0; i < CHECKS; i++) if (run(i % 10_000)) enabled++;
  const ns = ((performance.now() - t0) * 1e6) / CHECKS;
  console.log(`${label.padEnd(46)} ${ns.toFixed(1).padStart(7)} ns per check  (${((enabled / CHECKS) * 100).toFixed(1)}% enabled)`);
  return ns;
}

console.log(`== Fraud API toggle resolution: ${entries.length} configurations, ${TENANTS.length} tenants, ${CHECKS.toLocaleString('en-GB')} checks ==`);
const baseline = time('baseline: Map look-up of a precomputed key', (i) => precomputed.get(keys[i]!) ?? true);
const resolved = time('resolver: winner(context, instant)', (i) => index.winner(contexts[i]!, instants[i]!)?.isEnabled ?? true);
console.log(`ratio resolver / baseline: ${(resolved / baseline).toFixed(2)}`);
console.log(`target ≤ 1 µs (1,000 ns) per check: ${resolved <= 1000 ? 'met' : 'NOT met'}`);
