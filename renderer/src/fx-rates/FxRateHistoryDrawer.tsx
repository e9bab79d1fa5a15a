// One currency's KES rates, latest first: what was in effect when, from which source, set by whom.
// Scheduled rates can be corrected or deleted until they take effect.
import { useCallback, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import CloseIcon from '@mui/icons-material/Close';
import type { FxRate } from '../../../shared/src/fx-rates.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { StatusChip } from '../admin/adminChips.tsx';
import { ConfirmDialog } from '../decision-engine/ConfirmDialog.tsx';
import { formatEat, formatEatMinutes } from '../lib/format.ts';
import { CardSkeleton, ErrorState } from '../ui/layout.tsx';
import { Mono } from '../ui/values.tsx';
import { deleteFxRate, fetchFxRateHistory } from './fxRatesApi.ts';
import { formatRate } from './rateInput.ts';

const STATE_CHIP = {
  CURRENT: { label: 'In effect', tone: 'success' },
  SCHEDULED: { label: 'Scheduled', tone: 'info' },
  PAST: { label: 'Superseded', tone: 'neutral' },
} as const;

export function FxRateHistoryDrawer({
  currency,
  canManage,
  revision,
  onClose,
  onCorrect,
  onChanged,
}: {
  currency: string;
  canManage: boolean;
  /** Bumped by the page after a change, to read the history again. */
  revision: number;
  onClose: () => void;
  onCorrect: (rate: FxRate) => void;
  onChanged: (message: string) => void;
}) {
  const fetcher = useCallback((signal: AbortSignal) => fetchFxRateHistory(currency, signal), [currency]);
  const history = useApiQuery(`fx-history-${currency}-${revision}`, fetcher);
  const [deleting, setDeleting] = useState<FxRate | null>(null);

  // A refusal (stale version, already in effect) is shown in the confirmation dialog.
  const remove = async (rate: FxRate, reason: string) => {
    await deleteFxRate(rate.id, rate.version, reason);
    onChanged(`Deleted the ${rate.currency} rate scheduled for ${formatEatMinutes(rate.effectiveFrom)}`);
    history.refetch({ silent: true });
  };

  const info = history.data?.currency;
  return (
    <Drawer anchor="right" open onClose={onClose} slotProps={{ paper: { sx: { width: { xs: '100%', md: 880 } } } }}>
      <Box sx={{ p: 2.5 }} data-testid="fx-history">
        <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1, mb: 2 }}>
          <Box sx={{ flex: 1 }}>
            <Typography variant="h5" component="h2">
              {currency} rate history
            </Typography>
            {info && (
              <Typography variant="body2" sx={{ color: 'text.secondary' }}>
                {info.name} · {info.minorUnits === null ? 'no minor unit in ISO 4217' : `${info.minorUnits} decimal places`}
              </Typography>
            )}
          </Box>
          <IconButton aria-label="Close history" onClick={onClose}>
            <CloseIcon />
          </IconButton>
        </Box>
        {history.error && <ErrorState error={history.error} onRetry={() => history.refetch()} title="Could not load the history" />}
        {!history.data && !history.error && <CardSkeleton lines={5} />}
        {history.data && history.data.rates.length === 0 && (
          <Alert severity="warning">No KES rate for {currency}: payments in it are refused until one is set.</Alert>
        )}
        {history.data && history.data.rates.length > 0 && (
          <Table size="small">
            <TableHead>
              <TableRow sx={{ '& th': { whiteSpace: 'nowrap' } }}>
                <TableCell>Effective from (EAT)</TableCell>
                <TableCell align="right">KES per unit</TableCell>
                <TableCell>State</TableCell>
                <TableCell>Source / set by</TableCell>
                {canManage && <TableCell />}
              </TableRow>
            </TableHead>
            <TableBody>
              {history.data.rates.map((rate) => (
                <TableRow key={rate.id} data-testid="fx-history-row" data-state={rate.state}>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatEatMinutes(rate.effectiveFrom)}</TableCell>
                  <TableCell align="right">
                    <Mono>{formatRate(rate.kesPerUnit)}</Mono>
                  </TableCell>
                  <TableCell>
                    <StatusChip label={STATE_CHIP[rate.state].label} tone={STATE_CHIP[rate.state].tone} />
                  </TableCell>
                  <TableCell sx={{ minWidth: 280 }}>
                    <Typography variant="body2">{rate.note}</Typography>
                    <Typography variant="caption" sx={{ color: 'text.secondary' }} title={`Changed ${formatEat(rate.updatedAt)} by ${rate.updatedBy}`}>
                      {rate.createdBy} · {formatEatMinutes(rate.createdAt)}
                      {rate.version > 1 ? ` · corrected by ${rate.updatedBy}` : ''}
                    </Typography>
                  </TableCell>
                  {canManage && (
                    <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                      {rate.state === 'SCHEDULED' && (
                        <>
                          <Button size="small" onClick={() => onCorrect(rate)} data-testid="fx-history-correct">
                            Correct
                          </Button>
                          <Button size="small" color="error" onClick={() => setDeleting(rate)} data-testid="fx-history-delete">
                            Delete
                          </Button>
                        </>
                      )}
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
        <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block', mt: 2 }}>
          Rates in effect or superseded cannot be changed: each assessment keeps the rate it was converted with. Deleted scheduled rates are in the audit log.
        </Typography>
      </Box>
      <ConfirmDialog
        open={!!deleting}
        title={deleting ? `Delete the scheduled ${deleting.currency} rate?` : ''}
        body={
          deleting
            ? `KES ${formatRate(deleting.kesPerUnit)} per ${deleting.currency} from ${formatEatMinutes(deleting.effectiveFrom)} will not take effect; the rate in effect before it stays.`
            : ''
        }
        confirmLabel="Delete rate"
        confirmColor="error"
        reason={{ label: 'Why', minLength: 3, maxLength: 300, testId: 'fx-delete-reason' }}
        confirmTestId="fx-delete-confirm"
        onClose={() => setDeleting(null)}
        onConfirm={(reason) => (deleting ? remove(deleting, reason) : Promise.resolve())}
      />
    </Drawer>
  );
}
