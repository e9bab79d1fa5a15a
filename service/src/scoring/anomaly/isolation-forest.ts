import { z } from 'zod';
import { mulberry32 } from '../../util/prng.ts';

/**
 * Isolation Forest (Liu, Ting & Zhou, ICDM 2008; extended TKDD 2012), written from scratch so the
 * model is small, deterministic and plain JSON we can store and review.
 *
 * Anomalies are few and different, so random axis-parallel splits isolate them in fewer steps than
 * normal points. A point's score is s(x, ψ) = 2^(−E[h(x)] / c(ψ)): ≈0.5 or below is ordinary,
 * towards 1 is anomalous.
 *
 * Layout: all trees share flat arrays indexed by node id, in pre-order, so a child's id is always
 * greater than its parent's. `feature[i] === -1` marks an external node (leaf). Flat typed arrays
 * keep scoring free of allocation.
 */

export interface IsolationForestOptions {
  /** Number of isolation trees (the paper's t; 100 is the usual choice). */
  trees: number;
  /** Sub-sample drawn per tree (the paper's ψ; 256 is the usual choice). Capped at the sample count. */
  subsampleSize: number;
  /** PRNG seed (used as an unsigned 32-bit integer): the same samples, options and seed give an identical model. */
  seed: number;
  /** Names of the feature columns, stored with the model so a scorer can check it feeds the same vector. */
  featureNames?: readonly string[];
}

export interface IsolationForestModel {
  readonly trees: number;
  /** The ψ actually used (min of the requested size and the sample count). */
  readonly subsampleSize: number;
  /** Tree height limit ⌈log2 ψ⌉ (the paper's l). */
  readonly heightLimit: number;
  readonly seed: number;
  readonly featureCount: number;
  readonly featureNames: readonly string[] | null;
  /** Node id of each tree's root. */
  readonly roots: Int32Array;
  /** Split feature per node; -1 for an external node. */
  readonly feature: Int32Array;
  /** Split value per node: x[feature] < split goes left, otherwise right. 0 for external nodes. */
  readonly split: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Training points that reached the node (for external nodes this feeds the c(size) correction). */
  readonly size: Int32Array;
  /** Built after training and on load, never stored: the arrays scoring walks (see withCompiled). */
  readonly compiled: CompiledForest;
}

/**
 * The scoring form of a forest. External nodes loop to themselves (skip 0), so every tree can be
 * walked exactly heightLimit steps without a leaf test, several trees in lock-step.
 */
export interface CompiledForest {
  /** Split feature; 0 for external nodes (their skip is 0, so the comparison has no effect). */
  readonly feature: Int32Array;
  readonly split: Float64Array;
  /** Where "x < split" goes: the left child, or the node itself when external. */
  readonly next: Int32Array;
  /** Added to next when x ≥ split: right − left child, or 0 when external. */
  readonly skip: Int32Array;
  /** For an external node, depth + c(size): its whole contribution to h(x). */
  readonly leafPathLength: Float64Array;
  /** c(ψ), the normaliser of the average path length. */
  readonly normaliser: number;
}

const EULER_GAMMA = 0.5772156649015329;

/**
 * c(n): average path length of an unsuccessful BST search among n points, i.e. the expected
 * remaining depth below an external node that still held n points when the height limit stopped it.
 */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1; // the harmonic approximation is poor here; the 2012 paper fixes c(2) = 1
  const harmonic = Math.log(n - 1) + EULER_GAMMA;
  return 2 * harmonic - (2 * (n - 1)) / n;
}

export { mulberry32 };

