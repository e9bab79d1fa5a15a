import { z } from 'zod';
import { NoteText, PlainText } from './text.ts';

/**
 * The risk matrix is data (issue 13): an N×M likelihood × impact grid whose cells name a level
 * (with a colour and a review cadence). An admin edits it; each edit is a new version, and every
 * assessment keeps a frozen copy of the version it used, so old scores stay reproducible.
 * Re-exported by shared/src/risk-register.ts.
 */

export const MAX_MATRIX_SIDE = 10;

export const MatrixAxisEntry = z.object({
  value: z.number().int().min(1).max(MAX_MATRIX_SIDE),
  name: PlainText(60).pipe(z.string().min(1, 'name it')),
  description: NoteText(300).default(''),
});
export type MatrixAxisEntry = z.infer<typeof MatrixAxisEntry>;

export const MatrixLevel = z.object({
  key: z.string().regex(/^[A-Z][A-Z0-9_]{0,39}$/, 'upper-case letters, digits and underscore, e.g. HIGH'),
  name: PlainText(60).pipe(z.string().min(1, 'name it')),
  colour: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour as #rrggbb'),
  /** How often a risk at this level is reviewed (the next review date follows from it). */
  reviewDays: z.number().int().min(1).max(3650),
});
export type MatrixLevel = z.infer<typeof MatrixLevel>;

const axisInOrder = (axis: readonly MatrixAxisEntry[]) => axis.every((entry, i) => entry.value === i + 1);

export const RiskMatrixDefinition = z
  .object({
    likelihood: z.array(MatrixAxisEntry).min(2).max(MAX_MATRIX_SIDE),
    impact: z.array(MatrixAxisEntry).min(2).max(MAX_MATRIX_SIDE),
    /** From the lowest level to the highest. */
    levels: z.array(MatrixLevel).min(1).max(10),
    /** cells[likelihood - 1][impact - 1] = index into levels. */
    cells: z.array(z.array(z.number().int().min(0))),
  })
  .superRefine((m, ctx) => {
    if (!axisInOrder(m.likelihood)) ctx.addIssue({ code: 'custom', path: ['likelihood'], message: 'values must be 1, 2, … in order' });
    if (!axisInOrder(m.impact)) ctx.addIssue({ code: 'custom', path: ['impact'], message: 'values must be 1, 2, … in order' });
    if (new Set(m.levels.map((l) => l.key)).size !== m.levels.length) ctx.addIssue({ code: 'custom', path: ['levels'], message: 'each level key once' });
    if (m.cells.length !== m.likelihood.length) {
      ctx.addIssue({ code: 'custom', path: ['cells'], message: `one row per likelihood (${m.likelihood.length})` });
      return;
    }
    m.cells.forEach((row, l) => {
      if (row.length !== m.impact.length) ctx.addIssue({ code: 'custom', path: ['cells', l], message: `one cell per impact (${m.impact.length})` });
      row.forEach((level, i) => {
        if (level >= m.levels.length) ctx.addIssue({ code: 'custom', path: ['cells', l, i], message: `no level ${level} (there are ${m.levels.length})` });
      });
    });
  });
export type RiskMatrixDefinition = z.infer<typeof RiskMatrixDefinition>;

export const RiskMatrixVersion = z.object({
  id: z.uuid(),
  versionNumber: z.number().int().positive(),
  definition: RiskMatrixDefinition,
  note: z.string(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
  /** The newest version is the one new assessments use. */
  current: z.boolean(),
});
export type RiskMatrixVersion = z.infer<typeof RiskMatrixVersion>;

export const RiskMatrixUpdateInput = z.object({
  definition: RiskMatrixDefinition,
  note: NoteText(500).pipe(z.string().min(3, 'say what changed (at least 3 characters)')),
  /** The version number the editor started from; another edit in between answers 409. */
  expectedVersionNumber: z.number().int().positive(),
});
export type RiskMatrixUpdateInput = z.input<typeof RiskMatrixUpdateInput>;

const axis = (names: string[]): MatrixAxisEntry[] => names.map((name, i) => ({ value: i + 1, name, description: '' }));

/** The default 5×5 matrix the service seeds when none exists: Low 360 d, Medium 180, High 90, Critical 30. */
export const DEFAULT_RISK_MATRIX: RiskMatrixDefinition = {
  likelihood: axis(['Rare', 'Unlikely', 'Possible', 'Likely', 'Almost certain']),
  impact: axis(['Insignificant', 'Minor', 'Moderate', 'Major', 'Severe']),
  levels: [
    { key: 'LOW', name: 'Low', colour: '#2e7d32', reviewDays: 360 },
    { key: 'MEDIUM', name: 'Medium', colour: '#f9a825', reviewDays: 180 },
    { key: 'HIGH', name: 'High', colour: '#ef6c00', reviewDays: 90 },
    { key: 'CRITICAL', name: 'Critical', colour: '#c62828', reviewDays: 30 },
  ],
  // Rows: likelihood 1..5; columns: impact 1..5 (score = likelihood × impact: ≤4 low, ≤9 medium, ≤16 high, else critical).
  cells: [
    [0, 0, 0, 0, 1],
    [0, 0, 1, 1, 2],
    [0, 1, 1, 2, 2],
    [0, 1, 2, 2, 3],
    [1, 2, 2, 3, 3],
  ],
};

/** The score and level of a position on a matrix (clamped onto its grid). */
export function scoreOn(matrix: RiskMatrixDefinition, likelihood: number, impact: number) {
  const l = Math.min(Math.max(1, likelihood), matrix.likelihood.length);
  const i = Math.min(Math.max(1, impact), matrix.impact.length);
  const level = matrix.levels[matrix.cells[l - 1]![i - 1]!]!;
  return { likelihood: l, impact: i, score: l * i, level: { key: level.key, name: level.name, colour: level.colour, reviewDays: level.reviewDays } };
}
