// The heat map (issue 13 "Screens"): the matrix's likelihood × impact grid, each cell in its
// level's colour with the number of risks in it, so it stays readable with hundreds of risks.
// A click (or Enter/Space) on a cell filters the register to it; arrow keys move between cells
// (one tab stop for the whole grid, a roving tabindex as WAI-ARIA's grid pattern describes).
import { useRef, useState, type KeyboardEvent } from 'react';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import { formatCount } from '../lib/format.ts';
import { cellKey, impactColumns, levelAt, likelihoodRows, readableOn, type CellCounts, type MatrixDefinitionView } from './matrix.ts';

/** Scale names wrap onto two lines at most ("5 · Almost certain"), then end in an ellipsis. */
const TWO_LINES = {
  display: '-webkit-box',
  WebkitLineClamp: 2,
  WebkitBoxOrient: 'vertical',
  overflow: 'hidden',
  lineHeight: 1.2,
  fontSize: 11.5,
  overflowWrap: 'anywhere',
} as const;

export interface HeatCell {
  likelihood: number;
  impact: number;
}

export function RiskHeatMap({
  matrix,
  counts,
  selected,
  onSelect,
  basisLabel,
  compact = false,
}: {
  matrix: MatrixDefinitionView;
  counts: CellCounts;
  selected: HeatCell | null;
  /** The cell clicked, or null when the selected cell is clicked again (clears the filter). */
  onSelect: (cell: HeatCell | null) => void;
  /** "inherent" or "residual": named in each cell's label for screen readers. */
  basisLabel: string;
  compact?: boolean;
}) {
  const theme = useTheme();
  const rows = likelihoodRows(matrix);
  const columns = impactColumns(matrix);
  const [focus, setFocus] = useState<{ row: number; column: number }>({ row: 0, column: 0 });
  const cellRefs = useRef(new Map<string, HTMLButtonElement>());
  const cellSize = compact ? 44 : 56;
  const dark = theme.palette.mode === 'dark';

  const move = (row: number, column: number) => {
    const r = Math.max(0, Math.min(rows.length - 1, row));
    const c = Math.max(0, Math.min(columns.length - 1, column));
    setFocus({ row: r, column: c });
    cellRefs.current.get(`${r}:${c}`)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent, row: number, column: number) => {
    // Where each navigation key moves the focus to: [row, column].
    const targets: Record<string, [number, number]> = {
      ArrowUp: [row - 1, column],
      ArrowDown: [row + 1, column],
      ArrowLeft: [row, column - 1],
      ArrowRight: [row, column + 1],
      Home: [row, 0],
      End: [row, columns.length - 1],
    };
    const target = targets[event.key];
    if (target) {
      event.preventDefault();
      move(target[0], target[1]);
    }
  };

  return (
    <Box sx={{ display: 'flex', alignItems: 'stretch', gap: 0.75 }} data-testid="risk-heat-map">
      <Box sx={{ display: 'flex', alignItems: 'center' }}>
        <Typography variant="overline" sx={{ writingMode: 'vertical-rl', transform: 'rotate(180deg)', color: 'text.secondary', lineHeight: 1 }}>
          Likelihood →
        </Typography>
      </Box>
      <Box sx={{ minWidth: 0, flex: 1 }}>
        <Box
          role="grid"
          aria-label={`Heat map of ${basisLabel} risk: likelihood rows by impact columns`}
          sx={{
            display: 'grid',
            gridTemplateColumns: `minmax(56px, 92px) repeat(${columns.length}, minmax(${cellSize}px, 1fr))`,
            gap: '3px',
          }}
        >
          {rows.map((l, rowIndex) => (
            <Box role="row" key={l.value} sx={{ display: 'contents' }}>
              <Box
                role="rowheader"
                sx={{ display: 'flex', alignItems: 'center', justifyContent: 'flex-end', pr: 0.75, minWidth: 0 }}
                title={l.description ?? undefined}
              >
                <Typography variant="caption" sx={{ ...TWO_LINES, color: 'text.secondary', fontWeight: 550, textAlign: 'right' }}>
                  {l.value} · {l.name}
                </Typography>
              </Box>
              {columns.map((i, columnIndex) => {
                const level = levelAt(matrix, l.value, i.value);
                const count = counts.get(cellKey(l.value, i.value)) ?? 0;
                const colour = level?.colour ?? theme.palette.status.neutral;
                const isSelected = selected?.likelihood === l.value && selected.impact === i.value;
                // Empty cells fade, so the eye finds where the risks are; the level stays recognisable.
                const background = count > 0 ? colour : alpha(colour, dark ? 0.22 : 0.16);
                const foreground = count > 0 ? readableOn(colour) : theme.palette.text.secondary;
                const focused = focus.row === rowIndex && focus.column === columnIndex;
                return (
                  <Box role="gridcell" key={i.value} aria-selected={isSelected} sx={{ display: 'flex' }}>
                    <ButtonBase
                      ref={(el: HTMLButtonElement | null) => {
                        if (el) cellRefs.current.set(`${rowIndex}:${columnIndex}`, el);
                        else cellRefs.current.delete(`${rowIndex}:${columnIndex}`);
                      }}
                      tabIndex={focused ? 0 : -1}
                      onFocus={() => setFocus({ row: rowIndex, column: columnIndex })}
                      onKeyDown={(e) => onKeyDown(e, rowIndex, columnIndex)}
                      onClick={() => onSelect(isSelected ? null : { likelihood: l.value, impact: i.value })}
                      aria-pressed={isSelected}
                      aria-label={`Likelihood ${l.value} ${l.name}, impact ${i.value} ${i.name}: ${level?.name ?? 'no level'}, ${count} ${count === 1 ? 'risk' : 'risks'} (${basisLabel})`}
                      title={`${level?.name ?? '—'} · likelihood ${l.name} × impact ${i.name} · ${formatCount(count)} ${count === 1 ? 'risk' : 'risks'}`}
                      data-testid={`heat-cell-${l.value}-${i.value}`}
                      data-count={count}
                      data-level={level?.key ?? ''}
                      sx={{
                        flex: 1,
                        height: cellSize,
                        borderRadius: 1,
                        bgcolor: background,
                        color: foreground,
                        fontVariantNumeric: 'tabular-nums',
                        fontWeight: 700,
                        fontSize: compact ? 15 : 18,
                        outline: isSelected ? `3px solid ${theme.palette.text.primary}` : 'none',
                        outlineOffset: isSelected ? 1 : 0,
                        boxShadow: isSelected ? `0 0 0 5px ${alpha(theme.palette.background.paper, 0.9)} inset` : 'none',
                        transition: 'transform 80ms',
                        '&:hover': { transform: 'scale(1.04)' },
                        '&.Mui-focusVisible': { outline: `3px solid ${theme.palette.primary.main}`, outlineOffset: 2 },
                      }}
                    >
                      {count > 0 ? (
                        formatCount(count)
                      ) : (
                        <Box component="span" sx={{ opacity: 0.5, fontWeight: 400 }}>
                          ·
                        </Box>
                      )}
                    </ButtonBase>
                  </Box>
                );
              })}
            </Box>
          ))}
          <Box role="row" sx={{ display: 'contents' }}>
            <Box />
            {columns.map((i) => (
              <Box role="columnheader" key={i.value} sx={{ textAlign: 'center', minWidth: 0, pt: 0.25 }} title={i.description ?? undefined}>
                <Typography variant="caption" component="div" sx={{ ...TWO_LINES, color: 'text.secondary', fontWeight: 550 }}>
                  {i.value} · {i.name}
                </Typography>
              </Box>
            ))}
          </Box>
        </Box>
        <Typography variant="overline" component="div" sx={{ textAlign: 'center', color: 'text.secondary', lineHeight: 1.6, pl: 10 }}>
          Impact →
        </Typography>
      </Box>
    </Box>
  );
}

