// Settings (issue 12): this node's mode, the hub, the sync state in plain words, version skew and
// the cache owner; in the desktop app an admin (user:manage) can switch how this computer runs.
// In a browser the mode is chosen in the desktop app or with the service's --mode flag.
import { useEffect, useState, type ReactNode } from 'react';
import { Link as RouterLink } from 'react-router';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { HealthResponse } from '../../../shared/src/api.ts';
import type { DesktopBootstrap } from '../../../shared/src/desktop.ts';
import type { SyncStatus } from '../../../shared/src/sync.ts';
import { fetchHealth } from '../api/authApi.ts';
import { can, useSession } from '../api/session.ts';
import { desktop, desktopBootstrap } from '../desktop.ts';
import { formatAge, formatCount, formatEat } from '../lib/format.ts';
import { useNow } from '../lib/useNow.ts';
import { CardSkeleton, Page, PageHeader, SectionCard } from '../ui/layout.tsx';
import { Mono } from '../ui/values.tsx';
import { DeploymentForm } from './DeploymentForm.tsx';
import { useSyncStatus } from './syncStatus.ts';
import { conflictsLabel, cursorSentence, initialSyncLine, initialSyncPercent, modeSentence, sinceTime, skewSentence, stateSentence } from './words.ts';

/** One labelled row of a settings card. */
function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Box
      data-testid={testId}
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: '1fr', sm: '200px 1fr' },
        gap: { xs: 0.25, sm: 2 },
        py: 1,
        borderTop: 1,
        borderColor: 'divider',
        '&:first-of-type': { borderTop: 0 },
      }}
    >
      <Typography variant="body2" sx={{ color: 'text.secondary' }}>
        {label}
      </Typography>
      <Box sx={{ minWidth: 0 }}>{typeof children === 'string' ? <Typography variant="body2">{children}</Typography> : children}</Box>
    </Box>
  );
}

function SyncRows({ status, now, you }: { status: SyncStatus; now: number; you: { id: string; username: string; displayName: string } | null }) {
  const progress = status.initialSync;
  const percent = progress ? initialSyncPercent(progress) : null;
  const owner = status.cacheOwner;
  const ownerIsYou = owner !== null && you !== null && (owner === you.id || owner === you.username);
  return (
    <>
      <Row label="Hub" testId="settings-hub">
        {status.hubUrl ? <Mono sx={{ wordBreak: 'break-all' }}>{status.hubUrl}</Mono> : 'No hub configured'}
      </Row>
      <Row label="Connection" testId="settings-state">
        {stateSentence(status, now)}
      </Row>
      {status.offlineSince && <Row label="Offline since">{`${sinceTime(status.offlineSince, now)} (${formatEat(status.offlineSince)})`}</Row>}
      <Row label="Last sync" testId="settings-last-sync">
        {status.lastSyncAt ? `${formatEat(status.lastSyncAt)} · ${formatAge(status.lastSyncAt, now)}` : 'Not synced yet'}
      </Row>
      {progress && (
        <Row label="First sync" testId="settings-initial-sync">
          <LinearProgress
            variant={percent === null ? 'indeterminate' : 'determinate'}
            value={percent ?? undefined}
            sx={{ height: 6, borderRadius: 3, mb: 0.75, mt: 0.75 }}
          />
          <Typography variant="body2">{initialSyncLine(progress)}</Typography>
        </Row>
      )}
      <Row label="Received from the hub">{cursorSentence(status)}</Row>
      <Row label="Your changes waiting" testId="settings-pending">
        {status.pendingMutations === 0
          ? 'None — everything you did has reached the hub.'
          : `${formatCount(status.pendingMutations)} kept on this workstation, sent in order when the hub answers. They are never dropped.`}
      </Row>
      <Row label="Refused by the hub">
        {status.rejectedMutations === 0 ? 'None' : `${formatCount(status.rejectedMutations)} — each is in the Conflicts inbox with the hub's reason.`}
      </Row>
      <Row label="Conflicts" testId="settings-conflicts">
        {status.conflicts === 0 ? (
          'None to resolve'
        ) : (
          <Link component={RouterLink} to="/sync/conflicts">
            {conflictsLabel(status.conflicts)}
          </Link>
        )}
      </Row>
      <Row label="Cache holds the cases of" testId="settings-cache-owner">
        {owner ? (ownerIsYou ? `${you?.displayName} (you)` : `Another user (${owner})`) : 'Nobody yet (filled at the first sign-in)'}
      </Row>
      {status.lastError && <Row label="Last problem">{status.lastError}</Row>}
    </>
  );
}

