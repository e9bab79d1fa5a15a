import { useEffect, useState } from 'react';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Typography from '@mui/material/Typography';

/** Chromium, Firefox and Safari words for "a lazily loaded screen's script did not load". */
const CHUNK_FAILURE = /dynamically imported module|Importing a module script failed|error loading dynamically imported module|Unable to preload CSS/i;

export type ServiceProbe = 'unreachable' | 'updated' | 'same';

/** The main script the page runs now (`/assets/index-abc123.js`), to compare with the served one. */
function entryScriptOf(doc: Document | null): string | null {
  const script = doc?.querySelector<HTMLScriptElement>('script[type="module"][src]');
  return script ? new URL(script.getAttribute('src') ?? '', window.location.origin).pathname : null;
}

/**
 * Why a screen's script did not load: the service cannot be reached, or it now serves another
 * build (its index.html names another entry script), or neither (a passing network error).
 */
export async function probeService(signal?: AbortSignal): Promise<ServiceProbe> {
  let html: string;
  try {
    const response = await fetch(`${window.location.origin}/`, { cache: 'no-store', signal, headers: { accept: 'text/html' } });
    if (!response.ok) return 'unreachable';
    html = await response.text();
  } catch {
    return 'unreachable';
  }
  const served = entryScriptOf(new DOMParser().parseFromString(html, 'text/html'));
  const running = entryScriptOf(document);
  return served && running && served !== running ? 'updated' : 'same';
}

const RETRY_MS = [2_000, 3_000, 5_000, 10_000];
const RELOAD_KEY = 'wekeza.chunkReloadAt';

function reloadedRecently(): boolean {
  try {
    return Date.now() - Number(sessionStorage.getItem(RELOAD_KEY) ?? 0) < 30_000;
  } catch {
    return false;
  }
}
function markReload(): void {
  try {
    sessionStorage.setItem(RELOAD_KEY, String(Date.now()));
  } catch {
    // No storage: the reload happens anyway; a second failure then reloads once more.
  }
}

/**
 * Last-resort screen when a page throws while rendering. A screen whose script failed to load is
 * told apart: service unreachable (say so, keep retrying, and come back by itself when it answers),
 * a new version really deployed (offer the reload), or a passing blip (reload at once).
 */
export function RouteErrorPage() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : error instanceof Error ? error.message : 'Unknown error';
  const chunkFailed = error instanceof Error && CHUNK_FAILURE.test(error.message);
  const [probe, setProbe] = useState<ServiceProbe | 'checking' | 'broken'>('checking');
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` restarts the checks at once when the user asks ("Try now").
  useEffect(() => {
    if (!chunkFailed) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let tries = 0;
    const check = async () => {
      const result = await probeService(controller.signal);
      if (controller.signal.aborted) return;
      setProbe(result);
      if (result === 'unreachable') {
        timer = setTimeout(check, RETRY_MS[Math.min(tries, RETRY_MS.length - 1)]);
        tries += 1;
      } else if (result === 'same') {
        // Reachable and the same build: the screen loads now. A fresh load rather than a retry in
        // place, because browsers remember a failed module import for the life of the page. Once
        // only: a script that fails again with the service up is a fault, shown as one.
        if (reloadedRecently()) setProbe('broken');
        else {
          markReload();
          window.location.reload();
        }
      }
    };
    void check();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [chunkFailed, attempt]);

  if (chunkFailed && probe !== 'updated' && probe !== 'broken') {
    const unreachable = probe === 'unreachable';
    return (
      <Box sx={{ p: 6, maxWidth: 640, mx: 'auto', textAlign: 'center' }} data-testid="route-error" data-kind={unreachable ? 'unreachable' : 'checking'}>
        <Typography variant="h3" component="h1" sx={{ mb: 1 }}>
          {unreachable ? 'Cannot reach the Wekeza service — retrying…' : 'Loading this screen…'}
        </Typography>
        <Typography variant="body2" sx={{ color: 'text.secondary', mb: 3 }}>
          {unreachable
            ? 'The screen could not be loaded because the service does not answer. This page comes back by itself as soon as it does; nothing you entered elsewhere is lost.'
            : 'Checking the connection to the service.'}
        </Typography>
        <Box sx={{ display: 'flex', gap: 1.5, justifyContent: 'center', alignItems: 'center' }}>
          <CircularProgress size={18} aria-label="Retrying" />
          {unreachable && (
            <Button variant="outlined" size="small" onClick={() => setAttempt((n) => n + 1)} data-testid="route-error-retry">
              Try now
            </Button>
          )}
        </Box>
      </Box>
    );
  }

  const updated = chunkFailed && probe === 'updated';
  return (
    <Box sx={{ p: 6, maxWidth: 640, mx: 'auto', textAlign: 'center' }} data-testid="route-error" data-kind={updated ? 'updated' : 'bug'}>
      <Typography variant="h3" component="h1" sx={{ mb: 1 }}>
        {updated ? 'The workstation was updated' : 'Something went wrong on this screen'}
      </Typography>
      <Typography variant="body2" sx={{ color: 'text.secondary', mb: 3 }}>
        {updated ? 'A new version is installed on the service. Reload to get it.' : `The error has been logged. ${message}`}
      </Typography>
      <Button variant="contained" onClick={() => window.location.assign('/')}>
        Reload the workstation
      </Button>
    </Box>
  );
}
