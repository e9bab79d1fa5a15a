// The configuration's earlier backtests (issue 11 §3): stored by the service, so they are listed
// after a restart and whichever hub ran them. Opening one shows its full result in the panel above;
// one whose hub stopped while it ran reads as failed (interrupted).
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { Backtest } from '../../../../shared/src/decision-engine.ts';
import type { BacktestListItem } from '../../../../shared/src/backtests.ts';
import { backtestOperations } from '../../../../shared/src/contract/backtests.ts';
import { callApi } from '../../api/contract-client.ts';
import { toApiError } from '../../api/client.ts';
import { formatCount, formatEat } from '../../lib/format.ts';
import { Mono } from '../../ui/values.tsx';
import { fetchBacktest } from '../decisionEngineApi.ts';

const STATUS_COLOR = { RUNNING: 'info', COMPLETED: 'success', CANCELLED: 'default', FAILED: 'error' } as const;
const STATUS_LABEL = { RUNNING: 'Running', COMPLETED: 'Completed', CANCELLED: 'Cancelled', FAILED: 'Failed' } as const;

export function BacktestHistory({
  configurationId,
  refreshKey,
  openId,
  onOpen,
}: {
  configurationId: string;
  /** Changes when a backtest started or finished here, so the list is read again. */
  refreshKey: string;
  /** The backtest shown in the panel above, if any. */
  openId: string | null;
  onOpen: (backtest: Backtest) => void;
}) {
  const [items, setItems] = useState<BacktestListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey asks for a new read on purpose.
  useEffect(() => {
    const controller = new AbortController();
    callApi(backtestOperations.listBacktests, { params: { id: configurationId } }, { signal: controller.signal }).then(
      (list) => {
        setItems(list.items);
        setError(null);
      },
      (caught: unknown) => {
        if (!controller.signal.aborted) setError(toApiError(caught).message);
      },
    );
    return () => controller.abort();
  }, [configurationId, refreshKey]);

  const open = (id: string) => fetchBacktest(id).then(onOpen, (caught: unknown) => setError(toApiError(caught).message));

  return (
    <Box sx={{ mt: 2.5 }} data-testid="backtest-history">
      <Typography variant="overline" sx={{ color: 'text.secondary' }}>
        Earlier backtests of this configuration
      </Typography>
      {error && (
        <Alert severity="error" sx={{ mt: 0.5 }}>
          {error}
        </Alert>
      )}
      {items && items.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          None yet: a backtest run here is kept and listed, also after the service restarts.
        </Typography>
      )}
      {items && items.length > 0 && (
        <Table
          size="small"
          sx={{ '& td, & th': { px: 1, py: 0.5, borderColor: 'divider', whiteSpace: 'nowrap' }, '& th': { color: 'text.secondary', fontSize: 12 } }}
        >
          <TableHead>
            <TableRow>
              <TableCell>Started (EAT)</TableCell>
              <TableCell>By</TableCell>
              <TableCell>Version</TableCell>
              <TableCell align="right">Days</TableCell>
              <TableCell>Status</TableCell>
              <TableCell align="right">Changed / replayed</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {items.map((b) => (
              <TableRow key={b.id} data-testid="backtest-history-row" data-id={b.id} data-status={b.status} selected={b.id === openId}>
                <TableCell>{formatEat(b.startedAt)}</TableCell>
                <TableCell>{b.startedBy}</TableCell>
                <TableCell>
                  <Mono sx={{ fontSize: 12 }}>v{b.versionNumber}</Mono>
                </TableCell>
                <TableCell align="right">{b.days}</TableCell>
                <TableCell>
                  <Chip size="small" variant="outlined" color={STATUS_COLOR[b.status]} label={STATUS_LABEL[b.status]} title={b.error ?? undefined} />
                </TableCell>
                <TableCell align="right">
                  <Mono sx={{ fontSize: 12 }}>
                    {b.summary
                      ? `${formatCount(b.summary.changed)} / ${formatCount(b.summary.evaluated)}`
                      : b.status === 'RUNNING'
                        ? `${Math.round(b.progress * 100)}%`
                        : '—'}
                  </Mono>
                </TableCell>
                <TableCell align="right">
                  <Button size="small" onClick={() => void open(b.id)} disabled={b.id === openId} data-testid="backtest-history-open">
                    {b.id === openId ? 'Shown above' : 'Open'}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Box>
  );
}
