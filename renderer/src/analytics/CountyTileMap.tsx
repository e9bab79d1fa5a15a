// A choropleth of Kenya's counties as a schematic tile map (see countyTiles.ts for why tiles):
// darker = more of the measure; each tile opens the payments behind it when it has a drill.
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import type { PivotRow } from '../../../shared/src/analytics.ts';
import { formatCount } from '../lib/format.ts';
import { COUNTY_TILES, countyKey } from './countyTiles.ts';

const COLS = 10;
const ROWS = 8;

export function CountyTileMap({
  rows,
  measure,
  measureLabel,
  hrefFor,
}: {
  rows: readonly PivotRow[];
  measure: (row: PivotRow) => number;
  measureLabel: string;
  hrefFor: (row: PivotRow) => string | null;
}) {
  const theme = useTheme();
  const byKey = new Map(rows.map((r) => [countyKey(r.key), r]));
  const max = Math.max(0, ...rows.map(measure));
  const unplaced = rows.filter((r) => !COUNTY_TILES.some((t) => countyKey(t.name) === countyKey(r.key)));
  return (
    <Box data-testid="county-map">
      <Box
        role="group"
        aria-label={`Kenya's counties, ${measureLabel}`}
        sx={{ display: 'grid', gridTemplateColumns: `repeat(${COLS}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${ROWS}, 38px)`, gap: 0.5 }}
      >
        {COUNTY_TILES.map((tile) => {
          const row = byKey.get(countyKey(tile.name));
          const value = row ? measure(row) : 0;
          const share = max > 0 ? value / max : 0;
          const href = row ? hrefFor(row) : null;
          const fill = value > 0 ? alpha(theme.palette.primary.main, 0.15 + 0.8 * share) : theme.palette.action.hover;
          const text = share > 0.55 ? theme.palette.primary.contrastText : theme.palette.text.primary;
          const body = (
            <Box
              sx={{
                height: '100%',
                borderRadius: 1,
                bgcolor: fill,
                color: text,
                display: 'grid',
                placeItems: 'center',
                px: 0.25,
                overflow: 'hidden',
                outlineOffset: 1,
                '&:hover': href ? { outline: 2, outlineStyle: 'solid', outlineColor: theme.palette.primary.main } : undefined,
              }}
            >
              <Typography sx={{ fontSize: 9.5, lineHeight: 1.1, fontWeight: 600, textAlign: 'center', overflowWrap: 'anywhere', hyphens: 'auto' }}>
                {tile.name.replace('-', '-\u200b')}
              </Typography>
            </Box>
          );
          return (
            <Tooltip key={tile.name} title={`${tile.name}: ${formatCount(value)} ${measureLabel}`} disableInteractive>
              <Box sx={{ gridRow: tile.row + 1, gridColumn: tile.col + 1, minWidth: 0 }} data-testid="county-tile" data-county={tile.name} data-value={value}>
                {href ? (
                  <Box
                    component={RouterLink}
                    to={href}
                    sx={{ display: 'block', height: '100%', textDecoration: 'none' }}
                    aria-label={`${tile.name}: ${formatCount(value)} ${measureLabel}`}
                  >
                    {body}
                  </Box>
                ) : (
                  body
                )}
              </Box>
            </Tooltip>
          );
        })}
      </Box>
      <Typography variant="caption" sx={{ display: 'block', color: 'text.disabled', mt: 1 }}>
        Schematic tile map: one tile per county in its rough position, not to scale. Darker = more {measureLabel}.
        {unplaced.length > 0 ? ` Not on the map: ${unplaced.map((r) => r.label).join(', ')}.` : ''}
      </Typography>
    </Box>
  );
}
