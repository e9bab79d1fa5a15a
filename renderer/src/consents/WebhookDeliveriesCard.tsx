// Webhook deliveries for a consent or an app (issue 14): each message with its state and every
// attempt (status code or error, how long it took). Replay (openbanking:manage) sends the same
// message again (same webhook-id, so a receiver can deduplicate). Hub-only, like the access log.
import { useCallback, useState } from 'react';
import Button from '@mui/material/Button';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import ReplayOutlined from '@mui/icons-material/ReplayOutlined';
import type { WebhookDeliveryView } from '../../../shared/src/open-banking.ts';
import { useCan } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { ConfirmDialog } from '../decision-engine/ConfirmDialog.tsx';
import { formatEat } from '../lib/format.ts';
import { DeliveryLogRows } from '../ui/DeliveryLogRows.tsx';
import { EmptyState, ErrorState, SectionCard } from '../ui/layout.tsx';
import { Mono } from '../ui/values.tsx';
import { fetchWebhookDeliveries, replayWebhookDelivery } from './consentsApi.ts';
import { DeliveryStatusChip } from './consentWords.tsx';

export function WebhookDeliveriesCard({ consentId, appId, title = 'Webhook deliveries' }: { consentId?: string; appId?: string; title?: string }) {
  const canReplay = useCan('openbanking:manage');
  const [page, setPage] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const [replaying, setReplaying] = useState<WebhookDeliveryView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const key = `${consentId ?? ''}:${appId ?? ''}:${page}`;
  const deliveries = useApiQuery(
    `webhook-deliveries:${key}`,
    // biome-ignore lint/correctness/useExhaustiveDependencies: `key` holds every input.
    useCallback(
      (signal: AbortSignal) => fetchWebhookDeliveries({ ...(consentId ? { consentId } : {}), ...(appId ? { appId } : {}), page, pageSize: 10 }, signal),
      [key],
    ),
  );
  useLiveRefresh(['consent.changed'], () => deliveries.refetch({ silent: true }), { debounceMs: 1000, minIntervalMs: 3000 });
  const items = deliveries.data?.items ?? [];

  return (
    <SectionCard title={title} subtitle="Signed messages to the app (Standard Webhooks), with every attempt" testId="webhook-deliveries">
      {deliveries.error && <ErrorState error={deliveries.error} onRetry={() => deliveries.refetch()} title="Could not load the deliveries" />}
      {notice && (
        <Typography variant="body2" sx={{ color: 'success.main', mb: 1 }} data-testid="delivery-notice">
          {notice}
        </Typography>
      )}
      {!deliveries.error && deliveries.data && items.length === 0 && <EmptyState title="No deliveries" body="No webhook was sent for this yet." />}
      {items.length > 0 && (
        <Table size="small" aria-label={title}>
          <TableHead>
            <TableRow>
              <TableCell padding="checkbox" />
              <TableCell>Event</TableCell>
              <TableCell>State</TableCell>
              <TableCell>Created (EAT)</TableCell>
              <TableCell>Receiver</TableCell>
              {canReplay && <TableCell />}
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map((d) => (
              <DeliveryLogRows
                key={d.id}
                delivery={d}
                open={open === d.id}
                onToggle={() => setOpen(open === d.id ? null : d.id)}
                colSpan={canReplay ? 6 : 5}
                rowTestId={`delivery-row-${d.eventType}`}
                idLabel="webhook-id"
                attemptsTestId={`delivery-attempts-${d.id}`}
                answer={(a) => (a.statusCode != null ? `HTTP ${a.statusCode}` : (a.error ?? 'no answer'))}
              >
                <TableCell>
                  <Mono>{d.eventType}</Mono>
                  {d.replayOf && (
                    <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
                      replay
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  <DeliveryStatusChip status={d.status} />
                  <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block' }}>
                    {d.attempts} {d.attempts === 1 ? 'attempt' : 'attempts'}
                  </Typography>
                </TableCell>
                <TableCell>
                  <Mono>{formatEat(d.createdAt)}</Mono>
                </TableCell>
                <TableCell sx={{ maxWidth: 260 }}>
                  <Mono noWrap title={d.url} sx={{ display: 'block' }}>
                    {d.url}
                  </Mono>
                </TableCell>
                {canReplay && (
                  <TableCell align="right">
                    <Button
                      size="small"
                      startIcon={<ReplayOutlined fontSize="small" />}
                      onClick={() => setReplaying(d)}
                      data-testid={`delivery-replay-${d.id}`}
                    >
                      Replay
                    </Button>
                  </TableCell>
                )}
              </DeliveryLogRows>
            ))}
          </TableBody>
        </Table>
      )}
      {(deliveries.data?.total ?? 0) > 10 && (
        <TablePagination
          component="div"
          count={deliveries.data?.total ?? 0}
          page={page}
          onPageChange={(_, next) => setPage(next)}
          rowsPerPage={10}
          rowsPerPageOptions={[10]}
        />
      )}
      <ConfirmDialog
        open={!!replaying}
        testId="delivery-replay-confirm"
        confirmTestId="delivery-replay-button"
        title="Send this webhook again?"
        body={
          <>
            The same message (webhook-id {replaying?.messageId}) is sent again to {replaying?.url}, as a new delivery with its own attempts. Receivers that
            already processed it can recognise it by its id.
          </>
        }
        confirmLabel="Replay"
        onClose={() => setReplaying(null)}
        onConfirm={async () => {
          if (!replaying) return;
          await replayWebhookDelivery(replaying.id);
          setNotice('Queued again: the new delivery is listed above.');
          deliveries.refetch({ silent: true });
        }}
      />
    </SectionCard>
  );
}
