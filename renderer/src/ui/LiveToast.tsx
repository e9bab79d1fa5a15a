// Toasts for things that arrive live (a new critical case, a notification). They stack in one
// column at the bottom left, over the navigation's footer: top right they sat over the page's
// own action buttons (Acknowledge, Open case…), and a toast that appears under a resting pointer
// never times out, so it could hold a button hidden for good. Each can be closed, and one that
// points at the page the user is already on goes away by itself.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useLocation } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Snackbar from '@mui/material/Snackbar';
import SnackbarContent from '@mui/material/SnackbarContent';
import Typography from '@mui/material/Typography';
import CloseOutlined from '@mui/icons-material/CloseOutlined';

const StackContext = createContext<HTMLElement | null>(null);

/** The column the live toasts of the signed-in shell go into. */
export function ToastStackProvider({ children }: { children: ReactNode }) {
  const [stack, setStack] = useState<HTMLElement | null>(null);
  return (
    <StackContext.Provider value={stack}>
      {children}
      <Box
        ref={setStack}
        data-testid="toast-stack"
        sx={{
          position: 'fixed',
          left: { xs: 8, sm: 16 },
          bottom: { xs: 8, sm: 16 },
          zIndex: (theme) => theme.zIndex.snackbar,
          display: 'flex',
          flexDirection: 'column-reverse',
          gap: 1,
          maxWidth: 'min(400px, calc(100vw - 32px))',
          // The empty column must not catch clicks meant for the page under it.
          pointerEvents: 'none',
          '& > *': { pointerEvents: 'auto' },
        }}
      />
    </StackContext.Provider>
  );
}

export interface LiveToastProps {
  open: boolean;
  title: string;
  body?: string | null;
  /** An in-app path; the toast offers Open, and closes once the user is on that page. */
  link?: string | null;
  onOpen?: () => void;
  onClose: () => void;
  autoHideMs?: number;
  /** A background for what is urgent (a critical case); the default is the standard dark toast. */
  tone?: string;
  testId: string;
}

export function LiveToast({ open, title, body, link, onOpen, onClose, autoHideMs = 10_000, tone, testId }: LiveToastProps) {
  const stack = useContext(StackContext);
  const { pathname } = useLocation();
  const linkPath = link?.split(/[?#]/)[0] ?? null;
  useEffect(() => {
    if (open && linkPath && pathname === linkPath) onClose();
  }, [open, linkPath, pathname, onClose]);
  if (!stack) return null;
  return createPortal(
    <Snackbar
      open={open}
      autoHideDuration={autoHideMs}
      // A click elsewhere on the page is work going on, not an answer to the toast.
      onClose={(_, reason) => reason !== 'clickaway' && onClose()}
      sx={{ position: 'static', transform: 'none' }}
    >
      <SnackbarContent
        data-testid={testId}
        sx={{ ...(tone ? { bgcolor: tone, color: '#fff' } : {}), flexWrap: 'nowrap', alignItems: 'flex-start' }}
        message={
          <Box sx={{ minWidth: 0 }}>
            <Typography variant="body2" sx={{ fontWeight: 650, overflowWrap: 'anywhere' }}>
              {title}
            </Typography>
            {body && (
              <Typography
                variant="caption"
                component="div"
                sx={{ overflowWrap: 'anywhere', display: '-webkit-box', WebkitLineClamp: 3, WebkitBoxOrient: 'vertical', overflow: 'hidden' }}
              >
                {body}
              </Typography>
            )}
          </Box>
        }
        action={
          <>
            {link && onOpen && (
              <Button color="inherit" size="small" onClick={onOpen} data-testid={`${testId}-open`}>
                Open
              </Button>
            )}
            <IconButton color="inherit" size="small" aria-label="Dismiss" onClick={onClose} data-testid={`${testId}-dismiss`}>
              <CloseOutlined fontSize="small" />
            </IconButton>
          </>
        }
      />
    </Snackbar>,
    stack,
  );
}
