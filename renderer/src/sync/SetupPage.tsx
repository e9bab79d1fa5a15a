// "Set up this computer": the desktop app's first run (issue 12), shown before sign-in while the
// shell runs an empty service in a setup folder. Connecting to the bank's hub comes first (the
// production choice); demo data is labelled evaluation and is the only choice that seeds users.
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { DesktopBridge } from '../desktop.ts';
import { BrandMark } from '../ui/BrandMark.tsx';
import { DeploymentForm } from './DeploymentForm.tsx';

export function SetupPage({ bridge, appVersion }: { bridge: DesktopBridge; appVersion: string }) {
  return (
    <Box
      component="main"
      data-testid="setup-page"
      sx={{
        minHeight: '100vh',
        bgcolor: 'background.default',
        display: 'flex',
        justifyContent: 'center',
        alignItems: { xs: 'flex-start', md: 'center' },
        p: 3,
      }}
    >
      <Box sx={{ width: '100%', maxWidth: 640 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, mb: 3 }}>
          <BrandMark size={34} />
          <Typography sx={{ fontWeight: 700, fontSize: 17, letterSpacing: '-0.01em' }}>
            Wekeza{' '}
            <Box component="span" sx={{ fontWeight: 500, color: 'text.secondary' }}>
              Risk Workstation
            </Box>
          </Typography>
        </Box>
        <Typography variant="h3" component="h1" sx={{ mb: 0.5 }}>
          Set up this computer
        </Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2.5 }}>
          Choose how Wekeza runs here. You sign in after this step. An administrator can change it later in Settings.
        </Typography>
        <DeploymentForm bridge={bridge} initial={null} submitLabel="Continue" testId="setup-form" />
        <Typography variant="caption" component="p" sx={{ color: 'text.disabled', mt: 3 }}>
          Version {appVersion}
        </Typography>
      </Box>
    </Box>
  );
}
