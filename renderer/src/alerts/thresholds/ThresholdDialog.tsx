// One detector's thresholds for a tenant (or the bank's defaults, "*"): edit them (alert:configure)
// and backtest the edited values against those in force before saving. Detectors use saved values
// from then on; past alerts are not recomputed.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Divider from '@mui/material/Divider';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import MenuItem from '@mui/material/MenuItem';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { AlertSeverity, PATTERN_FAMILY, type AlertThresholdSet } from '../../../../shared/src/alerts.ts';
import type { ApiError } from '../../api/client.ts';
import { editError, serverErrors } from '../../risks/formErrors.ts';
import { oneLine } from '../../risks/riskText.ts';
import { DialogButtons } from '../../ui/DialogButtons.tsx';
import { updateAlertThreshold } from '../alertsApi.ts';
import { PATTERN_LABELS, SEVERITY_LABELS } from '../alertWords.tsx';
import { BacktestPanel } from './BacktestPanel.tsx';
import { FIELD_LABELS, GROUP_BY_LABELS, parseThresholds, type ThresholdDraft, thresholdDraftOf } from './thresholdFields.ts';

export function ThresholdDialog({
  set,
  canEdit,
  tenants,
  onClose,
  onSaved,
}: {
  set: AlertThresholdSet;
  canEdit: boolean;
  tenants: readonly string[];
  onClose: () => void;
  onSaved: (saved: AlertThresholdSet) => void;
}) {
  // Mounted per opened detector (keyed by the page), so the draft starts from what is stored.
  const [draft, setDraft] = useState<ThresholdDraft>(() => thresholdDraftOf(set.thresholds));
  const [enabled, setEnabled] = useState(set.enabled);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const pattern = set.pattern;
  const parsed = parseThresholds(pattern, draft);
  const server: Record<string, string> = {};
  for (const [path, text] of Object.entries(serverErrors(error))) {
    const key = path.replace(/^thresholds\./, '').split('.')[0] ?? path;
    if (!server[key]) server[key] = text;
  }
  const message = (key: string) => server[key] ?? (tried || draft[key] !== thresholdDraftOf(set.thresholds)[key] ? parsed.errors[key] : undefined);
  const keys = Object.keys(draft);
  const other = error && !error.fields.length ? error.message : null;

  const save = async () => {
    setTried(true);
    if (!parsed.value || busy) return;
    setBusy(true);
    setError(null);
    try {
      onSaved(await updateAlertThreshold(pattern, { tenantId: set.tenantId, enabled, thresholds: parsed.value, version: set.version }));
      onClose();
    } catch (caught) {
      setError(editError(caught));
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} fullWidth maxWidth="lg" data-testid="threshold-dialog" aria-labelledby="threshold-dialog-title">
      <DialogTitle id="threshold-dialog-title">
        {PATTERN_LABELS[pattern]} · {set.tenantId === '*' ? 'bank defaults (every tenant)' : `tenant ${set.tenantId}`}
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {PATTERN_FAMILY[pattern]}
          {set.isDefault ? ' · the product’s defaults (nothing stored yet)' : set.updatedBy ? ` · last changed by ${set.updatedBy}` : ''}
        </Typography>
      </DialogTitle>
      <DialogContent dividers>
        {other && (
          <Alert severity="error" sx={{ mb: 2 }} data-testid="threshold-error">
            {other}
          </Alert>
        )}
        {keys.length === 0 ? (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            Risky-payment alerts follow each configuration’s alert settings in the decision engine (its least risk level and recipients); there is nothing to
            set here besides turning the detector on or off.
          </Typography>
        ) : (
          <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', md: '1fr 1fr 1fr' }, gap: 2, pt: 0.75 }} data-testid="threshold-fields">
            {keys.map((key) => {
              const meta = FIELD_LABELS[key] ?? { label: key, helper: '' };
              const value = draft[key];
              if (Array.isArray(value))
                return (
                  <Box key={key} sx={{ gridColumn: '1 / -1' }}>
                    <Typography variant="body2" sx={{ fontWeight: 600 }}>
                      {meta.label}
                    </Typography>
                    {Object.entries(GROUP_BY_LABELS).map(([g, label]) => (
                      <FormControlLabel
                        key={g}
                        control={
                          <Checkbox
                            size="small"
                            checked={value.includes(g)}
                            disabled={!canEdit || busy}
                            onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.checked ? [...value, g] : value.filter((x) => x !== g) }))}
                          />
                        }
                        label={label}
                      />
                    ))}
                    <FormHelperText error={!!message(key)}>{message(key) ?? meta.helper}</FormHelperText>
                  </Box>
                );
              if (key === 'severity')
                return (
                  <TextField
                    key={key}
                    select
                    label={meta.label}
                    value={value}
                    disabled={!canEdit || busy}
                    onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))}
                    helperText={meta.helper}
                    slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'threshold-severity' } as object } }}
                  >
                    {AlertSeverity.options.map((s) => (
                      <MenuItem key={s} value={s}>
                        {SEVERITY_LABELS[s]}
                      </MenuItem>
                    ))}
                  </TextField>
                );
              return (
                <TextField
                  key={key}
                  label={meta.label}
                  value={value}
                  disabled={!canEdit || busy}
                  onChange={(e) => setDraft((d) => ({ ...d, [key]: oneLine(e.target.value).trim().slice(0, 16) }))}
                  error={!!message(key)}
                  helperText={message(key) ?? meta.helper}
                  slotProps={{ htmlInput: { 'data-testid': `threshold-${key}`, inputMode: 'decimal' } }}
                />
              );
            })}
          </Box>
        )}
        <FormControlLabel
          sx={{ mt: 1.5 }}
          control={
            <Switch
              checked={enabled}
              onChange={(e) => setEnabled(e.target.checked)}
              disabled={!canEdit || busy}
              slotProps={{ input: { 'data-testid': 'threshold-enabled' } as object }}
            />
          }
          label={enabled ? 'Detector on' : 'Detector off: raises nothing for this tenant'}
        />
        {pattern !== 'RISKY_PAYMENT' && canEdit && (
          <>
            <Divider sx={{ my: 2 }} />
            <BacktestPanel tenants={tenants} defaultTenant={set.tenantId === '*' ? null : set.tenantId} thresholds={parsed.value} />
          </>
        )}
      </DialogContent>
      {canEdit ? (
        <DialogButtons busy={busy} onCancel={onClose} onConfirm={save} confirmLabel="Save thresholds" confirmTestId="threshold-save" />
      ) : (
        <DialogActions>
          <Button onClick={onClose} data-testid="threshold-close">
            Close
          </Button>
        </DialogActions>
      )}
    </Dialog>
  );
}
