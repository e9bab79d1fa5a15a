// Administration › Users: everyone who signs in, their role, tenants and state. Administrators
// (user:manage) create users (a one-time password is shown once), edit role and tenants,
// deactivate and reactivate them, and reset passwords.
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import AddIcon from '@mui/icons-material/Add';
import EditOutlined from '@mui/icons-material/EditOutlined';
import GroupOutlined from '@mui/icons-material/GroupOutlined';
import LockResetOutlined from '@mui/icons-material/LockResetOutlined';
import PersonOffOutlined from '@mui/icons-material/PersonOffOutlined';
import HowToRegOutlined from '@mui/icons-material/HowToRegOutlined';
import { DataGrid, GridRow, type GridColDef, type GridRowProps } from '@mui/x-data-grid';
import type { AdminUser, UserWithOneTimePassword } from '../../../shared/src/users.ts';
import { useSession } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { ConfirmDialog } from '../decision-engine/ConfirmDialog.tsx';
import { formatCount } from '../lib/format.ts';
import { roleLabel } from '../lib/roles.ts';
import { FilterSelect } from '../ui/FilterSelect.tsx';
import { GridEmptyOverlay } from '../ui/GridOverlays.tsx';
import { gridSx } from '../ui/gridStyles.ts';
import { ErrorState, PageHeader, RefreshButton } from '../ui/layout.tsx';
import { SuccessNotice } from '../ui/SuccessNotice.tsx';
import { SearchField } from '../ui/SearchField.tsx';
import { PersonAvatar, TimeAgoOrNever } from '../ui/values.tsx';
import { deactivateUser, fetchAdminUsers, reactivateUser, resetUserPassword } from './adminApi.ts';
import { UserStatusChips } from './adminChips.tsx';
import { isBankWide } from './roles.ts';
import { SecretOnceDialog, type ShownSecret } from './SecretOnceDialog.tsx';
import { SignInLocksCard } from './SignInLocksCard.tsx';
import { knownTenants, TenantList } from './TenantField.tsx';
import { UserFormDialog, type UserDialogMode } from './UserFormDialog.tsx';

type Confirm = { user: AdminUser; action: 'deactivate' | 'reactivate' | 'reset' };
type StateFilter = 'active' | 'deactivated' | 'otp';

const STATE_OPTIONS = [
  { value: 'active', label: 'Active' },
  { value: 'otp', label: 'One-time password pending' },
  { value: 'deactivated', label: 'Deactivated' },
] as const;

function UserGridRow(props: GridRowProps) {
  const row = props.row as AdminUser;
  return <GridRow {...props} data-testid={`user-row-${row.username}`} data-active={String(row.active)} />;
}

function matches(user: AdminUser, search: string, state: StateFilter | ''): boolean {
  if (state === 'active' && !user.active) return false;
  if (state === 'deactivated' && user.active) return false;
  if (state === 'otp' && !(user.active && user.passwordChangeRequired)) return false;
  const q = search.trim().toLowerCase();
  if (!q) return true;
  return [user.username, user.displayName, roleLabel(user.role), ...user.tenantIds].some((text) => text.toLowerCase().includes(q));
}

