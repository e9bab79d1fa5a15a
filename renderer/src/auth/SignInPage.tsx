import { useEffect, useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import IconButton from '@mui/material/IconButton';
import InputAdornment from '@mui/material/InputAdornment';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import VisibilityOffOutlined from '@mui/icons-material/VisibilityOffOutlined';
import VisibilityOutlined from '@mui/icons-material/VisibilityOutlined';
import type { HealthResponse } from '../../../shared/src/api.ts';
import { fetchHealth, login } from '../api/authApi.ts';
import { toApiError } from '../api/client.ts';
import { clearEndReason, startSession, useSessionState, type SessionEndReason } from '../api/session.ts';
import { returnPath } from '../app/screens.ts';
import { BrandMark } from '../ui/BrandMark.tsx';
import type { DemoInfo } from '../../../shared/src/demo.ts';
import { BrandPanel } from './BrandPanel.tsx';
import { DemoUsersPanel } from './DemoUsersPanel.tsx';
import { fetchDemoInfo } from './demoApi.ts';

const END_MESSAGES: Record<SessionEndReason, { severity: 'warning' | 'info'; text: string } | null> = {
  expired: { severity: 'warning', text: 'Your session expired. Sign in again to continue.' },
  revoked: { severity: 'warning', text: 'Your session was ended by an administrator. Sign in again to continue.' },
  'signed-out': { severity: 'info', text: 'You have signed out.' },
};

function loginErrorMessage(error: unknown): string {
  const apiError = toApiError(error);
  if (apiError.status === 401) return 'Wrong username or password';
  if (apiError.status === 429) return 'Too many sign-in attempts. Wait a minute and try again.';
  if (apiError.code === 'VALIDATION_FAILED') return 'Enter your username (lower-case) and password.';
  return apiError.message;
}

export function SignInPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const { session, endReason } = useSessionState();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [health, setHealth] = useState<HealthResponse | null | 'unreachable'>(null);
  const [demo, setDemo] = useState<DemoInfo | null>(null);
  const from = (location.state as { from?: string } | null)?.from;

  useEffect(() => {
    const controller = new AbortController();
    fetchHealth(controller.signal)
      .then(setHealth)
      .catch(() => {
        if (!controller.signal.aborted) setHealth('unreachable');
      });
    // Demo mode lists its users; an older service without the operation simply shows none.
    fetchDemoInfo(controller.signal)
      .then(setDemo)
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  // Already signed in (e.g. the user pressed Back): go to the workstation.
  useEffect(() => {
    if (session) navigate(returnPath(session.user, from), { replace: true });
  }, [session, from, navigate]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (submitting) return;
    setSubmitting(true);
    setError(null);
    try {
      const response = await login(username.trim().toLowerCase(), password);
      startSession(response);
    } catch (caught) {
      setError(loginErrorMessage(caught));
      setSubmitting(false);
    }
  }

  const endMessage = endReason ? END_MESSAGES[endReason] : null;

  return (
    <Box sx={{ minHeight: '100vh', display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'minmax(420px, 5fr) 6fr' }, bgcolor: 'background.default' }}>
      <BrandPanel />
      <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'center', p: 3 }}>
        <Box component="form" onSubmit={submit} noValidate sx={{ width: '100%', maxWidth: 380 }} aria-labelledby="sign-in-title">
          <Box sx={{ display: { xs: 'flex', md: 'none' }, alignItems: 'center', gap: 1.25, mb: 4 }}>
            <BrandMark size={32} />
            <Typography variant="h5">Wekeza Risk Workstation</Typography>
          </Box>
          <Typography id="sign-in-title" variant="h2" component="h1">
            Sign in
          </Typography>
          <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.5, mb: 3 }}>
            Use your Wekeza staff account.
          </Typography>

          {endMessage && !error && (
            <Alert severity={endMessage.severity} sx={{ mb: 2 }} onClose={clearEndReason} data-testid="session-message">
              {endMessage.text}
            </Alert>
          )}
          {error && (
            <Alert severity="error" sx={{ mb: 2 }} data-testid="sign-in-error" role="alert">
              {error}
            </Alert>
          )}

          <TextField
            label="Username"
            name="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            autoFocus
            fullWidth
            required
            disabled={submitting}
            margin="dense"
            slotProps={{ htmlInput: { 'data-testid': 'sign-in-username', autoCapitalize: 'none', spellCheck: false } }}
          />
          <TextField
            label="Password"
            name="password"
            type={showPassword ? 'text' : 'password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            fullWidth
            required
            disabled={submitting}
            margin="dense"
            slotProps={{
              htmlInput: { 'data-testid': 'sign-in-password' },
              input: {
                endAdornment: (
                  <InputAdornment position="end">
                    <IconButton
                      aria-label={showPassword ? 'Hide password' : 'Show password'}
                      onClick={() => setShowPassword((v) => !v)}
                      edge="end"
                      size="small"
                    >
                      {showPassword ? <VisibilityOffOutlined fontSize="small" /> : <VisibilityOutlined fontSize="small" />}
                    </IconButton>
                  </InputAdornment>
                ),
              },
            }}
          />
          <Button
            type="submit"
            variant="contained"
            size="large"
            fullWidth
            disabled={submitting || !username.trim() || !password}
            sx={{ mt: 2.5, height: 44 }}
            data-testid="sign-in-submit"
          >
            {submitting ? <CircularProgress size={20} color="inherit" aria-label="Signing in" /> : 'Sign in'}
          </Button>

          <DemoUsersPanel
            info={demo}
            disabled={submitting}
            onPick={(name, secret) => {
              setUsername(name);
              setPassword(secret);
              setError(null);
            }}
          />

          <ServiceLine health={health} />
        </Box>
      </Box>
    </Box>
  );
}

function ServiceLine({ health }: { health: HealthResponse | null | 'unreachable' }) {
  let text = 'Checking service…';
  let colour = 'text.disabled';
  if (health === 'unreachable') {
    text = 'Service unreachable — check your network or ask IT';
    colour = 'error.main';
  } else if (health) {
    const mode = health.mode.charAt(0).toUpperCase() + health.mode.slice(1);
    text = `${mode} mode · v${health.version}${health.status === 'degraded' ? ' · degraded' : ''}`;
    colour = health.status === 'degraded' ? 'warning.main' : 'text.secondary';
  }
  return (
    <Typography variant="caption" component="p" sx={{ color: colour, mt: 3, textAlign: 'center' }} data-testid="service-mode">
      {text}
    </Typography>
  );
}
