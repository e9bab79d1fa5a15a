// The matrix editor's working copy and its checks. Nothing here throws while an admin types: a
// bad field gives a message for that field, and the draft is sent only when every field is valid.
import type { RiskMatrixUpdateInput } from '../../../shared/src/risk-register.ts';
import { isHexColour, type MatrixDefinitionView, type MatrixLevel, type MatrixScale } from './matrix.ts';

export interface MatrixDraft {
  likelihood: MatrixScale[];
  impact: MatrixScale[];
  /** reviewDays as typed, so "9" on the way to "90" is not rejected mid-word. */
  levels: (Omit<MatrixLevel, 'reviewDays'> & { reviewDays: string })[];
  cells: number[][];
}

export function toDraft(matrix: MatrixDefinitionView): MatrixDraft {
  return {
    likelihood: matrix.likelihood.map((s) => ({ ...s })),
    impact: matrix.impact.map((s) => ({ ...s })),
    levels: matrix.levels.map((l) => ({ ...l, reviewDays: String(l.reviewDays) })),
    cells: matrix.cells.map((row) => [...row]),
  };
}

export type DraftProblems = Record<string, string>;

const NAME_MAX = 60;

export function draftProblems(draft: MatrixDraft): DraftProblems {
  const problems: DraftProblems = {};
  const checkName = (path: string, name: string) => {
    const trimmed = name.trim();
    if (!trimmed) problems[path] = 'Give it a name';
    else if (trimmed.length > NAME_MAX) problems[path] = `At most ${NAME_MAX} characters`;
  };
  draft.likelihood.forEach((s, i) => {
    checkName(`likelihood.${i}.name`, s.name);
  });
  draft.impact.forEach((s, i) => {
    checkName(`impact.${i}.name`, s.name);
  });
  const seen = new Set<string>();
  draft.levels.forEach((level, i) => {
    checkName(`levels.${i}.name`, level.name);
    const key = level.name.trim().toLowerCase();
    if (key && seen.has(key)) problems[`levels.${i}.name`] = 'Two levels have this name';
    seen.add(key);
    if (!isHexColour(level.colour)) problems[`levels.${i}.colour`] = 'A colour like #d97706';
    const days = parseReviewDays(level.reviewDays);
    if (days === null) problems[`levels.${i}.reviewDays`] = 'Whole days, 1–3650';
  });
  return problems;
}

export function parseReviewDays(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,4}$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= 1 && value <= 3650 ? value : null;
}

/** The draft as a definition to send; call only when draftProblems() is empty. */
export function fromDraft(draft: MatrixDraft): RiskMatrixUpdateInput['definition'] {
  return {
    likelihood: draft.likelihood.map((s) => ({ ...s, name: s.name.trim(), description: s.description?.trim() ?? '' })),
    impact: draft.impact.map((s) => ({ ...s, name: s.name.trim(), description: s.description?.trim() ?? '' })),
    levels: draft.levels.map((l) => ({
      key: l.key,
      name: l.name.trim(),
      colour: l.colour.trim().toLowerCase(),
      reviewDays: parseReviewDays(l.reviewDays) ?? 0,
    })),
    cells: draft.cells.map((row) => [...row]),
  };
}

/** Has the admin changed anything from the saved matrix? */
export function draftChanged(draft: MatrixDraft, saved: MatrixDefinitionView): boolean {
  return JSON.stringify(fromDraft(draft)) !== JSON.stringify(fromDraft(toDraft(saved)));
}
