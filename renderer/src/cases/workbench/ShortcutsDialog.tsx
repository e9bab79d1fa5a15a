import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import KeyboardOutlined from '@mui/icons-material/KeyboardOutlined';
import { FONT_MONO } from '../../app/theme.ts';
import { WORKBENCH_SHORTCUTS, type Shortcut } from './useWorkbenchKeys.ts';

export function Kbd({ children }: { children: string }) {
  return (
    <Box
      component="kbd"
      sx={{
        display: 'inline-flex',
        alignItems: 'center',
        justifyContent: 'center',
        minWidth: 24,
        height: 22,
        px: 0.75,
        borderRadius: 1,
        border: 1,
        borderColor: 'divider',
        borderBottomWidth: 2,
        bgcolor: 'action.hover',
        fontFamily: FONT_MONO,
        fontSize: 12,
        fontWeight: 600,
        color: 'text.primary',
        lineHeight: 1,
      }}
    >
      {children}
    </Box>
  );
}

const GROUPS: Shortcut['group'][] = ['Move', 'Act', 'View'];

/** The keyboard help (`?`): only the shortcuts this user can use. */
export function ShortcutsDialog({
  open,
  onClose,
  available,
  shortcuts: list = WORKBENCH_SHORTCUTS,
  testId = 'shortcuts-dialog',
}: {
  open: boolean;
  onClose: () => void;
  available: Record<NonNullable<Shortcut['needs']>, boolean>;
  /** Another page's list (the case page's); the queue's by default. */
  shortcuts?: readonly Shortcut[];
  testId?: string;
}) {
  const shortcuts = list.filter((s) => !s.needs || available[s.needs]);
  return (
    <Dialog open={open} onClose={onClose} maxWidth="xs" fullWidth aria-labelledby="shortcuts-title" data-testid={testId}>
      <DialogTitle id="shortcuts-title" sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <KeyboardOutlined sx={{ color: 'text.secondary' }} />
        Keyboard shortcuts
      </DialogTitle>
      <DialogContent sx={{ pt: 0 }}>
        {GROUPS.map((group) => {
          const items = shortcuts.filter((s) => s.group === group);
          if (items.length === 0) return null;
          return (
            <Box key={group} sx={{ mb: 1.5 }}>
              <Typography variant="overline" sx={{ color: 'text.disabled', display: 'block', mb: 0.5 }}>
                {group}
              </Typography>
              {items.map((s) => (
                <Box
                  key={s.label}
                  data-testid={`shortcut-${s.keys[0]}`}
                  sx={{
                    display: 'flex',
                    alignItems: 'center',
                    gap: 1.5,
                    py: 0.625,
                    borderBottom: 1,
                    borderColor: 'divider',
                    '&:last-of-type': { borderBottom: 0 },
                  }}
                >
                  <Box sx={{ display: 'flex', gap: 0.5, width: 104, flexShrink: 0 }}>
                    {s.keys.map((k) => (
                      <Kbd key={k}>{k}</Kbd>
                    ))}
                  </Box>
                  <Typography variant="body2">{s.label}</Typography>
                </Box>
              ))}
            </Box>
          );
        })}
        <Typography variant="caption" sx={{ color: 'text.secondary' }}>
          Shortcuts pause while you type in a field or a dialog is open.
        </Typography>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} autoFocus>
          Got it
        </Button>
      </DialogActions>
    </Dialog>
  );
}