export function trainIsolationForest(samples: readonly Float64Array[] | readonly number[][], options: IsolationForestOptions): IsolationForestModel {
  const { trees, seed } = options;
  if (!Number.isInteger(trees) || trees < 1 || trees > 10_000) throw new RangeError('trees must be an integer in 1..10000');
  if (!Number.isInteger(options.subsampleSize) || options.subsampleSize < 2) throw new RangeError('subsampleSize must be an integer ≥ 2');
  if (!Number.isFinite(seed)) throw new RangeError('seed must be a finite number');
  const n = samples.length;
  if (n < 2) throw new RangeError('need at least two samples to train');
  const d = samples[0]!.length;
  if (d < 1) throw new RangeError('samples need at least one feature');
  if (options.featureNames && options.featureNames.length !== d) {
    throw new RangeError(`featureNames has ${options.featureNames.length} names for ${d} features`);
  }

  // One contiguous row-major copy: checks every value once and keeps the build loop cache-friendly.
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = samples[i]!;
    if (row.length !== d) throw new RangeError(`sample ${i} has ${row.length} features, expected ${d}`);
    for (let j = 0; j < d; j++) {
      const v = row[j]!;
      if (!Number.isFinite(v)) throw new RangeError(`sample ${i} feature ${j} is not a finite number`);
      data[i * d + j] = v;
    }
  }

  const psi = Math.min(options.subsampleSize, n);
  const heightLimit = Math.ceil(Math.log2(psi));
  const random = mulberry32(seed);

  const feature: number[] = [];
  const split: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const size: number[] = [];
  const roots = new Int32Array(trees);

  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  const sample = new Int32Array(psi);
  const featureOrder = new Int32Array(d);

  const leaf = (count: number): number => {
    feature.push(-1);
    split.push(0);
    left.push(-1);
    right.push(-1);
    size.push(count);
    return feature.length - 1;
  };

  // Builds the subtree over sample[from, to) in place (quicksort-style partition); returns its node id.
  const build = (from: number, to: number, depth: number): number => {
    const count = to - from;
    if (depth >= heightLimit || count <= 1) return leaf(count);

    // The paper picks one attribute at random; a constant one cannot split, so try the others in
    // random order and stop only when every attribute is constant (all points are duplicates).
    for (let j = 0; j < d; j++) featureOrder[j] = j;
    for (let k = 0; k < d; k++) {
      const pick = k + Math.floor(random() * (d - k));
      const q = featureOrder[pick]!;
      featureOrder[pick] = featureOrder[k]!;
      featureOrder[k] = q;

      let min = Infinity;
      let max = -Infinity;
      for (let i = from; i < to; i++) {
        const v = data[sample[i]! * d + q]!;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (!(max > min)) continue;

      let p = min + random() * (max - min);
      // p === min would send nothing left (possible through rounding); the midpoint always splits.
      if (!(p > min)) p = min + (max - min) / 2;

      let mid = from;
      for (let i = from; i < to; i++) {
        const idx = sample[i]!;
        if (data[idx * d + q]! < p) {
          sample[i] = sample[mid]!;
          sample[mid] = idx;
          mid++;
        }
      }

      const node = feature.length;
      feature.push(q);
      split.push(p);
      left.push(-1);
      right.push(-1);
      size.push(count);
      left[node] = build(from, mid, depth + 1);
      right[node] = build(mid, to, depth + 1);
      return node;
    }
    return leaf(count);
  };

  for (let t = 0; t < trees; t++) {
    // Partial Fisher–Yates: the first psi slots of the pool become a sample without replacement.
    for (let i = 0; i < psi; i++) {
      const j = i + Math.floor(random() * (n - i));
      const tmp = pool[i]!;
      pool[i] = pool[j]!;
      pool[j] = tmp;
      sample[i] = pool[i]!;
    }
    roots[t] = build(0, psi, 0);
  }

  return withCompiled({
    trees,
    subsampleSize: psi,
    heightLimit,
    seed: seed >>> 0,
    featureCount: d,
    featureNames: options.featureNames ? [...options.featureNames] : null,
    roots,
    feature: Int32Array.from(feature),
    split: Float64Array.from(split),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    size: Int32Array.from(size),
  });
}

type StoredParts = Omit<IsolationForestModel, 'compiled'>;

