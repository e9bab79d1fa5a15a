// Administration › Alert rules (issue 15): which alerts (patterns, least severity, tenants) go to
// which channels and people, the dedup window and escalation. Rules kept in step with a decision
// engine configuration's alert settings are listed too, and change only with those settings.
import { useCallback, useMemo, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import AltRouteOutlined from '@mui/icons-material/AltRouteOutlined';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import EditOutlined from '@mui/icons-material/EditOutlined';
import { GridRow, type GridColDef, type GridRowProps } from '@mui/x-data-grid';
import type { AlertRule } from '../../../../shared/src/alerts.ts';
import { StatusChip } from '../../admin/adminChips.tsx';
import { knownTenants } from '../../admin/TenantField.tsx';
import { useSession } from '../../api/session.ts';
import { useApiQuery } from '../../api/useApiQuery.ts';
import { ConfirmDialog } from '../../decision-engine/ConfirmDialog.tsx';
import { PageHeader, RefreshButton } from '../../ui/layout.tsx';
import { ListGrid } from '../../ui/ListGrid.tsx';
import { RowActionButton } from '../../ui/RowActionButton.tsx';
import { SuccessNotice } from '../../ui/SuccessNotice.tsx';
import { deleteAlertRule, fetchAlertChannels, fetchAlertRules } from '../alertsApi.ts';
import { PATTERN_LABELS, ROLE_LABELS, SEVERITY_LABELS } from '../alertWords.tsx';
import { RuleFormDialog } from './RuleFormDialog.tsx';

function RuleGridRow(props: GridRowProps) {
  const row = props.row as AlertRule;
  return <GridRow {...props} data-testid={`rule-row-${row.name}`} />;
}

function patternsText(rule: AlertRule): string {
  if (rule.patterns.length === 0) return 'Every pattern';
  return rule.patterns.map((p) => PATTERN_LABELS[p] ?? p).join(', ');
}

export function AlertRulesPage() {
  const session = useSession();
  const rules = useApiQuery(
    'alert-rules',
    useCallback((signal: AbortSignal) => fetchAlertRules(signal), []),
  );
  const channels = useApiQuery(
    'alert-channels',
    useCallback((signal: AbortSignal) => fetchAlertChannels(signal), []),
  );
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<AlertRule | null>(null);
  const [removing, setRemoving] = useState<AlertRule | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const rows = rules.data ?? [];
  const channelName = useMemo(() => new Map((channels.data ?? []).map((c) => [c.id, c.name])), [channels.data]);
  const suggestions = useMemo(() => knownTenants([rows.flatMap((r) => r.tenantIds)], session?.user.tenantIds ?? []), [rows, session]);

  const columns: GridColDef<AlertRule>[] = [
    {
      field: 'name',
      headerName: 'Rule',
      flex: 1.3,
      minWidth: 220,
      renderCell: ({ row }) => (
        <Box sx={{ minWidth: 0, lineHeight: 1.3 }}>
          <Typography variant="body2" noWrap sx={{ fontWeight: 650 }} title={row.name}>
            {row.name}
          </Typography>
          {row.sourceConfigurationId && (
            <Typography variant="caption" noWrap sx={{ color: 'text.secondary', display: 'block' }}>
              Alert settings of{' '}
              <Link
                component={RouterLink}
                to={`/decision-engine/configurations/${row.sourceConfigurationId}`}
                underline="hover"
                onClick={(e) => e.stopPropagation()}
              >
                {row.sourceConfigurationName ?? 'a configuration'}
              </Link>
            </Typography>
          )}
        </Box>
      ),
    },
    {
      field: 'patterns',
      headerName: 'Patterns',
      flex: 1.2,
      minWidth: 190,
      sortable: false,
      renderCell: ({ row }) => (
        <Typography variant="body2" noWrap title={patternsText(row)}>
          {patternsText(row)}
        </Typography>
      ),
    },
    { field: 'minSeverity', headerName: 'Severity', width: 100, valueGetter: (_, row) => `${SEVERITY_LABELS[row.minSeverity]}+` },
    {
      field: 'tenantIds',
      headerName: 'Tenants',
      width: 120,
      sortable: false,
      valueGetter: (_, row) => (row.tenantIds.length ? row.tenantIds.join(', ') : 'Every tenant'),
    },
    {
      field: 'channelIds',
      headerName: 'Sends to',
      flex: 1,
      minWidth: 180,
      sortable: false,
      renderCell: ({ row }) => {
        const text = [
          ...row.channelIds.map((id) => channelName.get(id) ?? 'a removed channel'),
          ...row.notifyRoles.map((r) => `${ROLE_LABELS[r] ?? r} (in app)`),
        ].join(', ');
        return (
          <Typography variant="body2" noWrap title={text} sx={{ color: text ? 'text.primary' : 'text.secondary' }}>
            {text || 'Nobody: inbox only'}
          </Typography>
        );
      },
    },
    { field: 'dedupWindowMinutes', headerName: 'Dedup', width: 76, valueGetter: (_, row) => `${row.dedupWindowMinutes} min` },
    {
      field: 'escalation',
      headerName: 'Escalation',
      width: 112,
      sortable: false,
      valueGetter: (_, row) => (row.escalation.length ? row.escalation.map((s) => `${s.afterMinutes} min`).join(' → ') : 'None'),
    },
    {
      field: 'enabled',
      headerName: 'State',
      width: 96,
      renderCell: ({ row }) => <StatusChip label={row.enabled ? 'Enabled' : 'Disabled'} tone={row.enabled ? 'success' : 'neutral'} />,
    },
    {
      field: 'actions',
      headerName: '',
      width: 88,
      sortable: false,
      align: 'right',
      renderCell: ({ row }) =>
        row.sourceConfigurationId ? null : (
          <Box sx={{ display: 'flex', gap: 0.25 }}>
            <RowActionButton
              title="Edit"
              subject={row.name}
              icon={<EditOutlined fontSize="small" />}
              testId={`rule-edit-${row.name}`}
              onClick={() => setEditing(row)}
            />
            <RowActionButton
              title="Remove"
              subject={row.name}
              icon={<DeleteOutlined fontSize="small" />}
              testId={`rule-remove-${row.name}`}
              onClick={() => setRemoving(row)}
            />
          </Box>
        ),
    },
  ];

  return (
    <Box sx={{ px: 2.5, pt: 2.5, pb: 3, maxWidth: 1560, mx: 'auto' }} data-testid="alert-rules-page">
      <PageHeader
        title="Alert rules"
        subtitle="Route alerts by pattern, severity and tenant to channels and to people in the app, with deduplication and escalation when nobody acknowledges."
        actions={
          <>
            <RefreshButton
              onClick={() => {
                rules.refetch();
                channels.refetch();
              }}
              disabled={rules.fetching}
              label="Refresh the rules"
            />
            <Button variant="contained" startIcon={<AddIcon fontSize="small" />} onClick={() => setAdding(true)} data-testid="rule-new">
              Add rule
            </Button>
          </>
        }
      />
      <ListGrid<AlertRule>
        rows={rows}
        columns={columns}
        loading={rules.loading && !rules.data}
        error={rules.error}
        errorTitle="Could not load the rules"
        onRetry={() => rules.refetch()}
        onOpenRow={(row) => (row.sourceConfigurationId ? undefined : setEditing(row))}
        slots={{ row: RuleGridRow }}
        empty={{ icon: <AltRouteOutlined />, title: 'No rules yet', body: 'Without a rule, alerts wait in the inbox and nobody is told.' }}
        aria-label="Alert rules"
      />
      <Typography variant="caption" component="div" sx={{ color: 'text.disabled', mt: 1 }}>
        An alert goes through every enabled rule it matches. A configuration’s own rule follows its alert settings in the decision engine and is changed there.
      </Typography>
      <RuleFormDialog
        open={adding || !!editing}
        rule={editing}
        channels={channels.data ?? []}
        tenantSuggestions={suggestions}
        onClose={() => {
          setAdding(false);
          setEditing(null);
        }}
        onSaved={(rule) => {
          setNotice(`${rule.name} saved`);
          rules.refetch({ silent: true });
        }}
      />
      <ConfirmDialog
        open={!!removing}
        testId="rule-remove-dialog"
        confirmTestId="rule-remove-confirm"
        title={`Remove ${removing?.name ?? ''}?`}
        body="Alerts it matched are no longer sent anywhere by it. Alerts already raised keep their delivery story."
        confirmLabel="Remove rule"
        confirmColor="error"
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await deleteAlertRule(removing.id);
          setNotice(`${removing.name} removed`);
          rules.refetch({ silent: true });
        }}
      />
      <SuccessNotice notice={notice} onClose={() => setNotice(null)} testId="rule-notice" />
    </Box>
  );
}
