// The four-eyes limits: which case decisions wait for a second approver. Risk managers
// (case:configure) change them; everyone else reads them. Saves carry the version seen, so two
// managers cannot overwrite each other unknowingly (409 → reload).
import { useCallback, useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Divider from '@mui/material/Divider';
import Skeleton from '@mui/material/Skeleton';
import Typography from '@mui/material/Typography';
import VerifiedUserOutlined from '@mui/icons-material/VerifiedUserOutlined';
import { FourEyesSettings, type FourEyesSettingsView } from '../../../shared/src/cases.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { fetchFourEyes, updateFourEyes } from '../cases/casesApi.ts';
import { FormProvider, NumberInput, SwitchInput } from '../decision-engine/configurations/fields.tsx';
import { mergeErrors, NO_ERRORS, serverFieldErrors } from '../decision-engine/configurations/formModel.ts';
import { formatEat } from '../lib/format.ts';
import { ErrorState, SectionCard } from '../ui/layout.tsx';
import { formatKes } from './queueModel.ts';

type Settings = Pick<FourEyesSettingsView, 'blockAboveKes' | 'closeCritical'>;

function validate(value: Settings): Map<string, string> {
  const errors = new Map<string, string>();
  const result = FourEyesSettings.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.map(String).join('.');
      if (errors.has(key)) continue;
      errors.set(
        key,
        issue.code === 'invalid_type'
          ? 'Enter an amount in KES'
          : issue.code === 'too_small'
            ? 'Cannot be negative'
            : issue.code === 'too_big'
              ? 'Too large'
              : issue.message,
      );
    }
  }
  return errors;
}

export function FourEyesCard({ canConfigure, onSaved }: { canConfigure: boolean; onSaved: (text: string) => void }) {
  const fetcher = useCallback((signal: AbortSignal) => fetchFourEyes(signal), []);
  const { data, error, loading, refetch } = useApiQuery('four-eyes', fetcher);
  useLiveRefresh(['queue.changed'], () => refetch({ silent: true }));

  const [value, setValue] = useState<Settings | null>(null);
  // The stored settings the edit started from: its version goes with the save.
  const [base, setBase] = useState<FourEyesSettingsView | null>(null);
  const [busy, setBusy] = useState(false);
  const [saveError, setSaveError] = useState<ApiError | null>(null);

  const dirty = !!base && !!value && (value.blockAboveKes !== base.blockAboveKes || value.closeCritical !== base.closeCritical);
  // Follow the stored settings (first load, someone else's save) unless the user is mid-edit;
  // a save after someone else's change then meets a 409 instead of overwriting it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when new data arrives; `dirty` is read as it is at that moment.
  useEffect(() => {
    if (!data || dirty) return;
    setBase(data);
    setValue({ blockAboveKes: data.blockAboveKes, closeCritical: data.closeCritical });
    // Only when new data arrives; `dirty` is read as it is at that moment.
  }, [data]);

  const errors = value ? validate(value) : NO_ERRORS;
  const conflict = saveError?.status === 409;
  const shownErrors = mergeErrors(serverFieldErrors(saveError), errors);
  const unplaced = saveError && !conflict && saveError.fields.length === 0 ? saveError.message : null;

  const edit = (patch: Partial<Settings>) => {
    setValue((v) => (v ? { ...v, ...patch } : v));
    if (saveError && !conflict) setSaveError(null);
  };

  const save = async () => {
    if (!value || !base || errors.size > 0 || busy) return;
    setBusy(true);
    setSaveError(null);
    try {
      const saved = await updateFourEyes({ ...value, expectedVersion: base.version });
      setBase(saved);
      setValue({ blockAboveKes: saved.blockAboveKes, closeCritical: saved.closeCritical });
      refetch({ silent: true });
      onSaved('Four-eyes settings saved');
    } catch (caught) {
      setSaveError(toApiError(caught));
    } finally {
      setBusy(false);
    }
  };

  /** Back to the stored settings (after a 409, or to discard an edit); the refetch brings the newest. */
  const reload = () => {
    setSaveError(null);
    if (base) setValue({ blockAboveKes: base.blockAboveKes, closeCritical: base.closeCritical });
    refetch({ silent: true });
  };

  const shown = base ?? data;
  const stamp = shown?.updatedAt
    ? `Last changed ${formatEat(shown.updatedAt)}${shown.updatedBy ? ` by ${shown.updatedBy}` : ''}`
    : 'The product defaults: not changed yet';

  return (
    <SectionCard
      testId="four-eyes-card"
      title={
        <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 1 }}>
          <VerifiedUserOutlined fontSize="small" sx={{ color: 'primary.main' }} />
          Four-eyes approval
        </Box>
      }
      subtitle="Decisions that wait for a second approver before they take effect"
    >
      {error && !data && <ErrorState error={error} onRetry={() => refetch()} title="Could not load the four-eyes settings" />}
      {loading && !data && !error && (
        <Box>
          <Skeleton height={40} />
          <Skeleton height={40} />
        </Box>
      )}
      {value && base && (
        <FormProvider value={{ errors: shownErrors, readOnly: !canConfigure }}>
          {conflict && (
            <Alert
              severity="warning"
              sx={{ mb: 1.5 }}
              data-testid="four-eyes-conflict"
              action={
                <Button color="inherit" size="small" onClick={reload}>
                  Reload
                </Button>
              }
            >
              Changed by someone else — reload to see the current settings.
            </Alert>
          )}
          {unplaced && (
            <Alert severity="error" sx={{ mb: 1.5 }}>
              {unplaced}
            </Alert>
          )}
          {/* The rule as a sentence with the amount being edited, then the box that sets it. */}
          <Typography variant="body2" sx={{ fontWeight: 600, mb: 1.25 }} data-testid="four-eyes-amount-rule">
            Blocking above {Number.isFinite(value.blockAboveKes) ? formatKes(value.blockAboveKes) : 'KES …'} needs a second approver
          </Typography>
          <NumberInput
            path="blockAboveKes"
            label="Limit"
            kes
            value={value.blockAboveKes}
            onChange={(n) => edit({ blockAboveKes: n })}
            min={0}
            step={100_000}
            testId="four-eyes-amount"
            helper="Blocking a case whose payments total more than this waits until another approver confirms it"
          />
          <Divider sx={{ my: 1.75 }} />
          <SwitchInput
            label={
              <Box component="span" sx={{ fontWeight: 600 }}>
                Closing a CRITICAL case needs a second approver
              </Box>
            }
            checked={value.closeCritical}
            onChange={(closeCritical) => edit({ closeCritical })}
            testId="four-eyes-critical"
            helper={value.closeCritical ? 'Approving or blocking a critical-risk case waits for approval' : 'Analysts close critical cases on their own'}
          />
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, mt: 2 }}>
            <Typography variant="caption" sx={{ color: 'text.secondary', flex: 1, minWidth: 0 }} data-testid="four-eyes-stamp">
              {stamp}
              {!canConfigure && <> · only risk managers change these</>}
            </Typography>
            {canConfigure && (
              <>
                {dirty && (
                  <Button size="small" color="inherit" onClick={reload} disabled={busy}>
                    Discard
                  </Button>
                )}
                <Button
                  variant="contained"
                  size="small"
                  onClick={save}
                  disabled={!dirty || errors.size > 0 || busy || conflict}
                  data-testid="four-eyes-save"
                  startIcon={busy ? <CircularProgress size={14} color="inherit" /> : undefined}
                >
                  Save
                </Button>
              </>
            )}
          </Box>
        </FormProvider>
      )}
    </SectionCard>
  );
}
