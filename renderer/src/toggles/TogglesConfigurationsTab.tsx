// The toggle configurations, listed in the order the resolver weighs them (per tenant: most
// specific first, then the lowest priority number), with their window and where it stands now.
// Managers create, schedule, edit, switch on/off and delete; everyone sees each one's audit trail.
import { useCallback, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import IconButton from '@mui/material/IconButton';
import Snackbar from '@mui/material/Snackbar';
import Switch from '@mui/material/Switch';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import AddIcon from '@mui/icons-material/Add';
import DeleteOutline from '@mui/icons-material/DeleteOutlineOutlined';
import EditOutlined from '@mui/icons-material/EditOutlined';
import HistoryOutlined from '@mui/icons-material/HistoryOutlined';
import PowerOffOutlined from '@mui/icons-material/PowerOffOutlined';
import PowerSettingsNewOutlined from '@mui/icons-material/PowerSettingsNewOutlined';
import ScheduleOutlined from '@mui/icons-material/ScheduleOutlined';
import ToggleOnOutlined from '@mui/icons-material/ToggleOnOutlined';
import { GridRow, type GridColDef, type GridRowProps } from '@mui/x-data-grid';
import type { DisabledBehaviour, ToggleConfiguration } from '../../../shared/src/toggles.ts';
import { isHubUnavailable, toApiError } from '../api/client.ts';
import { useCan } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { ConfirmDialog } from '../decision-engine/ConfirmDialog.tsx';
import { formatEat, formatEatShort } from '../lib/format.ts';
import { TagChip } from '../ui/chips.tsx';
import { FilterSelect } from '../ui/FilterSelect.tsx';
import { RefreshButton } from '../ui/layout.tsx';
import { ServerGrid } from '../ui/ServerGrid.tsx';
import { Mono, UpdatedCell } from '../ui/values.tsx';
import { ApprovalsBanner } from './ApprovalsBanner.tsx';
import { AuditDrawer } from './AuditDrawer.tsx';
import { DangerConfirmation, FallbackChoice } from './ToggleEffect.tsx';
import { BEHAVIOUR_HINTS, BEHAVIOUR_LABELS, contextText, EngineSwitchChip, LevelChip, ToggleStateChip } from './toggleChips.tsx';
import { ToggleFormDialog, type FormMode } from './ToggleFormDialog.tsx';
import {
  deleteToggle,
  fetchAllToggles,
  fetchPendingApprovals,
  fetchToggles,
  fetchToggleSettings,
  saveToggleSettings,
  setToggleState,
  type StateFilter,
  type WriteOutcome,
} from './togglesApi.ts';

const FILTERS: { id: StateFilter; label: string; hint: string }[] = [
  { id: 'effective', label: 'Effective', hint: 'In force now' },
  { id: 'future', label: 'Future', hint: 'Scheduled to take effect later' },
  { id: 'expired', label: 'Expired', hint: 'Their window has closed' },
  { id: 'all', label: 'All', hint: 'Every configuration, inactive ones included' },
];

function ToggleRow(props: GridRowProps) {
  const row = props.row as ToggleConfiguration;
  return <GridRow {...props} data-testid="toggle-row" data-toggle-id={row.id} data-state={row.state} data-enabled={String(row.isEnabled)} />;
}

/** The resolver's order: per tenant, most specific first, then the lowest priority number. */
function resolverOrder(a: ToggleConfiguration, b: ToggleConfiguration): number {
  return a.tenantId.localeCompare(b.tenantId) || b.specificity - a.specificity || a.priority - b.priority || a.createdAt.localeCompare(b.createdAt);
}

function WhenCell({ value, empty }: { value: string | null; empty: string }) {
  return value ? (
    <Tooltip title={formatEat(value)}>
      <span>{formatEatShort(value)}</span>
    </Tooltip>
  ) : (
    <Box component="span" sx={{ color: 'text.disabled' }}>
      {empty}
    </Box>
  );
}

type RowAction = 'edit' | 'enable' | 'disable' | 'delete' | 'audit';

function columns(canManage: boolean, act: (row: ToggleConfiguration, action: RowAction) => void): GridColDef<ToggleConfiguration>[] {
  const scope = (label: string, value: string | null) =>
    value ? (
      <Tooltip title={label}>
        <span>
          <TagChip label={value} />
        </span>
      </Tooltip>
    ) : null;
  return [
    {
      field: 'tenantId',
      headerName: 'Tenant · level',
      width: 146,
      renderCell: ({ row }) => (
        <Box sx={{ lineHeight: 1.3, minWidth: 0 }}>
          <Mono sx={{ fontSize: 12, fontWeight: 600, display: 'block', mb: 0.25 }}>{row.tenantId}</Mono>
          <LevelChip level={row.level} />
        </Box>
      ),
    },
    {
      field: 'scope',
      headerName: 'Payment type · instrument · clearing',
      flex: 1,
      minWidth: 150,
      renderCell: ({ row }) =>
        row.level === 'TENANT' ? (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            All payments
          </Typography>
        ) : (
          <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', py: 0.25 }}>
            {scope('Payment type', row.paymentType)}
            {scope('Local instrument', row.localInstrumentationCode)}
            {scope('Clearing system', row.clearingSystemCode)}
          </Box>
        ),
    },
    {
      field: 'isEnabled',
      headerName: 'Engine · reason',
      flex: 1.1,
      minWidth: 170,
      renderCell: ({ row }) => {
        const reason = row.isEnabled ? row.enabledReason : row.disabledReason;
        return (
          <Box sx={{ minWidth: 0, lineHeight: 1.3 }}>
            <EngineSwitchChip enabled={row.isEnabled} />
            {reason && (
              <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block', mt: 0.25 }} noWrap title={reason}>
                {reason}
              </Typography>
            )}
          </Box>
        );
      },
    },
    {
      field: 'window',
      headerName: 'Effective (EAT)',
      width: 168,
      renderCell: ({ row }) => (
        <Box sx={{ lineHeight: 1.35, minWidth: 0 }}>
          <ToggleStateChip state={row.state} />
          <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mt: 0.25, fontVariantNumeric: 'tabular-nums' }} noWrap>
            from <WhenCell value={row.effectiveFrom} empty="always" />
          </Typography>
          <Typography variant="caption" component="div" sx={{ color: 'text.secondary', fontVariantNumeric: 'tabular-nums' }} noWrap>
            until <WhenCell value={row.effectiveUntil} empty="no end" />
          </Typography>
        </Box>
      ),
    },
    {
      field: 'priority',
      headerName: 'Priority',
      width: 76,
      align: 'right',
      headerAlign: 'right',
      renderCell: ({ row }) => (
        <Tooltip title={`Specificity ${row.specificity} (clearing system 4 + local instrument 2 + payment type 1)`}>
          <Box sx={{ textAlign: 'right', lineHeight: 1.3 }}>
            <Mono sx={{ fontWeight: 600 }}>{row.priority}</Mono>
            <Typography variant="caption" component="div" sx={{ color: 'text.secondary' }}>
              spec {row.specificity}
            </Typography>
          </Box>
        </Tooltip>
      ),
    },
    {
      field: 'disabledBehaviour',
      headerName: 'While disabled',
      width: 132,
      // An enabled configuration has no fallback in use: show none rather than a stored placeholder.
      renderCell: ({ row }) =>
        row.isEnabled ? (
          <Typography variant="body2" sx={{ color: 'text.disabled' }}>
            —
          </Typography>
        ) : (
          <Tooltip title={BEHAVIOUR_HINTS[row.disabledBehaviour]}>
            <Typography
              variant="body2"
              sx={{ color: row.disabledBehaviour === 'APPROVE' ? 'error.main' : 'text.primary', whiteSpace: 'normal', lineHeight: 1.3 }}
            >
              {BEHAVIOUR_LABELS[row.disabledBehaviour]}
            </Typography>
          </Tooltip>
        ),
    },
    {
      field: 'updatedAt',
      headerName: 'Updated',
      width: 118,
      renderCell: ({ row }) => <UpdatedCell at={row.updatedAt} by={row.updatedBy ?? row.createdBy} />,
    },
    {
      field: 'actions',
      headerName: '',
      width: canManage ? 150 : 52,
      sortable: false,
      align: 'right',
      renderCell: ({ row }) => {
        const button = (action: RowAction, title: string, icon: ReactNode, testId: string) => (
          <Tooltip title={title}>
            <IconButton
              size="small"
              aria-label={title}
              data-testid={testId}
              onClick={(e) => {
                e.stopPropagation();
                act(row, action);
              }}
            >
              {icon}
            </IconButton>
          </Tooltip>
        );
        return (
          <Box sx={{ display: 'flex', gap: 0.25 }}>
            {canManage && button('edit', 'Edit', <EditOutlined fontSize="small" />, 'toggle-edit')}
            {canManage &&
              (row.isEnabled
                ? button('disable', 'Disable the engine for this context', <PowerOffOutlined fontSize="small" />, 'toggle-quick-disable')
                : button('enable', 'Enable the engine for this context', <PowerSettingsNewOutlined fontSize="small" />, 'toggle-quick-enable'))}
            {canManage && button('delete', 'Delete', <DeleteOutline fontSize="small" />, 'toggle-delete')}
            {button('audit', 'Audit trail', <HistoryOutlined fontSize="small" />, 'toggle-audit')}
          </Box>
        );
      },
    },
  ];
}

