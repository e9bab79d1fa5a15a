import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import { alpha, useTheme } from '@mui/material/styles';
import { formatCount } from '../lib/format.ts';
import { conflictsLabel } from './words.ts';

/** The navigation's count of unresolved conflicts: red, because each one waits for a person. */
export function ConflictCountBadge({ count }: { count: number }) {
  const theme = useTheme();
  const colour = theme.palette.status.danger;
  return (
    <Tooltip placement="right" title={conflictsLabel(count) ?? ''}>
      <Box
        data-testid="nav-conflicts-count"
        sx={{
          minWidth: 22,
          height: 20,
          px: 0.75,
          borderRadius: 10,
          fontSize: 11.5,
          fontWeight: 700,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          color: colour,
          bgcolor: alpha(colour, theme.palette.mode === 'dark' ? 0.2 : 0.1),
          fontVariantNumeric: 'tabular-nums',
        }}
      >
        {formatCount(count)}
      </Box>
    </Tooltip>
  );
}
