// Shows a secret that the service answers only once (a one-time password, an API key) with a copy
// button. It does not close on a click outside or Escape: losing it means issuing another.
import { useEffect, useState, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import CheckIcon from '@mui/icons-material/Check';
import ContentCopyOutlined from '@mui/icons-material/ContentCopyOutlined';
import { FONT_MONO } from '../app/theme.ts';

export interface ShownSecret {
  title: string;
  /** What the secret is, e.g. "One-time password for amina.otieno". */
  label: string;
  secret: string;
  /** A sentence under the secret: what to do with it. */
  body: ReactNode;
  /** Extra facts (client id, when the old key stops working). */
  details?: ReactNode;
  /** Why it cannot be shown again, when not "only a hash is kept" (e.g. a sealed OAuth client secret). */
  warning?: ReactNode;
}

export function SecretOnceDialog({ shown, onClose, testId = 'secret-dialog' }: { shown: ShownSecret | null; onClose: () => void; testId?: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  // A new secret starts un-copied.
  useEffect(() => {
    if (shown) setCopied(null);
  }, [shown]);

  const copy = async () => {
    if (!shown) return;
    try {
      await navigator.clipboard.writeText(shown.secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };

  return (
    <Dialog open={!!shown} fullWidth maxWidth="sm" data-testid={testId} aria-labelledby={`${testId}-title`}>
      <DialogTitle id={`${testId}-title`}>{shown?.title}</DialogTitle>
      <DialogContent>
        <Alert severity="warning" variant="outlined" sx={{ mb: 2 }}>
          {shown?.warning ?? 'Shown only this once. The service keeps only a hash and cannot show it again.'}
        </Alert>
        <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mb: 0.5 }}>
          {shown?.label}
        </Typography>
        <Box sx={{ display: 'flex', alignItems: 'stretch', gap: 1 }}>
          <Box
            component="output"
            data-testid={`${testId}-secret`}
            sx={{
              flex: 1,
              minWidth: 0,
              px: 1.5,
              py: 1.25,
              border: 1,
              borderColor: 'divider',
              borderRadius: 1.5,
              bgcolor: 'action.hover',
              fontFamily: FONT_MONO,
              fontSize: 15,
              fontWeight: 600,
              letterSpacing: '0.02em',
              wordBreak: 'break-all',
              userSelect: 'all',
            }}
          >
            {shown?.secret}
          </Box>
          <Button
            variant="outlined"
            onClick={copy}
            startIcon={copied === 'yes' ? <CheckIcon fontSize="small" /> : <ContentCopyOutlined fontSize="small" />}
            data-testid={`${testId}-copy`}
            sx={{ flexShrink: 0, minWidth: 104 }}
          >
            {copied === 'yes' ? 'Copied' : 'Copy'}
          </Button>
        </Box>
        {copied === 'failed' && (
          <Typography variant="caption" sx={{ color: 'error.main', display: 'block', mt: 0.5 }}>
            Copying is not allowed here: select the text and copy it by hand.
          </Typography>
        )}
        <Typography variant="body2" component="div" sx={{ color: 'text.secondary', mt: 2 }}>
          {shown?.body}
        </Typography>
        {shown?.details && <Box sx={{ mt: 2 }}>{shown.details}</Box>}
      </DialogContent>
      <DialogActions>
        <Button variant="contained" onClick={onClose} data-testid={`${testId}-done`}>
          I have stored it
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The framed facts shown under a secret (`ShownSecret.details`): client id, tenants, the old credential's end. */
export function SecretDetails({ children }: { children: ReactNode }) {
  return <Box sx={{ border: 1, borderColor: 'divider', borderRadius: 1.5, px: 1.5, py: 1 }}>{children}</Box>;
}

export function SecretDetail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: '150px 1fr', gap: 1, py: 0.25 }}>
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        {label}
      </Typography>
      <Typography variant="body2" component="div">
        {children}
      </Typography>
    </Box>
  );
}
