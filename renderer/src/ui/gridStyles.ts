import { alpha, keyframes, type Theme } from '@mui/material/styles';

const flash = (colour: string) => keyframes`
  0% { background-color: ${colour}; }
  100% { background-color: transparent; }
`;

/** Shared grid styling: clickable rows and the live-update highlight. */
export function gridSx(theme: Theme, { clickable = true }: { clickable?: boolean } = {}) {
  return {
    bgcolor: 'background.paper',
    '& .MuiDataGrid-row': { cursor: clickable ? 'pointer' : 'default' },
    '& .row-flash': { animation: `${flash(alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.3 : 0.16))} 2.6s ease-out` },
    '& .row-closed': { color: 'text.secondary' },
    '& .MuiDataGrid-columnHeaders': { borderBottom: `1px solid ${theme.palette.divider}` },
    '& .MuiDataGrid-overlayWrapper': { minHeight: 260 },
  } as const;
}