/**
 * The matrix's levels with how many risks sit at each (summed over the level's cells) and the
 * review cadence; a click filters the register to that level.
 */
export function LevelCounts({
  matrix,
  counts,
  basis,
  selected,
  onSelect,
}: {
  matrix: MatrixDefinitionView;
  counts: CellCounts;
  basis: string;
  selected: string | null;
  onSelect: (levelKey: string) => void;
}) {
  const theme = useTheme();
  const perLevel = new Map<string, number>();
  for (const l of matrix.likelihood) {
    for (const i of matrix.impact) {
      const level = levelAt(matrix, l.value, i.value);
      if (level) perLevel.set(level.key, (perLevel.get(level.key) ?? 0) + (counts.get(cellKey(l.value, i.value)) ?? 0));
    }
  }
  return (
    <Box role="list" aria-label={`Risks per ${basis} level`} sx={{ display: 'grid', gap: 0.5 }}>
      {[...matrix.levels].reverse().map((level) => {
        const active = selected === level.key;
        return (
          <ButtonBase
            role="listitem"
            key={level.key}
            onClick={() => onSelect(level.key)}
            aria-pressed={active}
            data-testid={`level-count-${level.key}`}
            title={`${active ? 'Show every level' : `Only ${level.name} (${basis})`} · reviewed every ${level.reviewDays} days`}
            sx={{
              display: 'flex',
              justifyContent: 'flex-start',
              gap: 1,
              px: 1,
              py: 0.5,
              borderRadius: 1,
              border: 1,
              borderColor: active ? theme.palette.text.primary : 'transparent',
              '&:hover': { bgcolor: 'action.hover' },
              '&.Mui-focusVisible': { outline: `2px solid ${theme.palette.primary.main}` },
            }}
          >
            <Box sx={{ width: 12, height: 12, borderRadius: '3px', bgcolor: level.colour, flexShrink: 0 }} />
            <Typography variant="body2" sx={{ fontWeight: 600, flex: 1, textAlign: 'left' }}>
              {level.name}
            </Typography>
            <Typography variant="caption" sx={{ color: 'text.secondary' }}>
              review {level.reviewDays} d
            </Typography>
            <Typography variant="body2" sx={{ fontWeight: 700, minWidth: 36, textAlign: 'right', fontVariantNumeric: 'tabular-nums' }}>
              {formatCount(perLevel.get(level.key) ?? 0)}
            </Typography>
          </ButtonBase>
        );
      })}
    </Box>
  );
}
