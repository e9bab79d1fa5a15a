// The alert's delivery story (issue 15): for each rule, level and channel, what routing did —
// sent, held for quiet hours (until when), throttled, a duplicate, escalated, notified in the app —
// and what became of the message (state, attempts, last error).
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { AlertRoute } from '../../../shared/src/alerts.ts';
import { useCan } from '../api/session.ts';
import { formatEat, formatEatShort } from '../lib/format.ts';
import { EmptyState, SectionCard } from '../ui/layout.tsx';
import { Mono } from '../ui/values.tsx';
import { CHANNEL_KIND_LABELS, DeliveryChip, RouteOutcomeChip } from './alertWords.tsx';

export function AlertRoutesCard({ routes }: { routes: readonly AlertRoute[] }) {
  const canConfigure = useCan('alert:configure');
  return (
    <SectionCard
      title="Routing and delivery"
      subtitle="Which rule sent it where, at which escalation level, and what became of each message"
      testId="alert-routes"
    >
      {routes.length === 0 ? (
        <EmptyState title="Not routed" body="No enabled rule matched this alert’s pattern, severity and tenant when it was raised." />
      ) : (
        <Box sx={{ overflowX: 'auto' }}>
          <Table size="small" aria-label="Routing and delivery">
            <TableHead>
              <TableRow>
                <TableCell>When (EAT)</TableCell>
                <TableCell>Level</TableCell>
                <TableCell>Rule</TableCell>
                <TableCell>Channel</TableCell>
                <TableCell>What routing did</TableCell>
                <TableCell>Message</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {routes.map((r) => (
                <TableRow key={r.id} data-testid={`alert-route-${r.channelName ?? r.outcome}`}>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>
                    <Mono variant="body2" title={formatEat(r.createdAt)}>
                      {formatEatShort(r.createdAt)}
                    </Mono>
                  </TableCell>
                  <TableCell>{r.level === 0 ? 'First' : `Escalation ${r.level}`}</TableCell>
                  <TableCell>{r.ruleName ?? '—'}</TableCell>
                  <TableCell>
                    {r.channelId && canConfigure ? (
                      <Link component={RouterLink} to={`/alert-channels/${r.channelId}`} underline="hover">
                        {r.channelName ?? 'Channel'}
                      </Link>
                    ) : (
                      (r.channelName ?? (r.outcome === 'NOTIFIED_IN_APP' ? 'In the app' : '—'))
                    )}
                    {r.channelKind && (
                      <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
                        {CHANNEL_KIND_LABELS[r.channelKind as keyof typeof CHANNEL_KIND_LABELS] ?? r.channelKind}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    <RouteOutcomeChip outcome={r.outcome} />
                    {(r.detail || r.holdUntil) && (
                      <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block', mt: 0.25 }}>
                        {r.detail}
                        {r.holdUntil ? `${r.detail ? ' · ' : ''}until ${formatEat(r.holdUntil)}` : ''}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>
                    {r.deliveryStatus ? (
                      <>
                        <DeliveryChip status={r.deliveryStatus} />
                        <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block', mt: 0.25, overflowWrap: 'anywhere' }}>
                          {r.deliveryAttempts ?? 0} {r.deliveryAttempts === 1 ? 'attempt' : 'attempts'}
                          {r.lastError ? ` · ${r.lastError}` : ''}
                        </Typography>
                      </>
                    ) : (
                      <Typography variant="body2" sx={{ color: 'text.disabled' }}>
                        —
                      </Typography>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </SectionCard>
  );
}
