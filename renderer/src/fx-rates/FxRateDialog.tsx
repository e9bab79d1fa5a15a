// Set a KES rate from now, schedule one for later, or correct a scheduled one. Every field shows
// its own error (typed input is checked as it is typed, the service's answer per field), and a
// half-typed date is just an error under the field: the form never breaks.
import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { FxRate, FxRateTableRow } from '../../../shared/src/fx-rates.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { dateInputFormat, formatEatMinutes } from '../lib/format.ts';
import { correctFxRate, setFxRate } from './fxRatesApi.ts';
import { formatEatInput, formatRate, parseEatDateTime, parseRate } from './rateInput.ts';

export type RateDialogMode = { kind: 'set'; currency: string | null } | { kind: 'correct'; rate: FxRate };

export function FxRateDialog({
  mode,
  currencies,
  onClose,
  onSaved,
}: {
  mode: RateDialogMode;
  currencies: readonly FxRateTableRow[];
  onClose: () => void;
  onSaved: (rate: FxRate) => void;
}) {
  const correcting = mode.kind === 'correct' ? mode.rate : null;
  const format = dateInputFormat();
  const [currency, setCurrency] = useState<string | null>(correcting?.currency ?? (mode.kind === 'set' ? mode.currency : null));
  const [rateText, setRateText] = useState(correcting ? String(correcting.kesPerUnit) : '');
  const [when, setWhen] = useState<'now' | 'later'>(correcting ? 'later' : 'now');
  const [fromText, setFromText] = useState(correcting ? formatEatInput(correcting.effectiveFrom, format) : '');
  const [note, setNote] = useState(correcting?.note ?? '');
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const row = currencies.find((c) => c.code === currency) ?? null;
  const rate = parseRate(rateText);
  const from = parseEatDateTime(fromText, format);
  const noteProblem = note.trim().length < 3 ? 'Say where the rate comes from (e.g. “CBK mean rate 4 Dec 2026”)' : null;
  const local = {
    currency: currency ? null : 'Choose a currency',
    kesPerUnit: rate.ok ? null : rate.message,
    // The service decides with its own clock; this only spares a round trip for an obvious slip.
    effectiveFrom:
      when !== 'later'
        ? null
        : !from.ok
          ? from.message
          : Date.parse(from.value) <= Date.now()
            ? 'Must be later than now: a rate in effect is never changed after the fact'
            : null,
    note: noteProblem,
  };
  const server = (field: string) => error?.fields.find((f) => f.path === `body.${field}`)?.message ?? null;
  const shown = (field: keyof typeof local) => (touched[field] ? local[field] : null) ?? server(field);
  const valid = Object.values(local).every((v) => v === null);

  const save = async () => {
    setTouched({ currency: true, kesPerUnit: true, effectiveFrom: true, note: true });
    if (!valid || !currency || !rate.ok) return;
    setSaving(true);
    setError(null);
    try {
      const effectiveFrom = when === 'later' && from.ok ? from.value : undefined;
      const saved = correcting
        ? await correctFxRate(correcting.id, {
            kesPerUnit: rate.value,
            effectiveFrom: effectiveFrom ?? '',
            note: note.trim(),
            expectedVersion: correcting.version,
          })
        : await setFxRate({ currency, kesPerUnit: rate.value, note: note.trim(), ...(effectiveFrom ? { effectiveFrom } : {}) });
      onSaved(saved);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setSaving(false);
    }
  };

  const touch = (field: string) => () => setTouched((t) => ({ ...t, [field]: true }));
  const unmatched = error?.fields.filter((f) => !['body.currency', 'body.kesPerUnit', 'body.effectiveFrom', 'body.note'].includes(f.path));

  return (
    <Dialog open onClose={saving ? undefined : onClose} maxWidth="sm" fullWidth data-testid="fx-rate-dialog">
      <DialogTitle>{correcting ? `Correct the scheduled ${correcting.currency} rate` : 'Set or schedule a KES rate'}</DialogTitle>
      <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 2, pt: '8px !important' }}>
        <Autocomplete
          options={currencies.map((c) => c.code)}
          value={currency}
          disabled={!!correcting}
          onChange={(_, value) => setCurrency(value)}
          onBlur={touch('currency')}
          getOptionLabel={(code) => {
            const c = currencies.find((x) => x.code === code);
            return c ? `${c.code} — ${c.name}` : code;
          }}
          renderInput={(params) => (
            <TextField
              {...params}
              label="Currency"
              required
              error={!!shown('currency')}
              helperText={
                shown('currency') ??
                (row
                  ? `${row.minorUnits === null ? 'No minor unit in ISO 4217' : `${row.minorUnits} decimal places`}${row.current ? ` · now KES ${formatRate(row.current.kesPerUnit)}` : ' · no rate yet'}`
                  : ' ')
              }
              slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': 'fx-rate-currency' } }}
            />
          )}
        />
        <TextField
          label={`KES per 1 ${currency ?? 'unit'}`}
          required
          value={rateText}
          onChange={(e) => setRateText(e.target.value)}
          onBlur={touch('kesPerUnit')}
          error={!!shown('kesPerUnit')}
          helperText={shown('kesPerUnit') ?? (rate.ok && currency ? `1 ${currency} = KES ${formatRate(rate.value)}` : 'e.g. 129.25')}
          slotProps={{ htmlInput: { inputMode: 'decimal', 'data-testid': 'fx-rate-value' } }}
        />
        <Box>
          <Typography variant="body2" sx={{ fontWeight: 600, mb: 0.5 }}>
            Effective
          </Typography>
          <RadioGroup row value={when} onChange={(e) => setWhen(e.target.value as 'now' | 'later')}>
            <FormControlLabel value="now" control={<Radio size="small" />} label="From now" disabled={!!correcting} data-testid="fx-rate-when-now" />
            <FormControlLabel value="later" control={<Radio size="small" />} label="From a later date and time" data-testid="fx-rate-when-later" />
          </RadioGroup>
          {when === 'later' && (
            <TextField
              label={`Effective from (${format}, EAT)`}
              required
              fullWidth
              value={fromText}
              placeholder={format}
              onChange={(e) => setFromText(e.target.value)}
              onBlur={touch('effectiveFrom')}
              error={!!shown('effectiveFrom')}
              helperText={shown('effectiveFrom') ?? (from.ok ? formatEatMinutes(from.value) : ' ')}
              slotProps={{ htmlInput: { 'data-testid': 'fx-rate-from', autoComplete: 'off' } }}
              sx={{ mt: 1 }}
            />
          )}
          <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block', mt: 0.5 }}>
            Payments are converted with the rate in effect at their own timestamp. Rates already in effect are never changed: decisions may have used them.
          </Typography>
        </Box>
        <TextField
          label="Source / note"
          required
          value={note}
          onChange={(e) => setNote(e.target.value)}
          onBlur={touch('note')}
          error={!!shown('note')}
          helperText={shown('note') ?? 'Shown in the history, e.g. “CBK mean rate 4 Dec 2026”'}
          slotProps={{ htmlInput: { maxLength: 300, 'data-testid': 'fx-rate-note' } }}
        />
        {error && (unmatched?.length || error.fields.length === 0) ? (
          <Alert severity="error" data-testid="fx-rate-error">
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
          data-testid="fx-rate-save"
          startIcon={saving ? <CircularProgress size={16} /> : null}
        >
          {correcting ? 'Save correction' : when === 'now' ? 'Set rate from now' : 'Schedule rate'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
