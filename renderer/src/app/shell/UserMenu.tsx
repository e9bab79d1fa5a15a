import { useState } from 'react';
import { useNavigate } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import Divider from '@mui/material/Divider';
import ListItemIcon from '@mui/material/ListItemIcon';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Snackbar from '@mui/material/Snackbar';
import Typography from '@mui/material/Typography';
import KeyboardArrowDown from '@mui/icons-material/KeyboardArrowDown';
import Logout from '@mui/icons-material/Logout';
import PasswordOutlined from '@mui/icons-material/PasswordOutlined';
import SettingsOutlined from '@mui/icons-material/SettingsOutlined';
import Check from '@mui/icons-material/Check';
import ListSubheader from '@mui/material/ListSubheader';
import { appLocale, BANK_TIME_ZONE, BANK_ZONE_LABEL, setAppLocale } from '../../lib/format.ts';
import { ROLE_LABELS } from '../../../../shared/src/roles.ts';
import { logout } from '../../api/authApi.ts';
import { endSession, type Session } from '../../api/session.ts';
import { disconnectLive } from '../../api/socket.ts';
import { PersonAvatar } from '../../ui/values.tsx';
import { ChangePasswordDialog } from '../../auth/ChangePasswordDialog.tsx';

/** Locales offered for dates and numbers; en-KE is the bank's default (issue 11: one date format). */
const DATE_LOCALES: ReadonlyArray<{ locale: string; label: string }> = [
  { locale: 'en-KE', label: 'Kenya (default)' },
  { locale: 'en-GB', label: 'United Kingdom' },
  { locale: 'en-US', label: 'United States' },
  { locale: 'sw-KE', label: 'Kiswahili (Kenya)' },
];
const SAMPLE_INSTANT = new Date('2026-12-06T22:00:00.000Z');
/** How a date reads in a locale, as the menu's example (the app's own formatter serves the active one). */
function sampleIn(locale: string): string {
  const options = { day: '2-digit', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: BANK_TIME_ZONE, hourCycle: 'h23' } as const;
  return `${new Intl.DateTimeFormat(locale, options).format(SAMPLE_INSTANT)} ${BANK_ZONE_LABEL}`;
}

export function UserMenu({ session }: { session: Session }) {
  const navigate = useNavigate();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [signingOut, setSigningOut] = useState(false);
  const [changingPassword, setChangingPassword] = useState(false);
  const [passwordChanged, setPasswordChanged] = useState(false);
  const { user } = session;

  async function signOut() {
    setSigningOut(true);
    // Close the live socket first: the service also closes it on logout, and that must not read
    // as "your session was ended by an administrator".
    disconnectLive();
    try {
      await logout();
    } catch {
      // The token is dropped locally either way; a failed logout only leaves it to expire.
    }
    endSession('signed-out');
  }

  return (
    <>
      <ButtonBase
        onClick={(e) => setAnchor(e.currentTarget)}
        aria-label="Account menu"
        data-testid="user-menu"
        sx={{ display: 'flex', alignItems: 'center', gap: 1, pl: 0.5, pr: 0.75, py: 0.5, borderRadius: 2, '&:hover': { bgcolor: 'action.hover' } }}
      >
        <PersonAvatar name={user.displayName} size={28} />
        <Box sx={{ textAlign: 'left', display: { xs: 'none', sm: 'block' } }}>
          <Typography variant="body2" sx={{ fontWeight: 600, lineHeight: 1.2 }} data-testid="user-display-name">
            {user.displayName}
          </Typography>
          <Typography variant="caption" sx={{ color: 'text.secondary', lineHeight: 1.2, display: 'block' }}>
            {ROLE_LABELS[user.role]}
          </Typography>
        </Box>
        <KeyboardArrowDown fontSize="small" sx={{ color: 'text.secondary' }} />
      </ButtonBase>
      <Menu
        anchorEl={anchor}
        open={!!anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        slotProps={{ paper: { sx: { minWidth: 240, mt: 0.5 } } }}
      >
        <Box sx={{ px: 2, py: 1.25 }}>
          <Typography variant="subtitle2">{user.displayName}</Typography>
          <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
            {user.username} · {ROLE_LABELS[user.role]}
          </Typography>
        </Box>
        <Divider />
        <MenuItem
          onClick={() => {
            setAnchor(null);
            setChangingPassword(true);
          }}
          data-testid="change-password"
        >
          <ListItemIcon>
            <PasswordOutlined fontSize="small" />
          </ListItemIcon>
          Change password
        </MenuItem>
        <MenuItem
          onClick={() => {
            setAnchor(null);
            navigate('/settings');
          }}
          data-testid="open-settings"
        >
          <ListItemIcon>
            <SettingsOutlined fontSize="small" />
          </ListItemIcon>
          Settings
        </MenuItem>
        <Divider />
        <ListSubheader sx={{ lineHeight: 2.5 }}>Dates shown as</ListSubheader>
        {DATE_LOCALES.map(({ locale, label }) => (
          <MenuItem
            key={locale}
            selected={appLocale() === locale}
            data-testid={`date-locale-${locale}`}
            onClick={() => {
              // Every screen formats as it renders: a reload redraws them all in the new locale
              // (the session lives in sessionStorage and survives it).
              setAppLocale(locale === 'en-KE' ? null : locale);
              window.location.reload();
            }}
          >
            <ListItemIcon>{appLocale() === locale ? <Check fontSize="small" /> : null}</ListItemIcon>
            <Box>
              <Typography variant="body2">{label}</Typography>
              <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                {sampleIn(locale)}
              </Typography>
            </Box>
          </MenuItem>
        ))}
        <Divider />
        <MenuItem onClick={signOut} disabled={signingOut} data-testid="sign-out">
          <ListItemIcon>
            <Logout fontSize="small" />
          </ListItemIcon>
          Sign out
        </MenuItem>
      </Menu>
      <ChangePasswordDialog
        open={changingPassword}
        username={user.username}
        onClose={() => setChangingPassword(false)}
        onChanged={() => setPasswordChanged(true)}
      />
      <Snackbar
        open={passwordChanged}
        autoHideDuration={5000}
        onClose={() => setPasswordChanged(false)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        <Alert severity="success" variant="filled" onClose={() => setPasswordChanged(false)} data-testid="password-changed">
          Password changed. Your other sessions were signed out.
        </Alert>
      </Snackbar>
    </>
  );
}
