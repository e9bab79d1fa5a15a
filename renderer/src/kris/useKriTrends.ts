// Recent measurements for the dashboard's sparklines. The list answer carries no history, so
// each card's trend is fetched once per KRI version of "last measured" (a new measurement refetches
// it), a few at a time so a dashboard of many KRIs does not flood the service.
import { useEffect, useState } from 'react';
import type { Kri, KriMeasurement } from '../../../shared/src/kris.ts';
import { fetchKriMeasurements } from './krisApi.ts';

const TREND_POINTS = 30;
const PARALLEL = 4;
const cache = new Map<string, KriMeasurement[]>();

function keyOf(kri: Kri): string {
  return `${kri.id}@${kri.lastMeasuredAt ?? 'never'}@${kri.version}`;
}

export function useKriTrends(kris: readonly Kri[]): Map<string, KriMeasurement[]> {
  const [, setTick] = useState(0);
  const wanted = kris.filter((k) => k.lastMeasuredAt !== null).map((k) => ({ id: k.id, key: keyOf(k) }));
  const missingKey = wanted
    .filter((w) => !cache.has(w.key))
    .map((w) => w.key)
    .join('|');

  useEffect(() => {
    if (!missingKey) return;
    const controller = new AbortController();
    const queue = missingKey.split('|');
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const id = next.split('@')[0]!;
        try {
          const list = await fetchKriMeasurements(id, { limit: TREND_POINTS }, controller.signal);
          cache.set(next, list.measurements);
          if (!controller.signal.aborted) setTick((t) => t + 1);
        } catch {
          // A sparkline is decoration: a failed fetch leaves the card without one.
          if (controller.signal.aborted) return;
        }
      }
    };
    void Promise.all(Array.from({ length: PARALLEL }, worker));
    return () => controller.abort();
  }, [missingKey]);

  const out = new Map<string, KriMeasurement[]>();
  for (const w of wanted) {
    const hit = cache.get(w.key);
    if (hit) out.set(w.id, hit);
  }
  return out;
}
