import type { KeyboardEvent } from 'react';
import TextField from '@mui/material/TextField';

/** The service's limits on a decision, approval or request note (shared/src/cases.ts Note). */
export const NOTE_MIN = 5;
export const NOTE_MAX = 2000;

export function noteReady(note: string): boolean {
  const n = note.trim().length;
  return n >= NOTE_MIN && n <= NOTE_MAX;
}

function noteHelper(note: string): string {
  const n = note.trim().length;
  return n < NOTE_MIN ? `At least ${NOTE_MIN} characters · ${n}/${NOTE_MAX}` : `${n}/${NOTE_MAX}`;
}

/** The note every case decision dialog asks for: multi-line, counted, with the service's error when it sends one. */
export function CaseNoteField({
  value,
  onChange,
  testId,
  label = 'Note',
  placeholder,
  disabled,
  error,
  autoFocus,
  onKeyDown,
}: {
  value: string;
  onChange: (note: string) => void;
  testId: string;
  label?: string;
  placeholder?: string;
  disabled?: boolean;
  error?: string | null;
  autoFocus?: boolean;
  onKeyDown?: (event: KeyboardEvent<HTMLDivElement>) => void;
}) {
  return (
    <TextField
      autoFocus={autoFocus}
      fullWidth
      multiline
      minRows={3}
      maxRows={8}
      label={label}
      placeholder={placeholder}
      value={value}
      onChange={(e) => onChange(e.target.value.slice(0, NOTE_MAX))}
      onKeyDown={onKeyDown}
      disabled={disabled}
      required
      error={!!error}
      helperText={error ?? noteHelper(value)}
      slotProps={{ htmlInput: { 'data-testid': testId, maxLength: NOTE_MAX } as Record<string, unknown> }}
      sx={{ mt: 1 }}
    />
  );
}
