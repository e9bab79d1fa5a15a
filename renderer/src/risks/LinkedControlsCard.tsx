// The controls that mitigate a risk: type, effectiveness and test status, with link (a control of
// the same tenant) and unlink. Each change recomputes the residual score on the service.
import { useCallback, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import Link from '@mui/material/Link';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import AddLinkIcon from '@mui/icons-material/AddLink';
import LinkOffIcon from '@mui/icons-material/LinkOff';
import type { Control, Risk } from '../../../shared/src/risk-register.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { SectionCard } from '../ui/layout.tsx';
import { Mono } from '../ui/values.tsx';
import { EFFECTIVENESS_TONE, humanise, ToneChip } from './riskChips.tsx';
import { fetchControls, linkControl, unlinkControl } from './risksApi.ts';
import { CONTROL_TYPE_LABELS, formatDay } from './riskText.ts';

function LinkControlDialog({ risk, linked, onClose, onLinked }: { risk: Risk; linked: readonly string[]; onClose: () => void; onLinked: () => void }) {
  const fetcher = useCallback((signal: AbortSignal) => fetchControls({ tenantId: risk.tenantId, pageSize: 500 }, signal), [risk.tenantId]);
  const controls = useApiQuery(`controls-for:${risk.tenantId}`, fetcher);
  const [choice, setChoice] = useState<Control | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const available = (controls.data?.items ?? []).filter((c) => !linked.includes(c.id));
  const save = async () => {
    if (!choice) return;
    setSaving(true);
    setError(null);
    try {
      await linkControl(risk.id, choice.id);
      onLinked();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Dialog open onClose={saving ? undefined : onClose} maxWidth="sm" fullWidth data-testid="link-control-dialog">
      <DialogTitle>Link a control to {risk.reference}</DialogTitle>
      <DialogContent sx={{ pt: '8px !important', display: 'grid', gap: 1.5 }}>
        {controls.error && <Alert severity="error">{controls.error.message}</Alert>}
        <Autocomplete
          options={available}
          loading={controls.loading}
          value={choice}
          onChange={(_, c) => setChoice(c)}
          getOptionLabel={(c) => `${c.reference} ${c.name}`}
          isOptionEqualToValue={(a, b) => a.id === b.id}
          renderOption={(props, c) => {
            const { key, ...rest } = props as typeof props & { key: string };
            return (
              <Box component="li" key={key} {...rest} sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
                <Mono sx={{ fontWeight: 650 }}>{c.reference}</Mono>
                <Typography variant="body2" noWrap sx={{ flex: 1, minWidth: 0 }}>
                  {c.name}
                </Typography>
                <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                  {CONTROL_TYPE_LABELS[c.type]} · {humanise(c.effectiveness)}
                </Typography>
              </Box>
            );
          }}
          noOptionsText={controls.loading ? 'Loading…' : `No other control in ${risk.tenantId}: add one in the control library`}
          renderInput={(params) => (
            <TextField
              {...params}
              label="Control"
              size="small"
              helperText="Preventive controls lower likelihood; detective and corrective ones lower impact"
              slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'link-control-choice' } }}
            />
          )}
        />
        {error && <Alert severity="error">{error.message}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={saving}>
          Cancel
        </Button>
        <Button
          variant="contained"
          disabled={!choice || saving}
          onClick={() => void save()}
          startIcon={saving ? <CircularProgress size={16} /> : null}
          data-testid="link-control-save"
        >
          Link control
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export function LinkedControlsCard({
  risk,
  controls,
  canManage,
  onChanged,
}: {
  risk: Risk;
  controls: readonly Control[];
  canManage: boolean;
  onChanged: (message: string) => void;
}) {
  const [linking, setLinking] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const unlink = async (control: Control) => {
    setBusy(control.id);
    setError(null);
    try {
      await unlinkControl(risk.id, control.id);
      onChanged(`${control.reference} unlinked; the residual score was recomputed`);
    } catch (caught) {
      setError(toApiError(caught).message);
    } finally {
      setBusy(null);
    }
  };
  return (
    <SectionCard
      title="Controls"
      subtitle="Their effectiveness sets the residual score"
      testId="linked-controls"
      action={
        canManage && (
          <Button size="small" startIcon={<AddLinkIcon fontSize="small" />} onClick={() => setLinking(true)} data-testid="link-control">
            Link
          </Button>
        )
      }
    >
      {error && (
        <Alert severity="error" sx={{ mb: 1 }}>
          {error}
        </Alert>
      )}
      {controls.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          No control linked: the residual equals the inherent score.
        </Typography>
      )}
      <Box sx={{ display: 'grid', gap: 1 }}>
        {controls.map((c) => (
          <Box key={c.id} sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }} data-testid={`linked-control-${c.reference}`}>
            <Link component={RouterLink} to={`/controls/${c.id}`} underline="hover" sx={{ fontWeight: 650, minWidth: 0 }} noWrap title={c.name}>
              {c.reference} {c.name}
            </Link>
            <Typography variant="caption" sx={{ color: 'text.secondary' }}>
              {CONTROL_TYPE_LABELS[c.type]}
            </Typography>
            <ToneChip
              label={humanise(c.effectiveness)}
              tone={EFFECTIVENESS_TONE[c.effectiveness] ?? 'neutral'}
              testId={`control-effectiveness-${c.reference}`}
            />
            {c.testOverdue && <ToneChip label={c.lastTestedAt ? `Test due ${formatDay(c.nextTestDue)}` : 'Never tested'} tone="danger" />}
            <Box sx={{ flex: 1 }} />
            {canManage && (
              <Tooltip title="Unlink">
                <span>
                  <IconButton
                    size="small"
                    aria-label={`Unlink ${c.reference}`}
                    disabled={busy === c.id}
                    onClick={() => void unlink(c)}
                    data-testid={`unlink-${c.reference}`}
                  >
                    <LinkOffIcon fontSize="small" />
                  </IconButton>
                </span>
              </Tooltip>
            )}
          </Box>
        ))}
      </Box>
      {linking && (
        <LinkControlDialog
          risk={risk}
          linked={controls.map((c) => c.id)}
          onClose={() => setLinking(false)}
          onLinked={() => {
            setLinking(false);
            onChanged('Control linked; the residual score was recomputed');
          }}
        />
      )}
    </SectionCard>
  );
}
