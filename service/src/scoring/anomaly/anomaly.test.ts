import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  averagePathLength,
  deserializeModel,
  IsolationForestModelJson,
  mulberry32,
  scoreIsolationForest,
  serializeModel,
  trainIsolationForest,
  type IsolationForestModel,
} from './isolation-forest.ts';
import { ANOMALY_FEATURES, anomalyFeatures, type AnomalyFeatureInput } from './features.ts';
import { gaussian, normalPayment, outlierPayment } from '../../testing/anomaly-data.ts';

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

const random = mulberry32(20_261_120);
const training = Array.from({ length: 4000 }, () => anomalyFeatures(normalPayment(random)));
const heldOut = Array.from({ length: 500 }, () => anomalyFeatures(normalPayment(random)));
const outliers = Array.from({ length: 100 }, () => anomalyFeatures(outlierPayment(random)));
const OPTIONS = { trees: 100, subsampleSize: 256, seed: 42, featureNames: ANOMALY_FEATURES };
const model = trainIsolationForest(training, OPTIONS);

describe('isolation forest', () => {
  it('scores clear outliers well above typical payments it never saw in training', (t) => {
    const inlierScores = heldOut.map((x) => scoreIsolationForest(model, x));
    const outlierScores = outliers.map((x) => scoreIsolationForest(model, x));
    const inlierMean = mean(inlierScores);
    const outlierMean = mean(outlierScores);
    t.diagnostic(`mean inlier score ${inlierMean.toFixed(3)}, mean outlier score ${outlierMean.toFixed(3)}`);
    assert.ok(inlierMean < 0.55, `mean inlier score ${inlierMean}`);
    assert.ok(outlierMean > 0.65, `mean outlier score ${outlierMean}`);
    // Not just on average: the least unusual outlier still beats the typical (median) payment.
    const sortedInliers = [...inlierScores].sort((a, b) => a - b);
    assert.ok(Math.min(...outlierScores) > sortedInliers[Math.floor(sortedInliers.length / 2)]!);
    for (const s of [...inlierScores, ...outlierScores]) assert.ok(s > 0 && s <= 1, `score ${s} out of range`);
  });

  it('isolates points off a plain 2-D Gaussian cluster, further out scoring higher', () => {
    const rand = mulberry32(7);
    const normal = gaussian(rand);
    const cluster = Array.from({ length: 3000 }, () => [normal(), normal()]);
    const forest = trainIsolationForest(cluster, { trees: 100, subsampleSize: 256, seed: 1 });
    const centre = scoreIsolationForest(forest, [0, 0]);
    const edge = scoreIsolationForest(forest, [2.5, 0]);
    const far = scoreIsolationForest(forest, [6, -6]);
    assert.ok(centre < 0.5, `centre ${centre}`);
    assert.ok(edge > centre, `edge ${edge} vs centre ${centre}`);
    assert.ok(far > 0.7 && far > edge, `far ${far} vs edge ${edge}`);
  });

  it('gives exactly 0.5 when nothing can be isolated (all training points identical)', () => {
    const same = Array.from({ length: 300 }, () => [1, 2, 3]);
    const forest = trainIsolationForest(same, { trees: 20, subsampleSize: 64, seed: 3 });
    assert.equal(forest.feature.length, 20, 'every tree is a single external node');
    for (const x of [
      [1, 2, 3],
      [100, -5, 0],
    ]) {
      assert.ok(Math.abs(scoreIsolationForest(forest, x) - 0.5) < 1e-12, String(scoreIsolationForest(forest, x)));
    }
  });

  it("scores exactly as a plain recursive walk of the stored trees (the paper's PathLength)", () => {
    const reference = (m: IsolationForestModel, x: ArrayLike<number>): number => {
      const pathLength = (node: number, depth: number): number =>
        m.feature[node]! < 0
          ? depth + averagePathLength(m.size[node]!)
          : pathLength(x[m.feature[node]!]! < m.split[node]! ? m.left[node]! : m.right[node]!, depth + 1);
      let sum = 0;
      for (const root of m.roots) sum += pathLength(root, 0);
      return 2 ** (-(sum / m.trees) / averagePathLength(m.subsampleSize));
    };
    // Odd tree count exercises the trees left over after the four-at-a-time loop.
    const odd = trainIsolationForest(training.slice(0, 1000), { trees: 7, subsampleSize: 100, seed: 11 });
    const splitPoint = Float64Array.from(heldOut[0]!);
    const splitFeature = model.feature[model.roots[0]!]!;
    splitPoint[splitFeature] = model.split[model.roots[0]!]!; // exactly on a split: goes right
    const probes = [...heldOut.slice(0, 100), ...outliers.slice(0, 30), splitPoint, new Float64Array(8).fill(1e300), new Float64Array(8).fill(-1e300)];
    for (const m of [model, odd]) {
      for (const x of probes) {
        const expected = reference(m, x);
        assert.ok(Math.abs(scoreIsolationForest(m, x) - expected) < 1e-12, `${scoreIsolationForest(m, x)} vs ${expected}`);
      }
    }
  });

  it('uses the c(n) path-length correction from the paper', () => {
    assert.equal(averagePathLength(0), 0);
    assert.equal(averagePathLength(1), 0);
    assert.equal(averagePathLength(2), 1);
    // c(256) = 2(ln 255 + γ) − 2·255/256 ≈ 10.2448
    assert.ok(Math.abs(averagePathLength(256) - 10.2448) < 1e-3, String(averagePathLength(256)));
    assert.equal(model.compiled.normaliser, averagePathLength(256));
    assert.equal(model.heightLimit, 8);
    assert.equal(model.subsampleSize, 256);
  });

  it('caps the sub-sample at the sample count', () => {
    const few = Array.from({ length: 50 }, (_, i) => [i, (i * 7) % 13]);
    const forest = trainIsolationForest(few, { trees: 5, subsampleSize: 256, seed: 9 });
    assert.equal(forest.subsampleSize, 50);
    assert.equal(forest.heightLimit, 6);
    for (const r of forest.roots) assert.equal(forest.size[r], 50);
  });

  it('is deterministic for a seed, and the seed matters', () => {
    const again = trainIsolationForest(training, OPTIONS);
    assert.deepEqual(serializeModel(again), serializeModel(model));
    for (const x of [...heldOut.slice(0, 50), ...outliers.slice(0, 20)]) {
      assert.equal(scoreIsolationForest(again, x), scoreIsolationForest(model, x));
    }
    const other = trainIsolationForest(training, { ...OPTIONS, seed: 43 });
    assert.notDeepEqual(serializeModel(other).split, serializeModel(model).split);
  });

  it('round-trips through JSON text with identical scores', () => {
    const text = JSON.stringify(serializeModel(model));
    const loaded = deserializeModel(JSON.parse(text));
    assert.deepEqual(loaded.featureNames, ANOMALY_FEATURES);
    for (const x of [...heldOut, ...outliers]) {
      assert.equal(scoreIsolationForest(loaded, x), scoreIsolationForest(model, x));
    }
  });

  it('rejects corrupted stored models', () => {
    const good = serializeModel(model);
    assert.equal(IsolationForestModelJson.safeParse(good).success, true);
    const firstInternal = good.feature.findIndex((q) => q >= 0);
    const corruptions: [string, (m: IsolationForestModelJson) => void][] = [
      [
        'a child pointing back at its parent (a cycle)',
        (m) => {
          m.left[firstInternal] = firstInternal;
        },
      ],
      [
        'a child id past the end',
        (m) => {
          m.right[firstInternal] = m.feature.length;
        },
      ],
      [
        'a split feature out of range',
        (m) => {
          m.feature[firstInternal] = m.featureCount;
        },
      ],
      [
        'a truncated split array',
        (m) => {
          m.split.pop();
        },
      ],
      [
        'sizes that do not add up',
        (m) => {
          m.size[m.left[firstInternal]!]! += 1;
        },
      ],
      [
        'a missing root',
        (m) => {
          m.roots.pop();
        },
      ],
      [
        'a non-numeric split',
        (m) => {
          (m.split as unknown[])[0] = 'x';
        },
      ],
      [
        'another format',
        (m) => {
          (m as { format: string }).format = 'sklearn';
        },
      ],
      [
        'names for a different feature vector',
        (m) => {
          m.featureNames = ['amount'];
        },
      ],
    ];
    for (const [what, corrupt] of corruptions) {
      const copy = structuredClone(good);
      corrupt(copy);
      assert.equal(IsolationForestModelJson.safeParse(copy).success, false, what);
      assert.throws(() => deserializeModel(copy), what);
    }
  });

  it('refuses bad training input and wrong-length feature vectors', () => {
    assert.throws(() => trainIsolationForest([[1, 2]], { trees: 10, subsampleSize: 8, seed: 1 }), /at least two/);
    assert.throws(() => trainIsolationForest([[1, 2], [3]], { trees: 10, subsampleSize: 8, seed: 1 }), /sample 1/);
    assert.throws(
      () =>
        trainIsolationForest(
          [
            [1, Number.NaN],
            [3, 4],
          ],
          { trees: 10, subsampleSize: 8, seed: 1 },
        ),
      /finite/,
    );
    assert.throws(() => trainIsolationForest([[1], [2]], { trees: 0, subsampleSize: 8, seed: 1 }), /trees/);
    assert.throws(() => scoreIsolationForest(model, [1, 2, 3]), /expected 8 features/);
    assert.throws(() => scoreIsolationForest(model, [0, 0, 0, 0, Number.NaN, 0, 0, 0]), /feature 4 is NaN/);
  });
});

