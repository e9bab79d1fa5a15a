// Administration › Users: sign-in locks in force (issue 11 §3). Failed sign-ins are counted per
// (username, address), per username and per address, shared by every hub; an administrator sees
// who is held back and clears a lock (audited) — e.g. a colleague who mistyped their password.
import { useCallback, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import LockOpenOutlined from '@mui/icons-material/LockOpenOutlined';
import type { SignInLock } from '../../../shared/src/sign-in-locks.ts';
import { signInLockOperations } from '../../../shared/src/contract/sign-in-locks.ts';
import { callApi } from '../api/contract-client.ts';
import { toApiError } from '../api/client.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { formatCount, formatEat } from '../lib/format.ts';
import { RefreshButton, SectionCard } from '../ui/layout.tsx';
import { Mono } from '../ui/values.tsx';

const KIND_LABEL: Record<SignInLock['kind'], string> = {
  pair: 'This user from this address',
  user: 'This user from new addresses',
  address: 'Every user from this address',
};

function clearRequest(lock: SignInLock): { username?: string; address?: string } {
  if (lock.kind === 'pair') return { username: lock.username ?? undefined, address: lock.address ?? undefined };
  if (lock.kind === 'user') return { username: lock.username ?? undefined };
  return { address: lock.address ?? undefined };
}

export function SignInLocksCard({ onCleared }: { onCleared: (message: string) => void }) {
  const fetcher = useCallback((signal: AbortSignal) => callApi(signInLockOperations.list, {}, { signal }), []);
  const locks = useApiQuery('sign-in-locks', fetcher);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const items = locks.data?.items ?? [];

  const clear = async (lock: SignInLock, key: string) => {
    setBusy(key);
    setError(null);
    try {
      const { cleared } = await callApi(signInLockOperations.clear, { body: clearRequest(lock) });
      const who = lock.kind === 'address' ? `address ${lock.address}` : lock.kind === 'pair' ? `${lock.username} from ${lock.address}` : lock.username;
      onCleared(`Sign-in lock cleared for ${who} (${formatCount(cleared)} ${cleared === 1 ? 'count' : 'counts'} reset)`);
      locks.refetch({ silent: true });
    } catch (caught) {
      setError(toApiError(caught).message);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Box sx={{ mt: 2 }}>
      <SectionCard
        title="Sign-in locks"
        subtitle="Failed sign-ins hold back that user from that address, a user guessed from many addresses (except addresses they signed in from before), and an address trying many users. Locks end by themselves; clearing one is audited."
        testId="sign-in-locks"
        action={<RefreshButton onClick={() => locks.refetch()} disabled={locks.fetching} label="Refresh sign-in locks" />}
      >
        {(error || locks.error) && (
          <Alert severity="error" sx={{ mb: 1 }}>
            {error ?? locks.error?.message}
          </Alert>
        )}
        {locks.data && items.length === 0 && (
          <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="sign-in-locks-empty">
            Nobody is locked out of signing in.
          </Typography>
        )}
        {items.length > 0 && (
          <Table
            size="small"
            sx={{ '& td, & th': { px: 1, py: 0.5, borderColor: 'divider', whiteSpace: 'nowrap' }, '& th': { color: 'text.secondary', fontSize: 12 } }}
          >
            <TableHead>
              <TableRow>
                <TableCell>Held back</TableCell>
                <TableCell>Username</TableCell>
                <TableCell>Address</TableCell>
                <TableCell align="right">Failures</TableCell>
                <TableCell>Until (EAT)</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map((lock) => {
                const key = `${lock.kind}|${lock.username ?? ''}|${lock.address ?? ''}`;
                return (
                  <TableRow
                    key={key}
                    data-testid="sign-in-lock-row"
                    data-kind={lock.kind}
                    data-username={lock.username ?? ''}
                    data-address={lock.address ?? ''}
                  >
                    <TableCell>{KIND_LABEL[lock.kind]}</TableCell>
                    <TableCell>
                      {lock.username ?? (
                        <Typography component="span" sx={{ color: 'text.disabled' }}>
                          any
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>
                      {lock.address ? (
                        <Mono sx={{ fontSize: 12 }}>{lock.address}</Mono>
                      ) : (
                        <Typography component="span" sx={{ color: 'text.disabled' }}>
                          new addresses
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell align="right">
                      <Mono sx={{ fontSize: 12 }}>{formatCount(lock.failures)}</Mono>
                    </TableCell>
                    <TableCell>{formatEat(lock.lockedUntil)}</TableCell>
                    <TableCell align="right">
                      <Button
                        size="small"
                        startIcon={<LockOpenOutlined fontSize="small" />}
                        onClick={() => void clear(lock, key)}
                        disabled={busy !== null}
                        data-testid="sign-in-lock-clear"
                      >
                        Clear
                      </Button>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        )}
      </SectionCard>
    </Box>
  );
}
