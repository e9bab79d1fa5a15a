import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import { alpha, useTheme } from '@mui/material/styles';

/** A count beside a navigation item (the case queue, the Conflicts inbox), tinted with its colour. */
export function NavCountPill({ colour, title, testId, children }: { colour: string; title: string; testId: string; children: ReactNode }) {
  const theme = useTheme();
  return (
    <Tooltip placement="right" title={title}>
      <Box
        data-testid={testId}
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
          bgcolor: alpha(colour, theme.palette.mode === 'dark' ? 0.18 : 0.1),
          fontVariantNumeric: 'tabular-nums',
        }}
      >
        {children}
      </Box>
    </Tooltip>
  );
}