describe('anomaly features', () => {
  const base: AnomalyFeatureInput = {
    amountKes: 999,
    timestamp: '2026-11-20T00:00:00Z', // Friday 03:00 in Nairobi
    channel: 'MOBILE',
    country: 'KE',
    homeCountry: 'KE',
    paymentType: 'MOBILE_MONEY',
  };
  const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} ≠ ${expected}`);
  const feature = (input: Partial<AnomalyFeatureInput>, name: string) => anomalyFeatures({ ...base, ...input })[ANOMALY_FEATURES.indexOf(name)]!;

  it('names every column of the vector', () => {
    assert.equal(anomalyFeatures(base).length, ANOMALY_FEATURES.length);
    assert.equal(new Set(ANOMALY_FEATURES).size, ANOMALY_FEATURES.length);
  });

  it('puts 03:00 Nairobi at 45° on the clock, whatever offset the timestamp was sent with', () => {
    const v = anomalyFeatures(base);
    close(v[1]!, Math.SQRT1_2, 'hourSin');
    close(v[2]!, Math.SQRT1_2, 'hourCos');
    const sameInstant = anomalyFeatures({ ...base, timestamp: '2026-11-20T03:00:00+03:00' });
    assert.deepEqual(sameInstant, v);
    // 18:00 Nairobi is 270°: sin −1, cos 0.
    close(feature({ timestamp: '2026-11-20T15:00:00Z' }, 'hourSin'), -1, '18:00 sin');
    close(feature({ timestamp: '2026-11-20T15:00:00Z' }, 'hourCos'), 0, '18:00 cos');
    // The same instant in a UTC bank is midnight.
    close(feature({ timeZoneOffsetMinutes: 0 }, 'hourSin'), 0, 'UTC sin');
    close(feature({ timeZoneOffsetMinutes: 0 }, 'hourCos'), 1, 'UTC cos');
  });

  it('flags the weekend by the local day, not the UTC day', () => {
    assert.equal(feature({}, 'weekend'), 0, 'Friday');
    // Friday 22:30 UTC is Saturday 01:30 in Nairobi.
    assert.equal(feature({ timestamp: '2026-11-20T22:30:00Z' }, 'weekend'), 1);
    assert.equal(feature({ timestamp: '2026-11-22T20:59:00Z' }, 'weekend'), 1, 'Sunday 23:59');
    assert.equal(feature({ timestamp: '2026-11-22T21:00:00Z' }, 'weekend'), 0, 'Monday 00:00');
  });

  it('encodes amount, cross-border, median ratio, channel and payment type', () => {
    close(feature({}, 'log10AmountKes'), 3, 'log10(999 + 1)');
    assert.equal(feature({}, 'crossBorder'), 0);
    assert.equal(feature({ country: 'UG' }, 'crossBorder'), 1);
    assert.equal(feature({ country: 'ke' }, 'crossBorder'), 0, 'case does not make it foreign');
    assert.equal(feature({}, 'log10AmountVsCustomerMedian'), 0, 'unknown median');
    assert.equal(feature({ customerMedianAmountKes: null }, 'log10AmountVsCustomerMedian'), 0);
    close(feature({ amountKes: 99_999, customerMedianAmountKes: 999 }, 'log10AmountVsCustomerMedian'), 2, '100× median');
    close(feature({ amountKes: 9, customerMedianAmountKes: 999 }, 'log10AmountVsCustomerMedian'), -2, '1/100 of median');
    assert.ok(feature({ channel: 'WEB' }, 'channelRisk') > feature({ channel: 'MOBILE' }, 'channelRisk'));
    assert.ok(feature({ channel: 'MOBILE' }, 'channelRisk') > feature({ channel: 'BRANCH' }, 'channelRisk'));
    assert.equal(feature({ channel: 'BRANCH' }, 'channelRisk'), 0);
    assert.notEqual(feature({ paymentType: 'RTGS' }, 'paymentTypeCode'), feature({}, 'paymentTypeCode'));
    assert.equal(feature({ paymentType: 'rtgs' }, 'paymentTypeCode'), feature({ paymentType: 'RTGS' }, 'paymentTypeCode'));
    assert.equal(feature({ paymentType: 'SOMETHING_NEW' }, 'paymentTypeCode'), 0);
  });

  it('refuses inputs no payment can have', () => {
    assert.throws(() => anomalyFeatures({ ...base, timestamp: 'yesterday' }), RangeError);
    assert.throws(() => anomalyFeatures({ ...base, timestamp: '2026-11-20T03:00:00' }), /UTC offset/, 'host-zone dependent');
    assert.throws(() => anomalyFeatures({ ...base, amountKes: -1 }), RangeError);
    assert.throws(() => anomalyFeatures({ ...base, amountKes: Number.POSITIVE_INFINITY }), RangeError);
    assert.throws(() => anomalyFeatures({ ...base, customerMedianAmountKes: Number.NaN }), RangeError);
  });
});
