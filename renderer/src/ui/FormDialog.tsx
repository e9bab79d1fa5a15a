// An add/edit form in a dialog (alert channels and rules, Open Banking apps): the draft is reset
// each time the dialog opens; field messages show the service's answer first, and the form's own
// checks (the contract's zod schema) once a save was tried. Saving is refused while a local check
// fails or a request runs; a failed save keeps the dialog open with the service's answer.
import { type ReactNode, useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import { type ApiError, toApiError } from '../api/client.ts';
import { editError, type FieldErrors } from '../risks/formErrors.ts';
import { DialogButtons } from './DialogButtons.tsx';

export function useFormDialog<D, R>({
  open,
  record,
  empty,
  draftOf,
  onOpen,
}: {
  open: boolean;
  /** The record being edited; adding a new one when absent. */
  record: R | null | undefined;
  empty: D;
  draftOf: (record: R) => D;
  /** Resets the caller's own extra state when the dialog opens. */
  onOpen?: () => void;
}) {
  const [draft, setDraft] = useState<D>(empty);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening or on another record only; `empty`, `draftOf` and `onOpen` are fixed per form.
  useEffect(() => {
    if (!open) return;
    setDraft(record ? draftOf(record) : empty);
    onOpen?.();
    setTried(false);
    setBusy(false);
    setError(null);
  }, [open, record]);

  const set = <K extends keyof D>(key: K, value: D[K]) => setDraft((d) => ({ ...d, [key]: value }));
  /** The message under a field: the service's, else the local check's once a save was tried. */
  const messageOf = (local: FieldErrors, server: FieldErrors) => (field: string) => server[field] ?? (tried ? local[field] : undefined);
  const submit = async (local: FieldErrors, send: () => Promise<void>, onClose: () => void) => {
    setTried(true);
    if (Object.keys(local).length || busy) return;
    setBusy(true);
    setError(null);
    try {
      await send();
      onClose();
    } catch (caught) {
      // An edit that lost a race says so in the edit's own words (stale version).
      setError(record ? editError(caught) : toApiError(caught));
      setBusy(false);
    }
  };
  return { draft, setDraft, set, tried, busy, error, editing: !!record, messageOf, submit };
}

/** The dialog around such a form: title, an error that belongs to no field, the fields, Cancel/Save. */
export function FormDialog({
  open,
  busy,
  onClose,
  onSave,
  testId,
  title,
  other,
  saveLabel,
  children,
}: {
  open: boolean;
  busy: boolean;
  onClose: () => void;
  onSave: () => void;
  /** Prefix of the dialog's test ids (`<testId>`, `<testId>-title`, `-error`, `-save`). */
  testId: string;
  title: ReactNode;
  other: string | null;
  saveLabel: string;
  children: ReactNode;
}) {
  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} fullWidth maxWidth="md" data-testid={testId} aria-labelledby={`${testId}-title`}>
      <DialogTitle id={`${testId}-title`}>{title}</DialogTitle>
      <DialogContent dividers>
        {other && (
          <Alert severity="error" sx={{ mb: 2 }} data-testid={`${testId}-error`}>
            {other}
          </Alert>
        )}
        {children}
      </DialogContent>
      <DialogButtons busy={busy} onCancel={onClose} onConfirm={onSave} confirmLabel={saveLabel} confirmTestId={`${testId}-save`} />
    </Dialog>
  );
}
