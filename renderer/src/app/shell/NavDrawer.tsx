import type { ReactNode } from 'react';
import { Link as RouterLink, useLocation } from 'react-router';
import Box from '@mui/material/Box';
import List from '@mui/material/List';
import ListItemButton from '@mui/material/ListItemButton';
import ListItemIcon from '@mui/material/ListItemIcon';
import ListItemText from '@mui/material/ListItemText';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import InboxOutlined from '@mui/icons-material/InboxOutlined';
import ReceiptLongOutlined from '@mui/icons-material/ReceiptLongOutlined';
import SpaceDashboardOutlined from '@mui/icons-material/SpaceDashboardOutlined';
import ToggleOnOutlined from '@mui/icons-material/ToggleOnOutlined';
import TuneOutlined from '@mui/icons-material/TuneOutlined';
import type { UserPublic } from '../../../../shared/src/auth.ts';
import type { QueueCounts } from '../../../../shared/src/cases.ts';
import { formatCount } from '../../lib/format.ts';
import { allowedScreens, type ScreenId } from '../screens.ts';

export const NAV_WIDTH = 212;

const ICONS: Record<ScreenId, ReactNode> = {
  overview: <SpaceDashboardOutlined fontSize="small" />,
  cases: <InboxOutlined fontSize="small" />,
  assessments: <FactCheckOutlined fontSize="small" />,
  'decision-engine': <TuneOutlined fontSize="small" />,
  'fraud-api-toggles': <ToggleOnOutlined fontSize="small" />,
  audit: <ReceiptLongOutlined fontSize="small" />,
};

function QueueBadge({ counts }: { counts: QueueCounts }) {
  const theme = useTheme();
  const urgent = counts.overdue > 0;
  const colour = urgent ? theme.palette.status.danger : theme.palette.primary.main;
  return (
    <Tooltip
      placement="right"
      title={`${formatCount(counts.open)} open · ${formatCount(counts.unassigned)} unassigned · ${formatCount(counts.mine)} mine · ${formatCount(counts.overdue)} overdue`}
    >
      <Box
        data-testid="queue-count"
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
        {formatCount(counts.open)}
      </Box>
    </Tooltip>
  );
}

export function NavDrawer({ user, counts, footer }: { user: UserPublic; counts: QueueCounts | null; footer?: ReactNode }) {
  const location = useLocation();
  const screens = allowedScreens(user);
  return (
    <Box
      component="nav"
      aria-label="Main"
      data-testid="main-nav"
      sx={{
        width: NAV_WIDTH,
        flexShrink: 0,
        borderRight: 1,
        borderColor: 'divider',
        bgcolor: 'background.paper',
        display: 'flex',
        flexDirection: 'column',
      }}
    >
      <Typography variant="overline" sx={{ color: 'text.disabled', px: 2.5, pt: 2, pb: 0.5 }}>
        Workspace
      </Typography>
      <List dense sx={{ px: 1.25, py: 0 }}>
        {screens.map((screen) => {
          const selected = location.pathname === screen.path || location.pathname.startsWith(`${screen.path}/`);
          return (
            <ListItemButton
              key={screen.id}
              component={RouterLink}
              to={screen.path}
              selected={selected}
              data-testid={`nav-${screen.id}`}
              aria-current={selected ? 'page' : undefined}
              sx={{
                borderRadius: 1.5,
                mb: 0.25,
                py: 0.75,
                color: selected ? 'primary.main' : 'text.secondary',
                '& .MuiListItemIcon-root': { color: 'inherit', minWidth: 32 },
                '&.Mui-selected': { bgcolor: 'action.selected' },
                '&:hover': { color: 'text.primary' },
              }}
            >
              <ListItemIcon>{ICONS[screen.id]}</ListItemIcon>
              <ListItemText primary={screen.label} slotProps={{ primary: { sx: { fontWeight: selected ? 650 : 550, fontSize: 13.5 } } }} />
              {screen.id === 'cases' && counts && <QueueBadge counts={counts} />}
            </ListItemButton>
          );
        })}
      </List>
      <Box sx={{ flex: 1 }} />
      {footer}
    </Box>
  );
}
