// The matrix editor's two parts: the levels (name, colour, review cadence) and the grid, where
// the admin picks a level as a brush and paints cells with it (click, or Enter/Space on a
// focused cell). Scale names (likelihood and impact) are edited in place.
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { isHexColour, readableOn } from './matrix.ts';
import type { DraftProblems, MatrixDraft } from './matrixDraft.ts';

export function LevelsEditor({
  draft,
  problems,
  onChange,
  disabled,
}: {
  draft: MatrixDraft;
  problems: DraftProblems;
  onChange: (draft: MatrixDraft) => void;
  disabled?: boolean;
}) {
  const setLevel = (index: number, patch: Partial<MatrixDraft['levels'][number]>) =>
    onChange({ ...draft, levels: draft.levels.map((l, i) => (i === index ? { ...l, ...patch } : l)) });
  return (
    <Box sx={{ display: 'grid', gap: 1.25 }} data-testid="matrix-levels">
      {draft.levels.map((level, index) => (
        <Box key={level.key} sx={{ display: 'grid', gridTemplateColumns: '40px minmax(140px, 1fr) 120px 110px', gap: 1, alignItems: 'start' }}>
          <Box
            component="input"
            type="color"
            aria-label={`Colour of ${level.name || 'level'}`}
            value={isHexColour(level.colour) ? level.colour : '#000000'}
            disabled={disabled}
            onChange={(e: React.ChangeEvent<HTMLInputElement>) => setLevel(index, { colour: e.target.value })}
            sx={{ width: 40, height: 40, p: 0, border: 0, bgcolor: 'transparent', cursor: 'pointer' }}
          />
          <TextField
            size="small"
            label="Level name"
            value={level.name}
            disabled={disabled}
            onChange={(e) => setLevel(index, { name: e.target.value })}
            error={!!problems[`levels.${index}.name`]}
            helperText={problems[`levels.${index}.name`] ?? `Key ${level.key}`}
            slotProps={{ htmlInput: { maxLength: 80, 'data-testid': `matrix-level-name-${index}` } }}
          />
          <TextField
            size="small"
            label="Colour"
            value={level.colour}
            disabled={disabled}
            onChange={(e) => setLevel(index, { colour: e.target.value })}
            error={!!problems[`levels.${index}.colour`]}
            helperText={problems[`levels.${index}.colour`] ?? ' '}
            slotProps={{ htmlInput: { maxLength: 7, spellCheck: false, 'data-testid': `matrix-level-colour-${index}` } }}
          />
          <TextField
            size="small"
            label="Review every"
            value={level.reviewDays}
            disabled={disabled}
            onChange={(e) => setLevel(index, { reviewDays: e.target.value })}
            error={!!problems[`levels.${index}.reviewDays`]}
            helperText={problems[`levels.${index}.reviewDays`] ?? 'days'}
            slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 5, 'data-testid': `matrix-level-days-${index}` } }}
          />
        </Box>
      ))}
    </Box>
  );
}

