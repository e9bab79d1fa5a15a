// The top bar's hub connection on a workstation: "Online", "Offline since 14:05", "Syncing…",
// the waiting changes and the conflicts to resolve, with the details (hub, last sync, live
// updates) in the tooltip; during the first sync a progress bar with cases, rows and time left.
// Clicking it opens Settings (the full sync state).
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import ButtonBase from '@mui/material/ButtonBase';
import LinearProgress from '@mui/material/LinearProgress';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, keyframes, useTheme } from '@mui/material/styles';
import type { SyncStatus } from '../../../shared/src/sync.ts';
import { useConnection } from '../api/socket.ts';
import { formatAge, formatCount, formatEat } from '../lib/format.ts';
import { useNow } from '../lib/useNow.ts';
import { conflictsLabel, connectionLabel, initialSyncLine, initialSyncPercent, initialSyncShort, pendingLabel } from './words.ts';

const pulse = keyframes`
  0% { box-shadow: 0 0 0 0 currentColor; }
  70% { box-shadow: 0 0 0 5px transparent; }
  100% { box-shadow: 0 0 0 0 transparent; }
`;

function TooltipBody({ status, now }: { status: SyncStatus; now: number }) {
  const live = useConnection();
  const lines = [
    status.initialSync ? `First sync: ${initialSyncLine(status.initialSync)}` : null,
    status.hubUrl ? `Hub: ${status.hubUrl}` : 'No hub configured',
    status.lastSyncAt ? `Last sync: ${formatEat(status.lastSyncAt)} (${formatAge(status.lastSyncAt, now)})` : 'Not synced yet',
    status.pendingMutations === 0
      ? 'Every change you made has reached the hub.'
      : status.pendingMutations === 1
        ? 'One change of yours is kept here and sent when the hub answers.'
        : `${formatCount(status.pendingMutations)} of your changes are kept here and sent when the hub answers.`,
    status.rejectedMutations > 0 ? `${formatCount(status.rejectedMutations)} refused by the hub (see Conflicts).` : null,
    status.versionSkew.length > 0 ? 'Versions differ from the hub: see Settings.' : null,
    status.lastError && status.state !== 'online' ? `Last problem: ${status.lastError}` : null,
    `Live updates from this computer's service: ${live.status === 'connected' ? 'on' : live.status}.`,
  ].filter((line): line is string => line !== null);
  return (
    <Box sx={{ py: 0.25 }}>
      {lines.map((line) => (
        <Typography key={line} variant="caption" component="div">
          {line}
        </Typography>
      ))}
      <Typography variant="caption" component="div" sx={{ opacity: 0.7, mt: 0.5 }}>
        Click for the full sync state.
      </Typography>
    </Box>
  );
}

export function SyncIndicator({ status }: { status: SyncStatus }) {
  const theme = useTheme();
  const now = useNow();
  const busy = status.state === 'syncing' || status.state === 'initial-sync';
  const colour =
    status.state === 'online' ? theme.palette.status.success : status.state === 'offline' ? theme.palette.status.warning : theme.palette.status.info;
  const pending = pendingLabel(status.pendingMutations);
  const conflicts = conflictsLabel(status.conflicts);
  const progress = status.state === 'initial-sync' || status.initialSync ? status.initialSync : null;
  const percent = progress ? initialSyncPercent(progress) : null;

  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
      <Tooltip title={<TooltipBody status={status} now={now} />}>
        <ButtonBase
          component={RouterLink}
          to="/settings"
          role="status"
          aria-live="polite"
          aria-label={`Hub connection: ${connectionLabel(status, now)}${pending ? `, ${pending}` : ''}`}
          data-testid="sync-status"
          data-state={status.state}
          data-pending={status.pendingMutations}
          sx={{
            display: 'flex',
            alignItems: 'center',
            gap: 0.875,
            px: 1.25,
            py: 0.5,
            borderRadius: 5,
            border: 1,
            borderColor: status.state === 'offline' ? alpha(colour, 0.5) : 'divider',
            bgcolor: status.state === 'offline' ? alpha(colour, theme.palette.mode === 'dark' ? 0.12 : 0.07) : 'transparent',
            '&:hover': { bgcolor: 'action.hover' },
          }}
        >
          <Box
            sx={{
              width: 8,
              height: 8,
              borderRadius: '50%',
              bgcolor: colour,
              color: colour,
              flexShrink: 0,
              animation: busy ? `${pulse} 1.4s infinite` : 'none',
            }}
          />
          <Box sx={{ display: 'flex', flexDirection: 'column', alignItems: 'flex-start', minWidth: 0 }}>
            <Typography variant="caption" sx={{ fontWeight: 600, color: 'text.secondary', lineHeight: 1.3 }} data-testid="sync-status-label" noWrap>
              {progress && percent !== null ? `First sync · ${Math.floor(percent)}%` : connectionLabel(status, now)}
            </Typography>
            {progress && (
              <Box sx={{ width: 210 }} data-testid="initial-sync-progress">
                <LinearProgress
                  variant={percent === null ? 'indeterminate' : 'determinate'}
                  value={percent ?? undefined}
                  sx={{ height: 3, borderRadius: 2, my: 0.25 }}
                  aria-label="First sync progress"
                />
                <Typography variant="caption" sx={{ color: 'text.secondary', fontSize: 10.5, lineHeight: 1.2, display: 'block' }} noWrap>
                  {initialSyncShort(progress)}
                </Typography>
              </Box>
            )}
          </Box>
          {pending && (
            <Typography
              variant="caption"
              data-testid="sync-pending"
              sx={{ fontWeight: 600, color: 'text.secondary', borderLeft: 1, borderColor: 'divider', pl: 0.875, lineHeight: 1.3 }}
              noWrap
            >
              {pending}
            </Typography>
          )}
        </ButtonBase>
      </Tooltip>
      {conflicts && (
        <ButtonBase
          component={RouterLink}
          to="/sync/conflicts"
          data-testid="sync-conflicts-chip"
          sx={{
            px: 1,
            py: 0.5,
            borderRadius: 5,
            fontSize: 12,
            fontWeight: 650,
            color: theme.palette.status.danger,
            bgcolor: alpha(theme.palette.status.danger, theme.palette.mode === 'dark' ? 0.16 : 0.08),
            '&:hover': { bgcolor: alpha(theme.palette.status.danger, 0.16) },
          }}
        >
          {conflicts}
        </ButtonBase>
      )}
    </Box>
  );
}
