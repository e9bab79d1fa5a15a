// A channel's delivery log (issue 15): every message (alert, escalation, test) with its state and
// each attempt — status code or error and how long it took. Retries follow the outbox's backoff;
// after the last one a message is dead. Refreshed live while alerts change.
import { useCallback, useEffect, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useApiQuery } from '../../api/useApiQuery.ts';
import { useLiveRefresh } from '../../api/useLiveRefresh.ts';
import { formatEat } from '../../lib/format.ts';
import { DeliveryLogRows } from '../../ui/DeliveryLogRows.tsx';
import { FilterSelect } from '../../ui/FilterSelect.tsx';
import { EmptyState, ErrorState, RefreshButton, SectionCard } from '../../ui/layout.tsx';
import { Mono } from '../../ui/values.tsx';
import { fetchAlertDeliveries } from '../alertsApi.ts';
import { DELIVERY_STATUS_LABELS, DeliveryChip } from '../alertWords.tsx';

const PAGE = 15;
type Status = 'PENDING' | 'DELIVERED' | 'FAILED' | 'DEAD';

export function ChannelDeliveriesCard({ channelId, refreshKey = 0 }: { channelId: string; refreshKey?: number }) {
  const [page, setPage] = useState(0);
  const [status, setStatus] = useState<Status | ''>('');
  const [open, setOpen] = useState<string | null>(null);
  const key = `${channelId}:${page}:${status}:${refreshKey}`;
  const deliveries = useApiQuery(
    `alert-deliveries:${key}`,
    // biome-ignore lint/correctness/useExhaustiveDependencies: `key` holds every input.
    useCallback((signal: AbortSignal) => fetchAlertDeliveries(channelId, { page, pageSize: PAGE, ...(status ? { status } : {}) }, signal), [key]),
  );
  // Deliveries change without an alert changing (retries); the log also refreshes on alert events and by hand.
  useLiveRefresh(['alert.changed'], () => deliveries.refetch({ silent: true }), { debounceMs: 1000, minIntervalMs: 3000 });
  const items = deliveries.data?.items ?? [];
  // A message waiting for its (next) attempt changes without an alert event: look again shortly.
  const waiting = items.some((d) => d.status === 'PENDING' || d.status === 'FAILED');
  const { refetch, data } = deliveries;
  // biome-ignore lint/correctness/useExhaustiveDependencies: each new answer (`data`) restarts the wait, so a still-waiting message is looked at again.
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setTimeout(() => refetch({ silent: true }), 2000);
    return () => window.clearTimeout(timer);
  }, [waiting, data, refetch]);

  return (
    <SectionCard
      title="Delivery log"
      subtitle="Every message through this channel, with each attempt; failed attempts are retried with backoff"
      testId="channel-deliveries"
      action={
        <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
          <FilterSelect
            label="State"
            value={status}
            anyLabel="Any state"
            options={(['PENDING', 'DELIVERED', 'FAILED', 'DEAD'] as const).map((s) => ({ value: s, label: DELIVERY_STATUS_LABELS[s] ?? s }))}
            onChange={(v) => {
              setStatus(v);
              setPage(0);
            }}
            minWidth={130}
            testId="channel-deliveries-status"
          />
          <RefreshButton onClick={() => deliveries.refetch({ silent: true })} label="Refresh the delivery log" />
        </Box>
      }
    >
      {deliveries.error && <ErrorState error={deliveries.error} onRetry={() => deliveries.refetch()} title="Could not load the deliveries" />}
      {!deliveries.error && deliveries.data && items.length === 0 && (
        <EmptyState title="No messages" body={status ? 'None in this state.' : 'Nothing was sent through this channel yet. “Test send” queues one.'} />
      )}
      {items.length > 0 && (
        <Table size="small" aria-label="Delivery log">
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox" />
              <TableCell>Message</TableCell>
              <TableCell>Alert</TableCell>
              <TableCell>State</TableCell>
              <TableCell>Queued (EAT)</TableCell>
              <TableCell>Last answer</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map((d) => (
              <DeliveryLogRows
                key={d.id}
                delivery={d}
                open={open === d.id}
                onToggle={() => setOpen(open === d.id ? null : d.id)}
                colSpan={6}
                rowTestId={`alert-delivery-${d.eventType}`}
                rowStatus={d.status}
                idLabel="message id"
                attemptsTestId={`alert-delivery-attempts-${d.id}`}
                answer={(a) =>
                  a.error ? `${a.statusCode != null ? `${a.statusCode} · ` : ''}${a.error}` : a.statusCode != null ? `Accepted (${a.statusCode})` : 'Accepted'
                }
              >
                <TableCell>
                  <Mono>{d.eventType}</Mono>
                </TableCell>
                <TableCell>
                  {d.alertId ? (
                    <Link component={RouterLink} to={`/alerts/${d.alertId}`} underline="hover">
                      {d.alertReference ?? 'Alert'}
                    </Link>
                  ) : (
                    <Typography variant="body2" component="span" sx={{ color: 'text.secondary' }}>
                      Test
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  <DeliveryChip status={d.status} />
                  <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
                    {d.attempts} {d.attempts === 1 ? 'attempt' : 'attempts'}
                    {d.status === 'FAILED' && d.nextAttemptAt ? ` · next ${formatEat(d.nextAttemptAt)}` : ''}
                  </Typography>
                </TableCell>
                <TableCell>
                  <Mono>{formatEat(d.createdAt)}</Mono>
                </TableCell>
                <TableCell sx={{ maxWidth: 320, overflowWrap: 'anywhere' }}>
                  {d.lastError ?? (d.deliveredAt ? `Delivered ${formatEat(d.deliveredAt)}` : '—')}
                </TableCell>
              </DeliveryLogRows>
            ))}
          </TableBody>
        </Table>
      )}
      {(deliveries.data?.total ?? 0) > PAGE && (
        <TablePagination
          component="div"
          count={deliveries.data?.total ?? 0}
          page={page}
          onPageChange={(_, next) => setPage(next)}
          rowsPerPage={PAGE}
          rowsPerPageOptions={[PAGE]}
        />
      )}
    </SectionCard>
  );
}