export function CellsEditor({
  draft,
  problems,
  brush,
  onBrush,
  onChange,
  disabled,
}: {
  draft: MatrixDraft;
  problems: DraftProblems;
  brush: number;
  onBrush: (index: number) => void;
  onChange: (draft: MatrixDraft) => void;
  disabled?: boolean;
}) {
  const theme = useTheme();
  const rows = [...draft.likelihood.keys()].sort((a, b) => draft.likelihood[b]!.value - draft.likelihood[a]!.value);
  const columns = [...draft.impact.keys()].sort((a, b) => draft.impact[a]!.value - draft.impact[b]!.value);
  // cells are indexed by value - 1 (shared/src/risk-register.ts), whatever order the scales are listed in.
  const paint = (l: number, i: number) => {
    if (disabled) return;
    const row = draft.likelihood[l]!.value - 1;
    const column = draft.impact[i]!.value - 1;
    onChange({ ...draft, cells: draft.cells.map((cells, r) => (r === row ? cells.map((v, c) => (c === column ? brush : v)) : cells)) });
  };
  const setScaleName = (axis: 'likelihood' | 'impact', index: number, name: string) =>
    onChange({ ...draft, [axis]: draft[axis].map((s, i) => (i === index ? { ...s, name } : s)) });

  return (
    <Box data-testid="matrix-cells">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1.5, flexWrap: 'wrap' }}>
        <Typography variant="body2" sx={{ fontWeight: 600 }}>
          Paint with
        </Typography>
        <ToggleButtonGroup
          size="small"
          exclusive
          value={brush}
          onChange={(_, v: number | null) => v !== null && onBrush(v)}
          aria-label="Level to paint cells with"
        >
          {draft.levels.map((level, index) => (
            <ToggleButton key={level.key} value={index} data-testid={`matrix-brush-${index}`} sx={{ gap: 0.75, textTransform: 'none' }}>
              <Box
                sx={{
                  width: 12,
                  height: 12,
                  borderRadius: '3px',
                  bgcolor: isHexColour(level.colour) ? level.colour : 'transparent',
                  border: 1,
                  borderColor: 'divider',
                }}
              />
              {level.name || '—'}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: `150px repeat(${columns.length}, minmax(64px, 1fr))`, gap: '4px', alignItems: 'center' }}>
        {rows.map((l) => (
          <Box key={l} sx={{ display: 'contents' }}>
            <TextField
              size="small"
              value={draft.likelihood[l]!.name}
              disabled={disabled}
              onChange={(e) => setScaleName('likelihood', l, e.target.value)}
              error={!!problems[`likelihood.${l}.name`]}
              slotProps={{
                input: {
                  startAdornment: (
                    <Typography variant="caption" sx={{ mr: 0.75, color: 'text.secondary' }}>
                      {draft.likelihood[l]!.value}
                    </Typography>
                  ),
                },
                htmlInput: { maxLength: 80, 'aria-label': `Likelihood ${draft.likelihood[l]!.value} name` },
              }}
            />
            {columns.map((i) => {
              const level = draft.levels[draft.cells[draft.likelihood[l]!.value - 1]?.[draft.impact[i]!.value - 1] ?? 0];
              const colour = level && isHexColour(level.colour) ? level.colour : theme.palette.status.neutral;
              return (
                <ButtonBase
                  key={i}
                  disabled={disabled}
                  onClick={() => paint(l, i)}
                  aria-label={`Likelihood ${draft.likelihood[l]!.name} × impact ${draft.impact[i]!.name}: ${level?.name ?? '—'}. Paint with ${draft.levels[brush]?.name ?? ''}`}
                  data-testid={`matrix-cell-${draft.likelihood[l]!.value}-${draft.impact[i]!.value}`}
                  data-level={level?.key ?? ''}
                  sx={{
                    height: 44,
                    borderRadius: 1,
                    bgcolor: colour,
                    color: readableOn(colour),
                    fontSize: 12,
                    fontWeight: 650,
                    '&.Mui-focusVisible': { outline: `3px solid ${theme.palette.primary.main}`, outlineOffset: 2 },
                  }}
                >
                  {level?.name ?? '—'}
                </ButtonBase>
              );
            })}
          </Box>
        ))}
        <Typography variant="caption" sx={{ color: 'text.secondary', textAlign: 'right', pr: 1 }}>
          Likelihood ↑ · Impact →
        </Typography>
        {columns.map((i) => (
          <TextField
            key={i}
            size="small"
            value={draft.impact[i]!.name}
            disabled={disabled}
            onChange={(e) => setScaleName('impact', i, e.target.value)}
            error={!!problems[`impact.${i}.name`]}
            slotProps={{
              input: {
                startAdornment: (
                  <Typography variant="caption" sx={{ mr: 0.5, color: 'text.secondary' }}>
                    {draft.impact[i]!.value}
                  </Typography>
                ),
              },
              htmlInput: { maxLength: 80, 'aria-label': `Impact ${draft.impact[i]!.value} name` },
            }}
          />
        ))}
      </Box>
    </Box>
  );
}
