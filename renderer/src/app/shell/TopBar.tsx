import Box from '@mui/material/Box';
import Divider from '@mui/material/Divider';
import Typography from '@mui/material/Typography';
import type { Session } from '../../api/session.ts';
import { BrandMark } from '../../ui/BrandMark.tsx';
import { NotificationBell } from '../../notifications/NotificationBell.tsx';
import { ConnectionIndicator } from './ConnectionIndicator.tsx';
import { ThemeMenu } from './ThemeMenu.tsx';
import { UserMenu } from './UserMenu.tsx';

export const TOP_BAR_HEIGHT = 56;

export function TopBar({ session }: { session: Session }) {
  return (
    <Box
      component="header"
      sx={{
        height: TOP_BAR_HEIGHT,
        flexShrink: 0,
        display: 'flex',
        alignItems: 'center',
        gap: 1.5,
        px: 2,
        borderBottom: 1,
        borderColor: 'divider',
        bgcolor: 'background.paper',
      }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, minWidth: 200 }}>
        <BrandMark size={26} />
        <Typography sx={{ fontWeight: 700, fontSize: 15, letterSpacing: '-0.01em' }} noWrap>
          Wekeza{' '}
          <Box component="span" sx={{ fontWeight: 500, color: 'text.secondary' }}>
            Risk Workstation
          </Box>
        </Typography>
      </Box>
      <Box sx={{ flex: 1 }} />
      <ConnectionIndicator />
      <ThemeMenu />
      <NotificationBell />
      <Divider orientation="vertical" flexItem sx={{ my: 1.5 }} />
      <UserMenu session={session} />
    </Box>
  );
}
