// The green "done" toast at the bottom centre after an action (saved, suspended, revoked); it closes
// itself after five seconds.
import Alert from '@mui/material/Alert';
import Snackbar from '@mui/material/Snackbar';

export function SuccessNotice({ notice, onClose, testId }: { notice: string | null; onClose: () => void; testId: string }) {
  return (
    <Snackbar open={!!notice} autoHideDuration={5000} onClose={onClose} anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}>
      {notice ? (
        <Alert severity="success" variant="filled" onClose={onClose} data-testid={testId}>
          {notice}
        </Alert>
      ) : undefined}
    </Snackbar>
  );
}
