// Reading the risk matrix (issue 13): the matrix is data (likelihood × impact grid, level names,
// colours, review days) that an admin edits; every assessment freezes the one it used. These
// helpers only read a definition: they never decide a level the service did not decide, except
// to preview a pick in a form before it is sent.

/** The shape of a matrix definition, as much of it as the screens read. */
export interface MatrixScale {
  value: number;
  name: string;
  description?: string | null;
}
export interface MatrixLevel {
  key: string;
  name: string;
  colour: string;
  reviewDays: number;
}
export interface MatrixDefinitionView {
  likelihood: readonly MatrixScale[];
  impact: readonly MatrixScale[];
  levels: readonly MatrixLevel[];
  /** cells[likelihood - 1][impact - 1] = index into levels. */
  cells: readonly (readonly number[])[];
}

/** The level of a likelihood × impact pick, or null when the pick is outside the grid. */
export function levelAt(matrix: MatrixDefinitionView, likelihood: number, impact: number): MatrixLevel | null {
  const index = matrix.cells[likelihood - 1]?.[impact - 1];
  return index === undefined ? null : (matrix.levels[index] ?? null);
}

export function levelByKey(matrix: MatrixDefinitionView | null | undefined, key: string | null | undefined): MatrixLevel | null {
  if (!matrix || !key) return null;
  return matrix.levels.find((l) => l.key === key) ?? null;
}

export function scaleName(scale: readonly MatrixScale[], value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return scale.find((s) => s.value === value)?.name ?? String(value);
}

/** Likelihood values from the highest down: the heat map's rows read top (likely) to bottom (rare). */
export function likelihoodRows(matrix: MatrixDefinitionView): MatrixScale[] {
  return [...matrix.likelihood].sort((a, b) => b.value - a.value);
}

export function impactColumns(matrix: MatrixDefinitionView): MatrixScale[] {
  return [...matrix.impact].sort((a, b) => a.value - b.value);
}

const HEX = /^#([0-9a-f]{6})$/i;

/** Black or white, whichever reads better on the colour (WCAG relative luminance). */
export function readableOn(colour: string): '#000000' | '#ffffff' {
  const match = HEX.exec(colour.trim());
  if (!match) return '#000000';
  const n = Number.parseInt(match[1]!, 16);
  const channel = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
  // Contrast with black (L + 0.05) / 0.05 against white 1.05 / (L + 0.05): equal at L ≈ 0.179.
  return luminance > 0.179 ? '#000000' : '#ffffff';
}

export function isHexColour(value: string): boolean {
  return HEX.test(value.trim());
}

/** Counts per cell, keyed `likelihood:impact`. */
export type CellCounts = ReadonlyMap<string, number>;

export function cellKey(likelihood: number, impact: number): string {
  return `${likelihood}:${impact}`;
}

export function toCellCounts(cells: readonly { likelihood: number; impact: number; count: number }[]): CellCounts {
  const map = new Map<string, number>();
  for (const c of cells) map.set(cellKey(c.likelihood, c.impact), (map.get(cellKey(c.likelihood, c.impact)) ?? 0) + c.count);
  return map;
}
