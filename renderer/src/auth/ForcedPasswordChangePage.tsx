// After signing in with a one-time password (a new account, a reset, the first admin) the user can
// do nothing but choose a password — the service refuses everything else with 403
// PASSWORD_CHANGE_REQUIRED — or sign out.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { fetchMe, logout } from '../api/authApi.ts';
import { endSession, updateSessionUser, type Session } from '../api/session.ts';
import { BrandMark } from '../ui/BrandMark.tsx';
import { BrandPanel } from './BrandPanel.tsx';
import { ChangePasswordForm } from './ChangePasswordForm.tsx';

export function ForcedPasswordChangePage({ session }: { session: Session }) {
  const [signingOut, setSigningOut] = useState(false);
  const signOut = async () => {
    setSigningOut(true);
    try {
      await logout();
    } catch {
      // The token is dropped locally either way.
    }
    endSession('signed-out');
  };

  return (
    <Box
      sx={{ minHeight: '100vh', display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'minmax(420px, 5fr) 6fr' }, bgcolor: 'background.default' }}
      data-testid="forced-password-change"
    >
      <BrandPanel />
      <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'center', p: 3 }}>
        <Box sx={{ width: '100%', maxWidth: 400 }}>
          <Box sx={{ display: { xs: 'flex', md: 'none' }, alignItems: 'center', gap: 1.25, mb: 4 }}>
            <BrandMark size={32} />
            <Typography variant="h5">Wekeza Risk Workstation</Typography>
          </Box>
          <Typography variant="h2" component="h1">
            Choose your password
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.5, mb: 2 }}>
            Welcome, {session.user.displayName}. You signed in as <strong>{session.user.username}</strong> with a one-time password. Choose your own password to
            continue.
          </Typography>
          <Alert severity="info" variant="outlined" sx={{ mb: 1.5 }}>
            Until you do, the workstation shows nothing else.
          </Alert>
          <ChangePasswordForm
            username={session.user.username}
            currentLabel="One-time password"
            submitLabel="Save and continue"
            onChanged={async () => {
              // The service now answers this session normally; pick up the cleared flag.
              updateSessionUser(await fetchMe());
            }}
            secondaryAction={
              <Button onClick={signOut} disabled={signingOut} color="inherit" data-testid="forced-change-sign-out">
                Sign out
              </Button>
            }
          />
        </Box>
      </Box>
    </Box>
  );
}
