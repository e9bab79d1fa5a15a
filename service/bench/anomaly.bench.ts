/**
 * npm run bench:anomaly — how fast the isolation forest scores a payment and how fast its feature
 * vector is built (moved out of anomaly.test.ts, where it was measured but could not fail).
 * Each figure is printed next to a baseline measured in the same run, so the ratio, not the
 * absolute time, is what compares across machines:
 * - scoring vs. summing the same 8-number vector (the floor of touching the input);
 * - features vs. Date.parse of the same timestamp (the one unavoidable parse inside them).
 *
 * Options (environment): BENCH_ROUNDS (default 200,000 calls per figure).
 */
import { ANOMALY_FEATURES, anomalyFeatures } from '../src/scoring/anomaly/features.ts';
import { mulberry32, scoreIsolationForest, trainIsolationForest } from '../src/scoring/anomaly/isolation-forest.ts';
import { normalPayment, outlierPayment } from '../src/testing/anomaly-data.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200_000);
const random = mulberry32(20_261_120);
const training = Array.from({ length: 4000 }, () => anomalyFeatures(normalPayment(random)));
const inputs = [...Array.from({ length: 500 }, () => normalPayment(random)), ...Array.from({ length: 100 }, () => outlierPayment(random))];
const points = inputs.map(anomalyFeatures);

const trainStart = performance.now();
const model = trainIsolationForest(training, { trees: 100, subsampleSize: 256, seed: 42, featureNames: ANOMALY_FEATURES });
const trainMs = performance.now() - trainStart;

/** Nanoseconds per call after a warm-up; the sink keeps the JIT from dropping the work. */
function time(label: string, call: (i: number) => number): number {
  let sink = 0;
  for (let i = 0; i < ROUNDS / 10; i++) sink += call(i % points.length);
  const start = performance.now();
  for (let i = 0; i < ROUNDS; i++) sink += call(i % points.length);
  const ns = ((performance.now() - start) * 1e6) / ROUNDS;
  if (!Number.isFinite(sink)) throw new Error(`${label}: non-finite result`);
  console.log(`${label.padEnd(52)} ${(ns / 1000).toFixed(3).padStart(8)} µs per call`);
  return ns;
}

console.log(
  `== Isolation forest: ${model.trees} trees, ${model.feature.length} nodes, sub-sample ${model.subsampleSize}; ` +
    `trained on ${training.length.toLocaleString('en-GB')} payments in ${trainMs.toFixed(0)} ms; ${ROUNDS.toLocaleString('en-GB')} calls per figure ==`,
);
const sumBaseline = time('baseline: sum of the 8-feature vector', (i) => {
  const x = points[i]!;
  let s = 0;
  for (let f = 0; f < x.length; f++) s += x[f]!;
  return s;
});
const score = time('score: scoreIsolationForest(model, features)', (i) => scoreIsolationForest(model, points[i]!));
const parseBaseline = time('baseline: Date.parse(timestamp)', (i) => Date.parse(inputs[i]!.timestamp));
const features = time('features: anomalyFeatures(payment)', (i) => anomalyFeatures(inputs[i]!)[0]!);
console.log(`ratio score / vector sum: ${(score / sumBaseline).toFixed(1)}`);
console.log(`ratio features / Date.parse: ${(features / parseBaseline).toFixed(1)}`);
console.log(`score + features per payment: ${((score + features) / 1000).toFixed(2)} µs`);