function ModeSwitch({ isAdmin, bootstrap }: { isAdmin: boolean; bootstrap: DesktopBootstrap | null | undefined }) {
  const bridge = desktop();
  if (bootstrap === undefined) return <CardSkeleton lines={2} />;
  if (!bridge || !bootstrap) {
    return (
      <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="settings-mode-browser">
        This page runs in a browser, so the mode cannot be changed here. It is chosen in the desktop app (Settings, by an administrator) or, for a service run
        on its own, with its <Mono component="span">--mode</Mono> flag, e.g.{' '}
        <Mono component="span">npm run service -- --mode workstation --hub-url URL --data-dir DIR</Mono>.
      </Typography>
    );
  }
  if (!isAdmin) {
    return (
      <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="settings-mode-not-admin">
        Only an administrator can change how this computer runs.
      </Typography>
    );
  }
  return <DeploymentForm bridge={bridge} initial={bootstrap.deployment} submitLabel="Switch and restart" testId="settings-mode-form" />;
}

export function SettingsPage() {
  const session = useSession();
  const { status, error } = useSyncStatus();
  const now = useNow();
  const [health, setHealth] = useState<HealthResponse | null>(null);
  const [bootstrap, setBootstrap] = useState<DesktopBootstrap | null | undefined>(undefined);
  useEffect(() => {
    const controller = new AbortController();
    fetchHealth(controller.signal).then(setHealth, () => undefined);
    void desktopBootstrap().then(setBootstrap);
    return () => controller.abort();
  }, []);
  const isAdmin = can(session, 'user:manage');
  const mode = status?.mode ?? health?.mode;
  const you = session ? { id: session.user.id, username: session.user.username, displayName: session.user.displayName } : null;

  return (
    <Page maxWidth={960}>
      <PageHeader title="Settings" subtitle="How this computer runs Wekeza and how it syncs." />
      <Stack spacing={2}>
        <SectionCard title="This computer" testId="settings-node">
          <Row label="Mode" testId="settings-mode">
            <Typography variant="body2" data-mode={mode}>
              {mode ? modeSentence(mode) : '…'}
            </Typography>
          </Row>
          <Row label="Service">{health ? `Version ${health.version} · ${health.database === 'postgres' ? 'PostgreSQL' : 'SQLite'} database` : '…'}</Row>
          {bootstrap && <Row label="Desktop app">{`Version ${bootstrap.appVersion} on ${bootstrap.platform}`}</Row>}
        </SectionCard>

        {status?.versionSkew.length ? (
          <Alert severity="warning" data-testid="settings-version-skew">
            <AlertTitle>Versions differ from the hub — your waiting changes are kept</AlertTitle>
            {status.versionSkew.map((skew) => (
              <Typography key={skew.command} variant="body2">
                {skewSentence(skew)}
              </Typography>
            ))}
          </Alert>
        ) : null}

        <SectionCard title="Sync" subtitle={mode === 'workstation' ? 'With the bank’s hub' : undefined} testId="settings-sync">
          {status?.mode === 'workstation' ? (
            <SyncRows status={status} now={now} you={you} />
          ) : status ? (
            <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="settings-sync-na">
              {stateSentence(status, now)}
              {status.conflicts > 0 ? ` ${conflictsLabel(status.conflicts)}.` : ''}
            </Typography>
          ) : error ? (
            <Alert severity="warning">The sync state could not be read: {error}</Alert>
          ) : (
            <CardSkeleton lines={3} />
          )}
        </SectionCard>

        <SectionCard title="Switch mode" subtitle="Connect to the bank’s hub, or run standalone" testId="settings-switch">
          <ModeSwitch isAdmin={isAdmin} bootstrap={bootstrap} />
        </SectionCard>
      </Stack>
    </Page>
  );
}
