// One entry of the Conflicts inbox: what the user did offline next to the case as the hub has it
// now, the hub's message, and the two ways out. Discarding asks first and is never the default.
import { useState } from 'react';
import { Link as RouterLink } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import OpenInNew from '@mui/icons-material/OpenInNew';
import type { CaseState } from '../../../shared/src/cases.ts';
import { CONTRACT } from '../../../shared/src/contract/index.ts';
import type { SyncConflict } from '../../../shared/src/sync.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { callApi } from '../api/contract-client.ts';
import { formatEat } from '../lib/format.ts';
import { CASE_STATE_LABELS, CaseStateChip } from '../ui/chips.tsx';
import { type FieldRow, mineRows, theirsRows } from './conflictWords.ts';

function Side({ title, caption, rows, testId, state }: { title: string; caption: string; rows: FieldRow[]; testId: string; state?: CaseState }) {
  return (
    <Box data-testid={testId} sx={{ flex: 1, minWidth: 260, border: 1, borderColor: 'divider', borderRadius: 1.5, p: 1.5 }}>
      <Typography variant="overline" sx={{ color: 'text.secondary', lineHeight: 1.6, display: 'block' }}>
        {title}
      </Typography>
      <Typography variant="caption" sx={{ color: 'text.disabled', display: 'block', mb: 1 }}>
        {caption}
      </Typography>
      {rows.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          Nothing recorded.
        </Typography>
      ) : (
        <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'minmax(110px, max-content) 1fr', columnGap: 1.5, rowGap: 0.75, m: 0 }}>
          {rows.map((row) => (
            <Box key={row.key} sx={{ display: 'contents' }}>
              <Typography component="dt" variant="body2" sx={{ color: 'text.secondary' }}>
                {row.label}
              </Typography>
              <Typography component="dd" variant="body2" sx={{ m: 0, fontWeight: 500, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-field={row.key}>
                {row.key === 'state' && state && state in CASE_STATE_LABELS ? <CaseStateChip state={state} size="small" /> : row.value}
              </Typography>
            </Box>
          ))}
        </Box>
      )}
    </Box>
  );
}

export function ConflictCard({ conflict, onResolved }: { conflict: SyncConflict; onResolved: (resolved: SyncConflict) => void }) {
  const theme = useTheme();
  const [busy, setBusy] = useState<'reapply' | 'discard' | null>(null);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const isCase = conflict.entityType === 'case';
  const resolved = conflict.resolvedAt !== null;
  const theirState = typeof conflict.theirs?.state === 'string' ? (conflict.theirs.state as CaseState) : undefined;

  async function resolve(action: 'reapply' | 'discard') {
    setBusy(action);
    setError(null);
    try {
      const result = await callApi(CONTRACT.sync.resolveConflict, { params: { id: conflict.id }, body: { action } });
      setConfirmDiscard(false);
      onResolved(result);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(null);
    }
  }

  const accent = conflict.kind === 'conflict' ? theme.palette.status.warning : theme.palette.status.danger;
  return (
    <Card
      component="article"
      data-testid="conflict-item"
      data-conflict-id={conflict.id}
      data-resolved={resolved ? 'true' : 'false'}
      sx={{ p: 2, borderLeft: 3, borderLeftColor: resolved ? 'divider' : accent, opacity: resolved ? 0.75 : 1 }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap', mb: 1.25 }}>
        <Typography variant="h6" component="h2">
          {conflict.label}
        </Typography>
        <Typography variant="h6" component="span" sx={{ color: 'text.secondary', fontWeight: 500 }}>
          on
        </Typography>
        {isCase ? (
          <Link
            component={RouterLink}
            to={`/cases/${conflict.entityId}`}
            variant="h6"
            data-testid="conflict-case-link"
            sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.5 }}
          >
            {conflict.entityLabel}
            <OpenInNew sx={{ fontSize: 15 }} />
          </Link>
        ) : (
          <Typography variant="h6" component="span">
            {conflict.entityLabel}
          </Typography>
        )}
        <Chip
          size="small"
          label={conflict.kind === 'conflict' ? 'The case moved on' : 'Refused by the hub'}
          sx={{ fontWeight: 600, color: accent, bgcolor: alpha(accent, theme.palette.mode === 'dark' ? 0.16 : 0.1) }}
        />
        <Box sx={{ flex: 1 }} />
        <Typography variant="caption" sx={{ color: 'text.secondary' }}>
          {conflict.actorName} · {formatEat(conflict.createdAt)}
        </Typography>
      </Box>

      <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', mb: 1.5 }}>
        <Side title="What you did offline" caption="Your action, kept on this workstation" rows={mineRows(conflict.mine)} testId="conflict-mine" />
        <Side
          title="The case on the hub now"
          caption={conflict.theirs ? 'As the hub has it at the moment' : 'The hub did not say'}
          rows={conflict.theirs ? theirsRows(conflict.theirs) : []}
          testId="conflict-theirs"
          state={theirState}
        />
      </Box>

      <Alert severity={conflict.kind === 'conflict' ? 'warning' : 'error'} variant="outlined" sx={{ mb: 1.5 }} data-testid="conflict-message">
        <strong>The hub said:</strong> {conflict.message}
      </Alert>

      {error && (
        <Alert severity={error.code === 'HUB_UNAVAILABLE' ? 'info' : 'error'} sx={{ mb: 1.5 }} data-testid="conflict-error">
          {error.message}
        </Alert>
      )}

      {resolved ? (
        <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="conflict-resolution">
          {conflict.resolution === 'reapplied' ? 'Re-applied on the current case' : 'Discarded'}
          {conflict.resolvedAt ? ` · ${formatEat(conflict.resolvedAt)}` : ''}
        </Typography>
      ) : (
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
          <Button
            variant="contained"
            onClick={() => void resolve('reapply')}
            disabled={busy !== null}
            startIcon={busy === 'reapply' ? <CircularProgress size={14} color="inherit" /> : undefined}
            data-testid="conflict-reapply"
          >
            Re-apply on the current case
          </Button>
          <Button variant="outlined" color="error" onClick={() => setConfirmDiscard(true)} disabled={busy !== null} data-testid="conflict-discard">
            Discard my change
          </Button>
          <Typography variant="caption" sx={{ color: 'text.secondary', ml: 1 }}>
            Re-applying runs your action again on the case as it is now; the hub may still refuse it.
          </Typography>
        </Box>
      )}

      <Dialog open={confirmDiscard} onClose={() => busy === null && setConfirmDiscard(false)} maxWidth="xs" fullWidth>
        <DialogTitle>Discard your change?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Your “{conflict.label}” on {conflict.entityLabel} will not reach the hub. The case stays as the hub has it. This cannot be undone.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmDiscard(false)} disabled={busy !== null} autoFocus data-testid="conflict-discard-cancel">
            Keep it
          </Button>
          <Button color="error" variant="contained" onClick={() => void resolve('discard')} disabled={busy !== null} data-testid="conflict-discard-confirm">
            Discard my change
          </Button>
        </DialogActions>
      </Dialog>
    </Card>
  );
}
