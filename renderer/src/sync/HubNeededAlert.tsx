// "This needs the bank's hub": what a screen shows instead of an error when a workstation is
// offline and the answer was 503 HUB_UNAVAILABLE (issue 12). Calm (info, not error): nothing is
// broken and nothing is lost; it works again by itself once the hub answers.
import { useEffect, useRef } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import type { SxProps, Theme } from '@mui/material/styles';
import CloudOffOutlined from '@mui/icons-material/CloudOffOutlined';
import { isHubUnavailable } from '../api/client.ts';
import { useNow } from '../lib/useNow.ts';
import { useSyncStatus } from './syncStatus.ts';
import { hubNeededSentence } from './words.ts';

export function HubNeededAlert({ onRetry, sx }: { onRetry?: () => void; sx?: SxProps<Theme> }) {
  const { status } = useSyncStatus();
  const now = useNow();
  const back = status?.mode === 'workstation' && status.online;
  // The promise of the sentence: when the hub answers again, load again by itself.
  const retryRef = useRef(onRetry);
  useEffect(() => {
    retryRef.current = onRetry;
  });
  useEffect(() => {
    if (back) retryRef.current?.();
  }, [back]);
  return (
    <Alert
      severity="info"
      variant="outlined"
      icon={<CloudOffOutlined fontSize="inherit" />}
      data-testid="hub-needed"
      sx={sx}
      action={
        onRetry && (
          <Button color="inherit" size="small" onClick={onRetry} variant={back ? 'outlined' : 'text'}>
            {back ? 'Connected again — retry' : 'Retry'}
          </Button>
        )
      }
    >
      <AlertTitle>Needs the bank’s hub</AlertTitle>
      {back ? 'The hub answers again: retry to load this.' : hubNeededSentence(status?.offlineSince ?? null, now)}
    </Alert>
  );
}

/** The alert for an error, or null when the error is not "needs the hub". */
export function hubNeededFor(error: unknown, onRetry?: () => void) {
  return isHubUnavailable(error) ? <HubNeededAlert onRetry={onRetry} /> : null;
}
