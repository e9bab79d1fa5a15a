import { createRequire } from 'node:module';
import { z } from 'zod';

/**
 * Country centroids from the `world-countries` package (ODbL-1.0, mledoze/countries): a payment
 * carries only its ISO 3166 country, so distance is measured between countries' centroids. Two
 * payments in one country are 0 km apart: impossible travel is only ever claimed across borders.
 */
const Countries = z.array(z.object({ cca2: z.string(), latlng: z.array(z.number()) }));

let centroids: Map<string, readonly [number, number]> | null = null;

function centroidMap(): Map<string, readonly [number, number]> {
  if (!centroids) {
    // The package's ES entry re-exports JSON without an import attribute, which Node refuses; its CommonJS entry loads.
    const loaded: unknown = createRequire(import.meta.url)('world-countries');
    centroids = new Map();
    for (const c of Countries.parse(loaded)) {
      const [lat, lng] = c.latlng;
      if (lat !== undefined && lng !== undefined) centroids.set(c.cca2.toUpperCase(), [lat, lng]);
    }
  }
  return centroids;
}

export function countryCentroid(country: string | null): readonly [number, number] | null {
  if (!country) return null;
  return centroidMap().get(country.trim().toUpperCase()) ?? null;
}

const EARTH_RADIUS_KM = 6371;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance (haversine) between two [lat, lng] points, in km. */
export function haversineKm(a: readonly [number, number], b: readonly [number, number]): number {
  const dLat = rad(b[0] - a[0]);
  const dLng = rad(b[1] - a[1]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[0])) * Math.cos(rad(b[0])) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** km between two countries' centroids; 0 for the same country; null when either is unknown. */
export function countryDistanceKm(from: string | null, to: string | null): number | null {
  if (from && to && from.trim().toUpperCase() === to.trim().toUpperCase()) return 0;
  const a = countryCentroid(from);
  const b = countryCentroid(to);
  return a && b ? haversineKm(a, b) : null;
}
