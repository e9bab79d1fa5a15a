// Record a KRI measurement by hand: the value (pasted "2,5" or "1 200" read as numbers), and for
// a backfill the time it was true plus the note the service requires for one. Shows the status
// the value would get before it is saved.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { evaluateKri, type Kri, type KriMeasurementRecorded } from '../../../shared/src/kris.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { formatEat } from '../lib/format.ts';
import { EatDateTimeField, INCOMPLETE, incompleteMessage } from '../ui/EatDateTimeField.tsx';
import { KriStatusChip } from './kriChips.tsx';
import { formatKriValue, parseDecimal } from './kriInput.ts';
import { recordKriMeasurement } from './krisApi.ts';

export function MeasurementDialog({ kri, onClose, onSaved }: { kri: Kri; onClose: () => void; onSaved: (result: KriMeasurementRecorded) => void }) {
  const [valueText, setValueText] = useState('');
  const [backfill, setBackfill] = useState(false);
  const [measuredAt, setMeasuredAt] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const value = parseDecimal(valueText, { label: 'the measured value' });
  const when = backfill && measuredAt && measuredAt !== INCOMPLETE ? measuredAt : null;
  const future = when !== null && Date.parse(when) > Date.now() + 60_000;
  const local = {
    value: value.ok ? null : value.message,
    measuredAt: !backfill
      ? null
      : measuredAt === INCOMPLETE
        ? incompleteMessage()
        : !measuredAt
          ? 'When was the value true?'
          : future
            ? 'Not in the future'
            : null,
    note: backfill && note.trim().length < 3 ? 'Say why it is recorded late (required for a backfill)' : null,
  };
  const server = (field: string) => error?.fields.find((f) => f.path === `body.${field}`)?.message ?? null;
  const shown = (field: keyof typeof local) => (touched[field] ? local[field] : null) ?? server(field);
  const unmatched = error?.fields.filter((f) => !['body.value', 'body.measuredAt', 'body.note'].includes(f.path));
  const wouldBe = value.ok ? evaluateKri(kri.direction, kri.thresholdWarning, kri.thresholdCritical, value.value) : null;
  const olderThanLast = when !== null && kri.lastMeasuredAt !== null && Date.parse(when) < Date.parse(kri.lastMeasuredAt);

  const save = async () => {
    setTouched({ value: true, measuredAt: true, note: true });
    if (!value.ok || Object.values(local).some((v) => v !== null)) return;
    setSaving(true);
    setError(null);
    try {
      const result = await recordKriMeasurement(kri.id, {
        value: value.value,
        ...(when ? { measuredAt: when } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      onSaved(result);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog open onClose={saving ? undefined : onClose} maxWidth="sm" fullWidth data-testid="measurement-dialog">
      <DialogTitle>
        Record a measurement
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          {kri.reference} {kri.name}
        </Typography>
      </DialogTitle>
      <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 2, pt: '8px !important' }}>
        <TextField
          label={`Value (${kri.unit})`}
          required
          autoFocus
          value={valueText}
          onChange={(e) => setValueText(e.target.value)}
          onBlur={() => setTouched((t) => ({ ...t, value: true }))}
          error={!!shown('value')}
          helperText={shown('value') ?? (value.ok ? `Read as ${formatKriValue(value.value, kri.unit)}` : 'e.g. 2.5 — “2,5” and “1 200” are read too')}
          slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': 'measurement-value' } }}
        />
        {wouldBe && (
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }} data-testid="measurement-would-be" data-status={wouldBe}>
            <Typography variant="body2" sx={{ color: 'text.secondary' }}>
              This value is
            </Typography>
            <KriStatusChip status={wouldBe} />
            {wouldBe !== 'OK' && !olderThanLast && (
              <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                opens or escalates the KRI’s breach event and notifies the owners
              </Typography>
            )}
          </Box>
        )}
        <FormControlLabel
          control={<Switch checked={backfill} onChange={(e) => setBackfill(e.target.checked)} data-testid="measurement-backfill" />}
          label="The value was true at an earlier time (backfill)"
        />
        {backfill && (
          <EatDateTimeField
            label="Measured at (EAT)"
            value={measuredAt}
            onChange={(v) => {
              setMeasuredAt(v);
              setTouched((t) => ({ ...t, measuredAt: true }));
            }}
            testId="measurement-at"
            error={shown('measuredAt') ?? undefined}
            helper={
              olderThanLast && kri.lastMeasuredAt
                ? `Before the latest measurement (${formatEat(kri.lastMeasuredAt)}): kept in the history, the KRI’s status stays as it is`
                : 'Empty = now'
            }
          />
        )}
        <TextField
          label={backfill ? 'Note (required for a backfill)' : 'Note (optional)'}
          required={backfill}
          multiline
          minRows={2}
          value={note}
          onChange={(e) => setNote(e.target.value)}
          onBlur={() => setTouched((t) => ({ ...t, note: true }))}
          error={!!shown('note')}
          helperText={shown('note') ?? 'Shown in the history with your name'}
          slotProps={{ htmlInput: { maxLength: 1000, 'data-testid': 'measurement-note' } }}
        />
        {error && (unmatched?.length || error.fields.length === 0) ? (
          <Alert severity="error" data-testid="measurement-error">
            {unmatched?.length ? unmatched.map((f) => `${f.path}: ${f.message}`).join('; ') : error.message}
          </Alert>
        ) : null}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={saving}>
          Cancel
        </Button>
        <Button
          variant="contained"
          onClick={() => void save()}
          disabled={saving}
          data-testid="measurement-save"
          startIcon={saving ? <CircularProgress size={16} /> : null}
        >
          Record
        </Button>
      </DialogActions>
    </Dialog>
  );
}
