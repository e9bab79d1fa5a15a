import Box from '@mui/material/Box';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { keyframes, useTheme } from '@mui/material/styles';
import { useConnection, type ConnectionStatus } from '../../api/socket.ts';
import { formatEat } from '../../lib/format.ts';
import { SyncIndicator } from '../../sync/SyncIndicator.tsx';
import { useSyncStatus } from '../../sync/syncStatus.ts';

const pulse = keyframes`
  0% { box-shadow: 0 0 0 0 currentColor; }
  70% { box-shadow: 0 0 0 5px transparent; }
  100% { box-shadow: 0 0 0 0 transparent; }
`;

const LABELS: Record<ConnectionStatus, string> = {
  connected: 'Live',
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

/**
 * On a workstation, the hub connection and sync state (renderer/src/sync); on a hub or a
 * standalone node, the live-updates status as before.
 */
export function ConnectionIndicator() {
  const { status } = useSyncStatus();
  if (status?.mode === 'workstation') return <SyncIndicator status={status} />;
  return <LiveIndicator />;
}

/** Live-updates status: a coloured dot and a word, with details in the tooltip. */
function LiveIndicator() {
  const theme = useTheme();
  const { status, connectedAt, lastError } = useConnection();
  const colour = status === 'connected' ? theme.palette.status.success : status === 'offline' ? theme.palette.status.danger : theme.palette.status.warning;
  const detail =
    status === 'connected'
      ? `Receiving live updates${connectedAt ? ` since ${formatEat(connectedAt)}` : ''}.`
      : status === 'offline'
        ? `Live updates are off${lastError ? ` (${lastError})` : ''}. Screens still work; reload to see new data.`
        : `Trying to restore live updates${lastError ? ` (${lastError})` : ''}…`;

  return (
    <Tooltip title={detail}>
      <Box
        role="status"
        aria-live="polite"
        data-testid="connection-status"
        data-status={status}
        sx={{ display: 'flex', alignItems: 'center', gap: 0.875, px: 1.25, py: 0.5, borderRadius: 5, border: 1, borderColor: 'divider', cursor: 'default' }}
      >
        <Box
          sx={{
            width: 8,
            height: 8,
            borderRadius: '50%',
            bgcolor: colour,
            color: colour,
            animation: status === 'reconnecting' || status === 'connecting' ? `${pulse} 1.4s infinite` : 'none',
          }}
        />
        <Typography variant="caption" sx={{ fontWeight: 600, color: 'text.secondary' }}>
          {LABELS[status]}
        </Typography>
      </Box>
    </Tooltip>
  );
}
