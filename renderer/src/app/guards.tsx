import type { ReactNode } from 'react';
import { Link as RouterLink, Navigate } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import LockOutlined from '@mui/icons-material/LockOutlined';
import ManageSearchOutlined from '@mui/icons-material/ManageSearchOutlined';
import { ROLE_LABELS } from '../../../shared/src/roles.ts';
import { useSession } from '../api/session.ts';
import { allowedScreens, landingPath, screenById, type ScreenId } from './screens.ts';

function CenteredMessage({ icon, title, body, action, testId }: { icon: ReactNode; title: string; body: ReactNode; action?: ReactNode; testId: string }) {
  return (
    <Box data-testid={testId} sx={{ display: 'flex', flexDirection: 'column', alignItems: 'center', textAlign: 'center', gap: 1.25, py: 14, px: 3 }}>
      <Box sx={{ width: 56, height: 56, borderRadius: '50%', display: 'grid', placeItems: 'center', bgcolor: 'action.hover', color: 'text.secondary', mb: 1 }}>
        {icon}
      </Box>
      <Typography variant="h3" component="h1">
        {title}
      </Typography>
      <Typography variant="body2" sx={{ color: 'text.secondary', maxWidth: 460 }}>
        {body}
      </Typography>
      {action && <Box sx={{ mt: 1.5 }}>{action}</Box>}
    </Box>
  );
}

/** Shows the screen only if the signed-in user's role has its permission; otherwise says so (and shows no data). */
export function RequireScreen({ screen, children }: { screen: ScreenId; children: ReactNode }) {
  const session = useSession();
  const target = screenById(screen);
  if (!session) return null;
  if (session.user.permissions.includes(target.permission)) return <>{children}</>;
  const allowed = allowedScreens(session.user);
  return (
    <CenteredMessage
      testId="access-denied"
      icon={<LockOutlined />}
      title="You don't have access to this screen"
      body={
        <>
          Your role ({ROLE_LABELS[session.user.role]}) cannot view {target.noun}.
          {allowed.length > 0 && <> You can use: {allowed.map((s) => s.label).join(', ')}.</>} Ask a risk manager if you need access.
        </>
      }
      action={
        allowed.length > 0 && (
          <Button variant="contained" component={RouterLink} to={landingPath(session.user)}>
            Go to {allowed.find((s) => s.path === landingPath(session.user))?.label ?? 'your workspace'}
          </Button>
        )
      }
    />
  );
}

export function LandingRedirect() {
  const session = useSession();
  if (!session) return null;
  return <Navigate to={landingPath(session.user)} replace />;
}

export function NotFoundPage() {
  return (
    <CenteredMessage
      testId="not-found"
      icon={<ManageSearchOutlined />}
      title="Page not found"
      body="The address may be mistyped, or the page has moved."
      action={
        <Button variant="contained" component={RouterLink} to="/">
          Back to the workstation
        </Button>
      }
    />
  );
}

export function NoAccessPage() {
  return (
    <CenteredMessage
      testId="no-access"
      icon={<LockOutlined />}
      title="No screens for your role"
      body="Your account is signed in but has no access to any screen in the workstation. Ask a risk manager to check your role."
    />
  );
}