export function UsersPage() {
  const theme = useTheme();
  const session = useSession();
  const me = session?.user.id;
  const fetcher = useCallback((signal: AbortSignal) => fetchAdminUsers(signal), []);
  const users = useApiQuery('admin-users', fetcher);
  const [search, setSearch] = useState('');
  const [state, setState] = useState<StateFilter | ''>('');
  const [dialog, setDialog] = useState<UserDialogMode | null>(null);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [secret, setSecret] = useState<ShownSecret | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const all = users.data ?? [];
  const rows = all.filter((u) => matches(u, search, state));
  const suggestions = useMemo(
    () =>
      knownTenants(
        all.map((u) => u.tenantIds),
        session?.user.tenantIds ?? [],
      ),
    [all, session],
  );
  const activeCount = all.filter((u) => u.active).length;
  const refresh = () => users.refetch({ silent: true });

  const showPassword = (created: UserWithOneTimePassword, title: string) =>
    setSecret({
      title,
      label: `One-time password for ${created.user.username}`,
      secret: created.oneTimePassword,
      body: (
        <>
          Give it to {created.user.displayName} in person or by another trusted channel. At the next sign-in they must choose their own password (12 characters
          or more) before they can do anything else.
        </>
      ),
    });

  const iconButton = (row: AdminUser, title: string, icon: ReactNode, testId: string, onClick: () => void, disabledWhy?: string) => (
    <Tooltip title={disabledWhy ?? title}>
      <span>
        <IconButton
          size="small"
          aria-label={`${title} ${row.username}`}
          data-testid={testId}
          disabled={!!disabledWhy}
          onClick={(e) => {
            e.stopPropagation();
            onClick();
          }}
        >
          {icon}
        </IconButton>
      </span>
    </Tooltip>
  );

  const columns: GridColDef<AdminUser>[] = [
    {
      field: 'displayName',
      headerName: 'User',
      flex: 1.2,
      minWidth: 220,
      renderCell: ({ row }) => (
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, minWidth: 0 }}>
          <PersonAvatar name={row.displayName} size={30} />
          <Box sx={{ minWidth: 0, lineHeight: 1.3 }}>
            <Typography variant="body2" noWrap sx={{ fontWeight: 650, color: row.active ? 'text.primary' : 'text.secondary' }}>
              {row.displayName}
              {row.id === me && (
                <Typography component="span" variant="caption" sx={{ color: 'text.secondary', ml: 0.75 }}>
                  (you)
                </Typography>
              )}
            </Typography>
            <Typography variant="caption" noWrap component="div" sx={{ color: 'text.secondary' }}>
              {row.username}
            </Typography>
          </Box>
        </Box>
      ),
    },
    {
      field: 'role',
      headerName: 'Role',
      flex: 1,
      minWidth: 170,
      valueGetter: (_, row) => roleLabel(row.role),
    },
    {
      field: 'tenantIds',
      headerName: 'Tenants',
      flex: 1,
      minWidth: 170,
      sortable: false,
      renderCell: ({ row }) => <TenantList tenantIds={row.tenantIds} allTenants={isBankWide(row.role)} />,
    },
    {
      field: 'active',
      headerName: 'Status',
      width: 230,
      renderCell: ({ row }) => (
        <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
          <UserStatusChips active={row.active} passwordChangeRequired={row.passwordChangeRequired} deactivatedAt={row.deactivatedAt} />
        </Box>
      ),
    },
    {
      field: 'lastSignInAt',
      headerName: 'Last sign-in',
      width: 130,
      renderCell: ({ row }) => <TimeAgoOrNever value={row.lastSignInAt} />,
    },
    {
      field: 'actions',
      headerName: '',
      width: 124,
      sortable: false,
      align: 'right',
      renderCell: ({ row }) => {
        const self = row.id === me;
        return (
          <Box sx={{ display: 'flex', gap: 0.25 }}>
            {iconButton(row, 'Edit', <EditOutlined fontSize="small" />, `user-edit-${row.username}`, () => setDialog({ kind: 'edit', user: row }))}
            {iconButton(
              row,
              'Reset password',
              <LockResetOutlined fontSize="small" />,
              `user-reset-${row.username}`,
              () => setConfirm({ user: row, action: 'reset' }),
              self ? 'Use “Change password” in your account menu' : undefined,
            )}
            {row.active
              ? iconButton(
                  row,
                  'Deactivate',
                  <PersonOffOutlined fontSize="small" />,
                  `user-deactivate-${row.username}`,
                  () => setConfirm({ user: row, action: 'deactivate' }),
                  self ? 'You cannot deactivate yourself' : undefined,
                )
              : iconButton(row, 'Reactivate', <HowToRegOutlined fontSize="small" />, `user-reactivate-${row.username}`, () =>
                  setConfirm({ user: row, action: 'reactivate' }),
                )}
          </Box>
        );
      },
    },
  ];

  const target = confirm?.user;
  const confirmText: Record<Confirm['action'], { title: string; body: ReactNode; label: string; color: 'error' | 'primary' | 'warning' }> = {
    deactivate: {
      title: `Deactivate ${target?.displayName ?? ''}?`,
      body: (
        <>
          {target?.displayName} is signed out everywhere at once (every open window and live connection) and cannot sign in until reactivated. Their cases,
          decisions and audit history stay.
        </>
      ),
      label: 'Deactivate',
      color: 'error',
    },
    reactivate: {
      title: `Reactivate ${target?.displayName ?? ''}?`,
      body: <>They can sign in again with their current password, with the role and tenants shown here.</>,
      label: 'Reactivate',
      color: 'primary',
    },
    reset: {
      title: `Reset the password of ${target?.displayName ?? ''}?`,
      body: (
        <>
          Their current password stops working and they are signed out everywhere. You get a one-time password to give them; they must choose a new password at
          the next sign-in.
        </>
      ),
      label: 'Reset password',
      color: 'warning',
    },
  };
  const current = confirm ? confirmText[confirm.action] : null;

  return (
    <Box sx={{ px: 2.5, pt: 2.5, pb: 3, maxWidth: 1560, mx: 'auto' }} data-testid="users-page">
      <PageHeader
        title="Users"
        subtitle={
          <>
            Everyone who signs in to the workstation: what their role lets them do and which tenants they act for.
            {users.data && (
              <Box component="span" sx={{ display: 'block', mt: 0.25 }} data-testid="users-summary">
                {formatCount(all.length)} users · {formatCount(activeCount)} active
              </Box>
            )}
          </>
        }
        actions={
          <>
            <RefreshButton onClick={() => users.refetch()} disabled={users.fetching} label="Refresh users" />
            <Button variant="contained" startIcon={<AddIcon fontSize="small" />} onClick={() => setDialog({ kind: 'create' })} data-testid="user-new">
              New user
            </Button>
          </>
        }
      />
      <Box sx={{ display: 'flex', gap: 1.5, mb: 1.5, flexWrap: 'wrap', alignItems: 'center' }}>
        <SearchField value={search} onChange={setSearch} placeholder="Search name, username, role or tenant" width={320} testId="users-search" />
        <FilterSelect label="Status" value={state} options={STATE_OPTIONS} onChange={setState} anyLabel="Any status" minWidth={220} testId="users-state" />
      </Box>
      {users.error && (
        <Box sx={{ mb: 1.5 }}>
          <ErrorState error={users.error} onRetry={() => users.refetch()} title="Could not load the users" />
        </Box>
      )}
      <Box sx={{ border: 1, borderColor: 'divider', borderRadius: 2.5, overflow: 'hidden', bgcolor: 'background.paper' }}>
        <DataGrid<AdminUser>
          rows={rows}
          columns={columns}
          getRowId={(row) => row.id}
          loading={users.loading && !users.data}
          autoHeight
          rowHeight={56}
          disableColumnMenu
          disableColumnSelector
          disableRowSelectionOnClick
          initialState={{ sorting: { sortModel: [{ field: 'displayName', sort: 'asc' }] }, pagination: { paginationModel: { pageSize: 50 } } }}
          pageSizeOptions={[25, 50, 100]}
          onRowClick={({ row }) => setDialog({ kind: 'edit', user: row })}
          getRowClassName={({ row }) => (row.active ? '' : 'row-closed')}
          slots={{ row: UserGridRow, noRowsOverlay: GridEmptyOverlay }}
          slotProps={{
            loadingOverlay: { variant: 'linear-progress', noRowsVariant: 'skeleton' },
            noRowsOverlay: {
              emptyIcon: <GroupOutlined />,
              emptyTitle: all.length ? 'No user matches' : 'No users yet',
              emptyBody: all.length ? 'Change the search or the status filter.' : 'Create the first user with “New user”.',
            },
          }}
          aria-label="Users"
          sx={[gridSx(theme), { border: 0, '& .MuiDataGrid-cell': { display: 'flex', alignItems: 'center' } }]}
        />
      </Box>

      <SignInLocksCard onCleared={setNotice} />

      <UserFormDialog
        mode={dialog}
        tenantSuggestions={suggestions}
        onClose={() => setDialog(null)}
        onCreated={(created) => {
          showPassword(created, `User ${created.user.username} created`);
          refresh();
        }}
        onSaved={(user) => {
          setNotice(`${user.displayName} saved`);
          refresh();
        }}
        onReload={async (id) => {
          const fresh = (await fetchAdminUsers()).find((u) => u.id === id) ?? null;
          refresh();
          return fresh;
        }}
      />
      <ConfirmDialog
        open={!!confirm}
        testId="user-confirm"
        confirmTestId="user-confirm-button"
        title={current?.title ?? ''}
        body={current?.body ?? ''}
        confirmLabel={current?.label ?? ''}
        confirmColor={current?.color ?? 'primary'}
        onClose={() => setConfirm(null)}
        onConfirm={async () => {
          if (!confirm) return;
          const { user, action } = confirm;
          if (action === 'deactivate') {
            await deactivateUser(user.id);
            setNotice(`${user.displayName} deactivated and signed out everywhere`);
          } else if (action === 'reactivate') {
            await reactivateUser(user.id);
            setNotice(`${user.displayName} can sign in again`);
          } else {
            showPassword(await resetUserPassword(user.id), `New one-time password for ${user.displayName}`);
          }
          refresh();
        }}
      />
      <SecretOnceDialog shown={secret} onClose={() => setSecret(null)} testId="user-secret" />
      <SuccessNotice notice={notice} onClose={() => setNotice(null)} testId="user-notice" />
    </Box>
  );
}
