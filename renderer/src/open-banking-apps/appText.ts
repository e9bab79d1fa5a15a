// Pure helpers of the apps screens (tested in e2e/consent-register-screens.test.ts).

/** Redirect URIs as typed: one per line, blank lines ignored. */
export function redirectLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** Today in the bank's zone (Nairobi: UTC+3, no daylight saving), as YYYY-MM-DD. */
export function bankToday(nowMs: number = Date.now()): string {
  return new Date(nowMs + 3 * 3_600_000).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The usage query for whole bank days, `from` through `to`. */
export function usageRange(from: string, to: string): { from: string; to: string } {
  return { from: `${from}T00:00:00+03:00`, to: `${addDays(to, 1)}T00:00:00+03:00` };
}