function withCompiled(parts: StoredParts): IsolationForestModel {
  const nodes = parts.feature.length;
  const depth = new Int32Array(nodes);
  const feature = new Int32Array(nodes);
  const split = new Float64Array(nodes);
  const next = new Int32Array(nodes);
  const skip = new Int32Array(nodes);
  const leafPathLength = new Float64Array(nodes);
  // Pre-order ids put every parent before its children, so one forward pass knows each depth.
  for (let i = 0; i < nodes; i++) {
    const q = parts.feature[i]!;
    if (q >= 0) {
      depth[parts.left[i]!] = depth[i]! + 1;
      depth[parts.right[i]!] = depth[i]! + 1;
      feature[i] = q;
      split[i] = parts.split[i]!;
      next[i] = parts.left[i]!;
      skip[i] = parts.right[i]! - parts.left[i]!;
    } else {
      next[i] = i;
      leafPathLength[i] = depth[i]! + averagePathLength(parts.size[i]!);
    }
  }
  const compiled = { feature, split, next, skip, leafPathLength, normaliser: averagePathLength(parts.subsampleSize) };
  return { ...parts, compiled };
}

// Branch-free "x < split": the sign bit of x − split, read through an Int32 view of a Float64 slot.
// The direction of each step is data-dependent and unpredictable, so a branch mispredicts about half
// the time; without branches four trees walk in parallel (measured ~1.8× faster than a plain walk).
// For finite x and split, x − split is negative exactly when x < split (equal gives +0).
const lanes = new Float64Array(4);
const laneWords = new Int32Array(lanes.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // high word index (endianness)
const H0 = HIGH;
const H1 = 2 + HIGH;
const H2 = 4 + HIGH;
const H3 = 6 + HIGH;

/**
 * Anomaly score s = 2^(−E[h(x)]/c(ψ)) in (0, 1]. `features` must be laid out as in training; NaN
 * has no place in a tree walk, so it is refused.
 */
export function scoreIsolationForest(model: IsolationForestModel, features: ArrayLike<number>): number {
  const d = model.featureCount;
  if (features.length !== d) throw new RangeError(`expected ${d} features, got ${features.length}`);
  for (let j = 0; j < d; j++) if (Number.isNaN(features[j])) throw new RangeError(`feature ${j} is NaN`);
  const { feature, split, next, skip, leafPathLength, normaliser } = model.compiled;
  const roots = model.roots;
  const steps = model.heightLimit;
  const x = features;
  let total = 0;
  let t = 0;
  for (; t + 4 <= roots.length; t += 4) {
    let a = roots[t]!;
    let b = roots[t + 1]!;
    let c = roots[t + 2]!;
    let e = roots[t + 3]!;
    for (let k = 0; k < steps; k++) {
      lanes[0] = x[feature[a]!]! - split[a]!;
      lanes[1] = x[feature[b]!]! - split[b]!;
      lanes[2] = x[feature[c]!]! - split[c]!;
      lanes[3] = x[feature[e]!]! - split[e]!;
      // (high word >> 31) is −1 when x < split; its complement masks skip off, leaving the left child.
      a = next[a]! + (skip[a]! & ~(laneWords[H0]! >> 31));
      b = next[b]! + (skip[b]! & ~(laneWords[H1]! >> 31));
      c = next[c]! + (skip[c]! & ~(laneWords[H2]! >> 31));
      e = next[e]! + (skip[e]! & ~(laneWords[H3]! >> 31));
    }
    total += leafPathLength[a]! + leafPathLength[b]! + leafPathLength[c]! + leafPathLength[e]!;
  }
  for (; t < roots.length; t++) {
    let a = roots[t]!;
    for (let k = 0; k < steps; k++) {
      lanes[0] = x[feature[a]!]! - split[a]!;
      a = next[a]! + (skip[a]! & ~(laneWords[H0]! >> 31));
    }
    total += leafPathLength[a]!;
  }
  return 2 ** (-(total / roots.length) / normaliser);
}

// ---------------------------------------------------------------------------------------------
// Stored form
// ---------------------------------------------------------------------------------------------

const NodeRef = z.number().int().min(-1);

/**
 * The stored model: plain JSON, validated structurally on load so a corrupted or hand-edited model
 * fails loudly instead of scoring garbage (or looping: children must come after their parent).
 */
export const IsolationForestModelJson = z
  .object({
    format: z.literal('wekeza.isolation-forest'),
    version: z.literal(1),
    trees: z.number().int().min(1).max(10_000),
    subsampleSize: z.number().int().min(2),
    heightLimit: z.number().int().min(1).max(64),
    seed: z.number().int().min(0).max(0xffffffff),
    featureCount: z.number().int().min(1).max(1000),
    featureNames: z.array(z.string().min(1)).nullable(),
    roots: z.array(z.number().int().min(0)),
    feature: z.array(NodeRef),
    split: z.array(z.number()),
    left: z.array(NodeRef),
    right: z.array(NodeRef),
    size: z.array(z.number().int().min(0)),
  })
  .superRefine((m, ctx) => {
    const fail = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const nodes = m.feature.length;
    for (const key of ['split', 'left', 'right', 'size'] as const) {
      if (m[key].length !== nodes) return fail([key], `has ${m[key].length} entries for ${nodes} nodes`);
    }
    if (m.roots.length !== m.trees) return fail(['roots'], `has ${m.roots.length} roots for ${m.trees} trees`);
    if (m.featureNames !== null && m.featureNames.length !== m.featureCount) {
      return fail(['featureNames'], `has ${m.featureNames.length} names for ${m.featureCount} features`);
    }
    if (m.heightLimit !== Math.ceil(Math.log2(m.subsampleSize))) return fail(['heightLimit'], 'does not match subsampleSize');

    // Every node must be referenced exactly once (as a root or a child): that makes it a forest.
    const referenced = new Uint8Array(nodes);
    const depth = new Int32Array(nodes);
    for (let t = 0; t < m.roots.length; t++) {
      const r = m.roots[t]!;
      if (r >= nodes || referenced[r]) return fail(['roots', t], 'is not a distinct node id');
      referenced[r] = 1;
      if (m.size[r] !== m.subsampleSize) return fail(['size', r], 'root size differs from subsampleSize');
    }
    for (let i = 0; i < nodes; i++) {
      if (!referenced[i]) return fail(['feature', i], 'node is not reachable from any root');
      const q = m.feature[i]!;
      const l = m.left[i]!;
      const r = m.right[i]!;
      if (q === -1) {
        if (l !== -1 || r !== -1) return fail(['left', i], 'external node has children');
        continue;
      }
      if (q >= m.featureCount) return fail(['feature', i], `feature ${q} out of range`);
      if (!Number.isFinite(m.split[i]!)) return fail(['split', i], 'split value is not finite');
      for (const [key, child] of [
        ['left', l],
        ['right', r],
      ] as const) {
        if (child <= i || child >= nodes || referenced[child]) return fail([key, i], 'child id must be a later, unused node');
        referenced[child] = 1;
        depth[child] = depth[i]! + 1;
        if (depth[child]! > m.heightLimit) return fail([key, i], 'tree deeper than heightLimit');
      }
      if (m.size[l]! + m.size[r]! !== m.size[i]!) return fail(['size', i], 'children sizes do not add up');
    }
  });
export type IsolationForestModelJson = z.infer<typeof IsolationForestModelJson>;

export function serializeModel(model: IsolationForestModel): IsolationForestModelJson {
  return {
    format: 'wekeza.isolation-forest',
    version: 1,
    trees: model.trees,
    subsampleSize: model.subsampleSize,
    heightLimit: model.heightLimit,
    seed: model.seed,
    featureCount: model.featureCount,
    featureNames: model.featureNames ? [...model.featureNames] : null,
    roots: Array.from(model.roots),
    feature: Array.from(model.feature),
    split: Array.from(model.split),
    left: Array.from(model.left),
    right: Array.from(model.right),
    size: Array.from(model.size),
  };
}

/** Validates a stored model (throws the ZodError when it is not one) and rebuilds the derived arrays. */
export function deserializeModel(json: unknown): IsolationForestModel {
  const m = IsolationForestModelJson.parse(json);
  return withCompiled({
    trees: m.trees,
    subsampleSize: m.subsampleSize,
    heightLimit: m.heightLimit,
    seed: m.seed,
    featureCount: m.featureCount,
    featureNames: m.featureNames,
    roots: Int32Array.from(m.roots),
    feature: Int32Array.from(m.feature),
    split: Float64Array.from(m.split),
    left: Int32Array.from(m.left),
    right: Int32Array.from(m.right),
    size: Int32Array.from(m.size),
  });
}
