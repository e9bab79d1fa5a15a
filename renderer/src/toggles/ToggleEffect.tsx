// What a toggle change will do, in plain words, and the choice of what happens to payments while
// the engine is off. Nothing here is preselected: "approve without assessment" lets every payment
// through unchecked, so the admin picks it deliberately and confirms it (issue 11 §4).
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import type { DisabledBehaviour } from '../../../shared/src/toggles.ts';
import { formatEatMinutes, toValidDate } from '../lib/format.ts';
import { BEHAVIOUR_HINTS, BEHAVIOUR_LABELS } from './toggleChips.tsx';

export interface EffectInput {
  tenantId: string;
  paymentType: string | null;
  localInstrumentationCode: string | null;
  clearingSystemCode: string | null;
  isEnabled: boolean | null;
  disabledBehaviour: DisabledBehaviour | null;
  effectiveFrom: string | null;
  effectiveUntil: string | null;
  isActive: boolean;
}

/** The one combination that lets payments through with no fraud check at all. */
export function isDangerous(value: Pick<EffectInput, 'isEnabled' | 'disabledBehaviour'>): boolean {
  return value.isEnabled === false && value.disabledBehaviour === 'APPROVE';
}

function contextWords(v: EffectInput): string {
  const parts = [v.tenantId.trim() ? `${v.tenantId.trim()} payments` : 'payments of this tenant'];
  if (v.paymentType) parts.push(`of type ${v.paymentType}`);
  if (v.localInstrumentationCode) parts.push(`with local instrument ${v.localInstrumentationCode}`);
  if (v.clearingSystemCode) parts.push(`through ${v.clearingSystemCode}`);
  return parts.join(' ');
}

/**
 * "From 06 Dec 2026, 01:00 EAT until 06 Dec 2026, 03:00 EAT, for WEKEZA-KE payments of type
 * MOBILE_MONEY, the bank's fraud engine will not be called; payments will be APPROVED WITHOUT
 * ASSESSMENT." Null until the state (and, when off, the fallback) has been chosen.
 */
export function effectSentence(v: EffectInput): string | null {
  if (v.isEnabled === null || (v.isEnabled === false && v.disabledBehaviour === null)) return null;
  if (!v.isActive) return 'This configuration is inactive: it is kept for the record and never applies.';
  const from = toValidDate(v.effectiveFrom);
  const until = toValidDate(v.effectiveUntil);
  const when = `${from ? `From ${formatEatMinutes(from)}` : 'From the moment you save'}${until ? ` until ${formatEatMinutes(until)}` : ', with no end'}`;
  const what = v.isEnabled
    ? 'the bank’s fraud engine will assess every payment'
    : v.disabledBehaviour === 'APPROVE'
      ? 'the bank’s fraud engine will not be called; payments will be APPROVED WITHOUT ASSESSMENT — no fraud check at all'
      : 'the bank’s fraud engine will not be called; payments will be scored by the workstation’s own rules only';
  return `${when}, for ${contextWords(v)}, ${what}.`;
}

export function EffectSummary({ value }: { value: EffectInput }) {
  const sentence = effectSentence(value);
  const dangerous = isDangerous(value) && value.isActive;
  return (
    <Alert
      severity={sentence === null ? 'info' : dangerous ? 'error' : value.isEnabled === false && value.isActive ? 'warning' : 'success'}
      data-testid="toggle-effect"
      data-dangerous={dangerous ? 'true' : 'false'}
      sx={{ py: 0.25 }}
    >
      <Typography variant="body2">
        <Box component="span" sx={{ fontWeight: 600 }}>
          What this will do:{' '}
        </Box>
        {sentence ?? 'Choose whether the engine is on or off (and, when off, what happens to payments) to see the effect.'}
      </Typography>
    </Alert>
  );
}

const FALLBACKS: DisabledBehaviour[] = ['LOCAL_RULES_ONLY', 'APPROVE'];

/** The fallback while the engine is off: two radio buttons, none chosen until the admin picks one. */
export function FallbackChoice({
  value,
  onChange,
  error,
  testId = 'toggle-behaviour',
}: {
  value: DisabledBehaviour | null;
  onChange: (value: DisabledBehaviour) => void;
  error?: string;
  testId?: string;
}) {
  return (
    <FormControl error={!!error} data-testid={testId} data-value={value ?? ''}>
      <FormLabel id={`${testId}-label`} sx={{ fontSize: 13 }}>
        While the engine is off, payments are… (required)
      </FormLabel>
      <RadioGroup aria-labelledby={`${testId}-label`} value={value ?? ''} onChange={(e) => onChange(e.target.value as DisabledBehaviour)}>
        {FALLBACKS.map((option) => (
          <FormControlLabel
            key={option}
            value={option}
            control={<Radio size="small" slotProps={{ input: { 'data-testid': `${testId}-${option}` } as object }} />}
            label={
              <Box sx={{ py: 0.25 }}>
                <Typography variant="body2" sx={{ fontWeight: 500, color: option === 'APPROVE' ? 'error.main' : undefined }}>
                  {BEHAVIOUR_LABELS[option]}
                </Typography>
                <Typography variant="caption" sx={{ color: 'text.secondary' }}>
                  {BEHAVIOUR_HINTS[option]}
                </Typography>
              </Box>
            }
          />
        ))}
      </RadioGroup>
      {error && <FormHelperText>{error}</FormHelperText>}
    </FormControl>
  );
}

/** The explicit "yes, approve unchecked" tick the dangerous combination needs before it is saved. */
export function DangerConfirmation({
  checked,
  onChange,
  error,
  testId = 'toggle-confirm-danger',
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string;
  testId?: string;
}) {
  return (
    <FormControl error={!!error} sx={{ mt: 1 }}>
      <FormControlLabel
        control={
          <Checkbox size="small" checked={checked} onChange={(e) => onChange(e.target.checked)} slotProps={{ input: { 'data-testid': testId } as object }} />
        }
        label={<Typography variant="body2">I understand that these payments will be approved with no fraud check while the engine is off.</Typography>}
      />
      {error && <FormHelperText>{error}</FormHelperText>}
    </FormControl>
  );
}
