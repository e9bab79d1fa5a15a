// "Change password" from the account menu. Other sessions of this user end; this one stays.
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import { ChangePasswordForm } from './ChangePasswordForm.tsx';

export function ChangePasswordDialog({ open, username, onClose, onChanged }: { open: boolean; username: string; onClose: () => void; onChanged: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="xs" data-testid="change-password-dialog" aria-labelledby="change-password-title">
      <DialogTitle id="change-password-title">Change password</DialogTitle>
      <DialogContent>
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
          You stay signed in here; your other open sessions end.
        </Typography>
        {open && (
          <ChangePasswordForm
            username={username}
            onChanged={() => {
              onChanged();
              onClose();
            }}
            secondaryAction={
              <Button onClick={onClose} color="inherit">
                Cancel
              </Button>
            }
          />
        )}
      </DialogContent>
    </Dialog>
  );
}
