// Rotate an app's client secret: the new one is shown once by the page; the old one keeps working
// for a grace period the administrator chooses (never preselected, and "none" is an explicit choice).
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { ObAppView, ObAppWithSecret } from '../../../shared/src/open-banking.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { formatEat } from '../lib/format.ts';
import { rotateObAppSecret } from './obAppsApi.ts';

export const GRACE_OPTIONS: readonly { minutes: number; label: string }[] = [
  { minutes: 0, label: 'None: the old secret stops now' },
  { minutes: 60, label: '1 hour' },
  { minutes: 24 * 60, label: '24 hours' },
  { minutes: 3 * 24 * 60, label: '3 days' },
  { minutes: 7 * 24 * 60, label: '7 days (the longest)' },
];

export function RotateSecretDialog({ app, onClose, onRotated }: { app: ObAppView | null; onClose: () => void; onRotated: (app: ObAppWithSecret) => void }) {
  const [grace, setGrace] = useState<number | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  useEffect(() => {
    if (!app) return;
    setGrace('');
    setBusy(false);
    setError(null);
  }, [app]);

  const rotate = async () => {
    if (!app || grace === '' || busy) return;
    setBusy(true);
    setError(null);
    try {
      onRotated(await rotateObAppSecret(app.id, grace));
      onClose();
    } catch (caught) {
      setError(toApiError(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog open={!!app} onClose={busy ? undefined : onClose} fullWidth maxWidth="sm" data-testid="app-rotate" aria-labelledby="app-rotate-title">
      <DialogTitle id="app-rotate-title">Rotate the client secret of {app?.name}</DialogTitle>
      <DialogContent dividers>
        {error && (
          <Alert severity="error" sx={{ mb: 2 }}>
            {error.message}
          </Alert>
        )}
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 2 }}>
          A new secret is issued and shown once. Until the grace period ends the current secret (…{app?.secretHint}) keeps working too, so the partner can
          switch without an outage. Tokens already issued stay valid until they expire.
          {app?.previousSecretExpiresAt && (
            <Box component="span" sx={{ display: 'block', mt: 1, color: 'warning.main' }}>
              The secret before the current one still works until {formatEat(app.previousSecretExpiresAt)}; rotating now stops it at once.
            </Box>
          )}
        </Typography>
        <TextField
          select
          fullWidth
          required
          label="The current secret keeps working for"
          value={grace}
          onChange={(e) => setGrace(Number(e.target.value))}
          disabled={busy}
          helperText="Choose how long the partner needs to switch to the new secret"
          slotProps={{ select: { SelectDisplayProps: { 'aria-label': 'Grace period', ...{ 'data-testid': 'app-rotate-grace' } } } }}
        >
          {GRACE_OPTIONS.map((o) => (
            <MenuItem key={o.minutes} value={o.minutes} data-testid={`app-rotate-grace-${o.minutes}`}>
              {o.label}
            </MenuItem>
          ))}
        </TextField>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy} color="inherit">
          Cancel
        </Button>
        <Button
          variant="contained"
          color="warning"
          onClick={rotate}
          disabled={busy || grace === ''}
          data-testid="app-rotate-confirm"
          startIcon={busy ? <CircularProgress size={16} color="inherit" /> : undefined}
        >
          Rotate secret
        </Button>
      </DialogActions>
    </Dialog>
  );
}