function pendingMessage(outcome: WriteOutcome, saved: string): string {
  return outcome.kind === 'pending'
    ? 'Waiting for approval: disabling a whole tenant needs a second admin’s approval. Nothing changes until another admin approves it.'
    : saved;
}

export function TogglesConfigurationsTab() {
  const theme = useTheme();
  const canManage = useCan('toggle:manage');
  const [params, setParams] = useSearchParams();
  const filter = (FILTERS.find((f) => f.id === params.get('state'))?.id ?? 'effective') as StateFilter;
  const tenant = params.get('tenant') ?? '';
  const highlight = params.get('highlight');
  const setParam = (key: string, value: string | null) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        if (key !== 'highlight') next.delete('highlight');
        return next;
      },
      { replace: true },
    );

  const listFetcher = useCallback((signal: AbortSignal) => fetchToggles(filter, tenant, signal), [filter, tenant]);
  const list = useApiQuery(`toggles:${filter}:${tenant}`, listFetcher);
  const allFetcher = useCallback((signal: AbortSignal) => fetchAllToggles(signal), []);
  const all = useApiQuery('toggles:all-tenants', allFetcher);
  const approvalsFetcher = useCallback((signal: AbortSignal) => fetchPendingApprovals(signal), []);
  const approvals = useApiQuery('toggle-approvals', approvalsFetcher);
  const settingsFetcher = useCallback((signal: AbortSignal) => fetchToggleSettings(signal), []);
  const settings = useApiQuery('toggle-settings', settingsFetcher);
  const refreshAll = () => {
    list.refetch({ silent: true });
    all.refetch({ silent: true });
    approvals.refetch({ silent: true });
    settings.refetch({ silent: true });
  };
  // 'boundary' events (a scheduled window opened or closed) move rows between the state filters.
  useLiveRefresh(['toggle.changed'], refreshAll);

  const [form, setForm] = useState<FormMode | null>(null);
  const [auditOf, setAuditOf] = useState<ToggleConfiguration | null>(null);
  const [quick, setQuick] = useState<{ row: ToggleConfiguration; action: 'enable' | 'disable' | 'delete' } | null>(null);
  // No preselected fallback: the admin chooses, and "approve without assessment" needs a tick too.
  const [quickBehaviour, setQuickBehaviour] = useState<DisabledBehaviour | null>(null);
  const [quickDangerConfirmed, setQuickDangerConfirmed] = useState(false);
  const [notice, setNotice] = useState<{ text: string; severity: 'success' | 'warning' | 'error' } | null>(null);
  const [savingSettings, setSavingSettings] = useState(false);

  const announce = (outcome: WriteOutcome, saved: string) => {
    setNotice({ text: pendingMessage(outcome, saved), severity: outcome.kind === 'pending' ? 'warning' : 'success' });
    refreshAll();
  };

  const act = (row: ToggleConfiguration, action: RowAction) => {
    if (action === 'edit') setForm({ kind: 'edit', configuration: row });
    else if (action === 'audit') setAuditOf(row);
    else {
      setQuickBehaviour(null);
      setQuickDangerConfirmed(false);
      setQuick({ row, action });
    }
  };

  const tenants = [...new Set((all.data ?? []).map((c) => c.tenantId))].sort();
  const rows = [...(list.data ?? [])].sort(resolverOrder);
  const pending = approvals.data ?? [];
  const fourEyes = settings.data?.fourEyesForTenantDisable ?? false;

  const toggleFourEyes = async (checked: boolean) => {
    setSavingSettings(true);
    try {
      await saveToggleSettings({ fourEyesForTenantDisable: checked });
      settings.refetch({ silent: true });
      setNotice({
        text: checked ? 'Disabling a whole tenant now needs a second admin’s approval' : 'Tenant-wide disables no longer need a second approval',
        severity: 'success',
      });
    } catch (caught) {
      // "Needs the hub" (a workstation offline) is a warning, not a failure (issue 12).
      setNotice({ text: toApiError(caught).message, severity: isHubUnavailable(caught) ? 'warning' : 'error' });
    } finally {
      setSavingSettings(false);
    }
  };

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', flex: 1, minHeight: 0 }} data-testid="toggles-configurations-tab">
      <ApprovalsBanner
        approvals={pending}
        canManage={canManage}
        onDecided={(text) => {
          setNotice({ text, severity: 'success' });
          refreshAll();
        }}
      />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap', mb: 1.5 }}>
        <Box sx={{ display: 'flex', gap: 0.75 }} role="group" aria-label="Show configurations">
          {FILTERS.map((f) => {
            const selected = f.id === filter;
            return (
              <Tooltip key={f.id} title={f.hint}>
                <Chip
                  label={f.label}
                  clickable
                  color={selected ? 'primary' : 'default'}
                  variant={selected ? 'filled' : 'outlined'}
                  aria-pressed={selected}
                  data-testid={`toggle-filter-${f.id}`}
                  data-selected={String(selected)}
                  onClick={() => setParam('state', f.id === 'effective' ? null : f.id)}
                  sx={{ fontWeight: 600 }}
                />
              </Tooltip>
            );
          })}
        </Box>
        <FilterSelect
          label="Tenant"
          value={tenant}
          anyLabel="All tenants"
          options={tenants.map((t) => ({ value: t, label: t }))}
          onChange={(v) => setParam('tenant', v || null)}
          minWidth={170}
          testId="toggle-tenant-filter"
        />
        <RefreshButton onClick={refreshAll} disabled={list.fetching} label="Refresh toggle configurations" />
        <Box sx={{ flex: 1 }} />
        <Tooltip title={canManage ? '' : 'Only risk managers and administrators change this'}>
          <FormControlLabel
            sx={{ mr: 1 }}
            control={
              <Switch
                size="small"
                checked={fourEyes}
                disabled={!canManage || savingSettings || !settings.data}
                onChange={(e) => void toggleFourEyes(e.target.checked)}
                slotProps={{
                  input: { 'aria-label': 'Disabling a whole tenant needs a second admin’s approval', ...{ 'data-testid': 'toggles-settings-four-eyes' } },
                }}
              />
            }
            label={
              <Typography variant="body2" sx={{ color: 'text.secondary', maxWidth: 260, lineHeight: 1.25 }}>
                Disabling a whole tenant needs a second admin’s approval
              </Typography>
            }
          />
        </Tooltip>
        {canManage && (
          <>
            <Button
              variant="outlined"
              startIcon={<ScheduleOutlined fontSize="small" />}
              onClick={() => setForm({ kind: 'schedule' })}
              data-testid="toggle-schedule"
            >
              Schedule
            </Button>
            <Button variant="contained" startIcon={<AddIcon fontSize="small" />} onClick={() => setForm({ kind: 'create' })} data-testid="toggle-new">
              New configuration
            </Button>
          </>
        )}
      </Box>
      <ServerGrid<ToggleConfiguration>
        error={list.error}
        errorTitle="Could not load the toggle configurations"
        onRetry={() => list.refetch()}
        rows={rows}
        columns={columns(canManage, act)}
        getRowId={(row) => row.id}
        rowCount={rows.length}
        loading={list.loading && !list.data}
        hideFooter
        disableColumnSorting
        clickable={false}
        getRowHeight={() => 'auto'}
        getRowClassName={({ row }) => (row.id === highlight ? 'toggle-row-highlight' : '')}
        slots={{ row: ToggleRow }}
        empty={{
          icon: <ToggleOnOutlined />,
          title:
            filter === 'effective'
              ? 'No configuration in force'
              : filter === 'future'
                ? 'Nothing scheduled'
                : filter === 'expired'
                  ? 'Nothing expired'
                  : 'No configurations yet',
          body:
            filter === 'effective' && !tenant
              ? 'Without a configuration in force the fraud engine is called for every payment.'
              : 'Try another filter or tenant.',
        }}
        aria-label="Fraud API toggle configurations"
        sx={{
          '& .MuiDataGrid-cell': { py: 1 },
          '& .toggle-row-highlight': {
            bgcolor: alpha(theme.palette.primary.main, theme.palette.mode === 'dark' ? 0.16 : 0.08),
            boxShadow: `inset 3px 0 0 ${theme.palette.primary.main}`,
          },
        }}
      />
      <Typography variant="caption" sx={{ color: 'text.disabled', mt: 1 }}>
        Listed per tenant in the order a status check weighs them: the most specific level first, then the lowest priority number. Times are Nairobi time (EAT).
      </Typography>

      <ToggleFormDialog
        mode={form}
        tenantHint={tenant}
        onClose={() => setForm(null)}
        onSaved={(outcome) =>
          announce(outcome, form?.kind === 'edit' ? 'Configuration saved' : form?.kind === 'schedule' ? 'Configuration scheduled' : 'Configuration created')
        }
      />
      <AuditDrawer configuration={auditOf} onClose={() => setAuditOf(null)} />
      <ConfirmDialog
        open={!!quick}
        testId="toggle-quick-dialog"
        confirmTestId="toggle-quick-confirm"
        title={quick?.action === 'delete' ? 'Delete this configuration' : quick?.action === 'enable' ? 'Enable the fraud engine' : 'Disable the fraud engine'}
        body={
          quick ? (
            <>
              <Mono sx={{ fontSize: 12.5 }}>{contextText(quick.row)}</Mono>
              <br />
              {quick.action === 'delete'
                ? 'The configuration stops applying at once; the next most specific one in force takes over. Its audit trail is kept.'
                : quick.action === 'enable'
                  ? 'Payments of this context will be assessed by the bank’s fraud engine from now on.'
                  : quickBehaviour === null
                    ? 'The bank’s fraud engine will not be called for payments of this context from now on. Choose what happens to them meanwhile.'
                    : `From now on the bank’s fraud engine will not be called for payments of this context; they will be ${
                        quickBehaviour === 'APPROVE' ? 'APPROVED WITHOUT ASSESSMENT — no fraud check at all' : 'scored by the workstation’s own rules only'
                      }.`}
            </>
          ) : (
            ''
          )
        }
        confirmLabel={quick?.action === 'delete' ? 'Delete' : quick?.action === 'enable' ? 'Enable' : 'Disable'}
        confirmColor={quick?.action === 'enable' ? 'success' : 'error'}
        reason={
          quick?.action === 'delete'
            ? { label: 'Reason (optional)', minLength: 0, maxLength: 500, testId: 'toggle-quick-reason' }
            : { label: 'Reason', minLength: 3, maxLength: 500, placeholder: 'Why, for the audit trail', testId: 'toggle-quick-reason' }
        }
        canConfirm={quick?.action !== 'disable' || (quickBehaviour !== null && (quickBehaviour !== 'APPROVE' || quickDangerConfirmed))}
        onClose={() => setQuick(null)}
        onConfirm={async (reason) => {
          if (!quick) return;
          const { row, action } = quick;
          if (action === 'delete') {
            await deleteToggle(row.id, row.rowVersion, reason);
            setNotice({ text: 'Configuration deleted', severity: 'success' });
            refreshAll();
            return;
          }
          const outcome = await setToggleState(action, {
            tenantId: row.tenantId,
            paymentType: row.paymentType,
            localInstrumentationCode: row.localInstrumentationCode,
            clearingSystemCode: row.clearingSystemCode,
            reason,
            ...(action === 'disable' && quickBehaviour ? { disabledBehaviour: quickBehaviour } : {}),
          });
          announce(outcome, action === 'enable' ? 'Fraud engine enabled for this context' : 'Fraud engine disabled for this context');
        }}
      >
        {quick?.action === 'disable' && (
          <>
            <FallbackChoice
              value={quickBehaviour}
              onChange={(next) => {
                setQuickBehaviour(next);
                setQuickDangerConfirmed(false);
              }}
              testId="toggle-quick-behaviour"
            />
            {quickBehaviour === 'APPROVE' && (
              <DangerConfirmation checked={quickDangerConfirmed} onChange={setQuickDangerConfirmed} testId="toggle-quick-confirm-danger" />
            )}
          </>
        )}
      </ConfirmDialog>
      <Snackbar
        open={!!notice}
        autoHideDuration={notice?.severity === 'warning' ? 9000 : 5000}
        onClose={() => setNotice(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        {notice ? (
          <Alert
            severity={notice.severity}
            variant="filled"
            onClose={() => setNotice(null)}
            data-testid="toggle-notice"
            data-severity={notice.severity}
            sx={{ maxWidth: 640 }}
          >
            {notice.text}
          </Alert>
        ) : undefined}
      </Snackbar>
    </Box>
  );
}
