// The password change form, used by "Change password" in the account menu and by the forced
// change after signing in with a one-time password. The rules are checked as the user types with
// the same function the service uses (shared/src/users.ts); reuse of the last five passwords can
// only be checked by the service, and its refusal lands on the new-password box.
import { useState, type FormEvent, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import IconButton from '@mui/material/IconButton';
import InputAdornment from '@mui/material/InputAdornment';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import CheckCircleOutline from '@mui/icons-material/CheckCircleOutlineOutlined';
import HighlightOffOutlined from '@mui/icons-material/HighlightOffOutlined';
import RadioButtonUnchecked from '@mui/icons-material/RadioButtonUnchecked';
import VisibilityOffOutlined from '@mui/icons-material/VisibilityOffOutlined';
import VisibilityOutlined from '@mui/icons-material/VisibilityOutlined';
import { COMMON_PASSWORDS, PASSWORD_HISTORY, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../shared/src/users.ts';
import { changePassword } from '../api/authApi.ts';
import { toApiError } from '../api/client.ts';

function rules(password: string, username: string): { label: string; ok: boolean }[] {
  const folded = password.toLowerCase();
  return [
    { label: `At least ${PASSWORD_MIN_LENGTH} characters`, ok: password.length >= PASSWORD_MIN_LENGTH && password.length <= PASSWORD_MAX_LENGTH },
    { label: 'Does not contain your username', ok: password.length > 0 && !folded.includes(username.toLowerCase()) },
    { label: 'Not a commonly used password', ok: password.length > 0 && !COMMON_PASSWORDS.includes(folded.replace(/\s+/g, '')) && new Set(folded).size >= 4 },
    { label: `Not one of your last ${PASSWORD_HISTORY} passwords (checked when you save)`, ok: false },
  ];
}

function PasswordInput({
  label,
  value,
  onChange,
  autoComplete,
  error,
  helper,
  testId,
  disabled,
  autoFocus,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete: string;
  error?: string;
  helper?: ReactNode;
  testId: string;
  disabled: boolean;
  autoFocus?: boolean;
}) {
  const [show, setShow] = useState(false);
  return (
    <TextField
      label={label}
      type={show ? 'text' : 'password'}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      autoComplete={autoComplete}
      autoFocus={autoFocus}
      fullWidth
      required
      disabled={disabled}
      margin="dense"
      error={!!error}
      helperText={error ?? helper}
      slotProps={{
        htmlInput: { 'data-testid': testId, maxLength: PASSWORD_MAX_LENGTH },
        input: {
          endAdornment: (
            <InputAdornment position="end">
              <IconButton
                aria-label={show ? `Hide ${label.toLowerCase()}` : `Show ${label.toLowerCase()}`}
                onClick={() => setShow((v) => !v)}
                edge="end"
                size="small"
              >
                {show ? <VisibilityOffOutlined fontSize="small" /> : <VisibilityOutlined fontSize="small" />}
              </IconButton>
            </InputAdornment>
          ),
        },
      }}
    />
  );
}

export function ChangePasswordForm({
  username,
  currentLabel = 'Current password',
  submitLabel = 'Change password',
  onChanged,
  secondaryAction,
}: {
  username: string;
  currentLabel?: string;
  submitLabel?: string;
  onChanged: () => Promise<void> | void;
  secondaryAction?: ReactNode;
}) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<{ current?: string; next?: string }>({});
  const [error, setError] = useState<string | null>(null);

  const checks = rules(next, username);
  // Only the service knows earlier passwords: its refusal marks the last rule as failed.
  const reused = !!fieldErrors.next && /last \d+ passwords/.test(fieldErrors.next);
  const localOk = checks.slice(0, 3).every((c) => c.ok);
  const mismatch = confirm.length > 0 && confirm !== next;
  const ready = current.length > 0 && localOk && confirm === next;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!ready || busy) return;
    setBusy(true);
    setError(null);
    setFieldErrors({});
    try {
      await changePassword(current, next);
      await onChanged();
    } catch (caught) {
      const apiError = toApiError(caught);
      const currentError = apiError.fields.find((f) => f.path === 'body.currentPassword')?.message;
      const nextError = apiError.fields.find((f) => f.path === 'body.newPassword')?.message;
      setFieldErrors({ current: currentError ? capitalise(currentError) : undefined, next: nextError ? `New password ${nextError}` : undefined });
      if (!currentError && !nextError) setError(apiError.message);
      setBusy(false);
    }
  };

  return (
    <Box component="form" onSubmit={submit} noValidate data-testid="change-password-form">
      {error && (
        <Alert severity="error" sx={{ mb: 1.5 }} role="alert">
          {error}
        </Alert>
      )}
      <PasswordInput
        label={currentLabel}
        value={current}
        onChange={(v) => {
          setCurrent(v);
          setFieldErrors((f) => ({ ...f, current: undefined }));
        }}
        autoComplete="current-password"
        error={fieldErrors.current}
        testId="change-password-current"
        disabled={busy}
        autoFocus
      />
      <PasswordInput
        label="New password"
        value={next}
        onChange={(v) => {
          setNext(v);
          setFieldErrors((f) => ({ ...f, next: undefined }));
        }}
        autoComplete="new-password"
        error={fieldErrors.next}
        testId="change-password-new"
        disabled={busy}
      />
      <Box component="ul" aria-label="Password rules" sx={{ listStyle: 'none', p: 0, m: 0, mt: 0.5, mb: 0.5 }}>
        {checks.map((check, i) => (
          <Box component="li" key={check.label} sx={{ display: 'flex', alignItems: 'center', gap: 0.75, py: 0.125 }}>
            {check.ok ? (
              <CheckCircleOutline sx={{ fontSize: 16, color: 'success.main' }} />
            ) : i === 3 && reused ? (
              <HighlightOffOutlined sx={{ fontSize: 16, color: 'error.main' }} />
            ) : (
              <RadioButtonUnchecked sx={{ fontSize: 16, color: i === 3 ? 'text.disabled' : 'text.secondary' }} />
            )}
            <Typography variant="caption" sx={{ color: check.ok ? 'text.primary' : 'text.secondary' }}>
              {check.label}
            </Typography>
          </Box>
        ))}
      </Box>
      <PasswordInput
        label="New password again"
        value={confirm}
        onChange={setConfirm}
        autoComplete="new-password"
        error={mismatch ? 'The two new passwords differ' : undefined}
        testId="change-password-confirm"
        disabled={busy}
      />
      <Box sx={{ display: 'flex', justifyContent: 'flex-end', alignItems: 'center', gap: 1, mt: 2 }}>
        {secondaryAction}
        <Button
          type="submit"
          variant="contained"
          disabled={!ready || busy}
          data-testid="change-password-submit"
          startIcon={busy ? <CircularProgress size={16} color="inherit" /> : undefined}
        >
          {submitLabel}
        </Button>
      </Box>
    </Box>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
