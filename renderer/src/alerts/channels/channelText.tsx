// How a channel is described in one line (where its messages go) and its recent health.
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { AlertChannel } from '../../../../shared/src/alerts.ts';

export function channelTarget(channel: AlertChannel): string {
  const s = channel.settings;
  if (s.kind === 'EMAIL') return `${s.to.join(', ')} via ${s.host}:${s.port}`;
  if (s.kind === 'SMS') return `${s.to.join(', ')} via ${new URL(s.url).host}`;
  if (s.kind === 'WEBHOOK') return s.url;
  return channel.secretHint ? `Incoming webhook ${channel.secretHint}` : 'Incoming webhook not set';
}

export function quietText(channel: AlertChannel): string {
  if (!channel.quietHours) return 'None';
  return `${channel.quietHours.start}–${channel.quietHours.end}${channel.quietHours.holdCritical ? ', critical held too' : ', critical sent'}`;
}

export function RecentHealth({ channel }: { channel: AlertChannel }) {
  const r = channel.recent;
  const bad = r.failed + r.dead;
  return (
    <Box sx={{ lineHeight: 1.3 }}>
      <Typography variant="body2" sx={{ color: bad ? 'error.main' : 'text.primary', fontWeight: bad ? 650 : 400 }}>
        {r.delivered} delivered{bad ? ` · ${bad} failing` : ''}
        {r.pending ? ` · ${r.pending} waiting` : ''}
      </Typography>
      {channel.lastError && (
        <Typography variant="caption" noWrap title={channel.lastError} sx={{ color: 'text.secondary', display: 'block' }}>
          {channel.lastError}
        </Typography>
      )}
    </Box>
  );
}
