// The control library (issue 13 "Screens"): every control with its type, owner, test frequency,
// effectiveness (from its latest test), last test and next test due with overdue flagged.
// Filters live in the URL like the register's.
import { useCallback, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControlLabel from '@mui/material/FormControlLabel';
import Switch from '@mui/material/Switch';
import Typography from '@mui/material/Typography';
import AddIcon from '@mui/icons-material/Add';
import VerifiedUserOutlined from '@mui/icons-material/VerifiedUserOutlined';
import type { GridColDef } from '@mui/x-data-grid';
import { z } from 'zod';
import { ControlEffectiveness, ControlType, type Control } from '../../../shared/src/risk-register.ts';
import { TenantId } from '../../../shared/src/tenants.ts';
import { useCan, useSession } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { formatCount, formatEatMinutes } from '../lib/format.ts';
import { FilterSelect } from '../ui/FilterSelect.tsx';
import { PageHeader, RefreshButton } from '../ui/layout.tsx';
import { SearchField } from '../ui/SearchField.tsx';
import { ServerGrid } from '../ui/ServerGrid.tsx';
import { Mono } from '../ui/values.tsx';
import { NextTest } from './controlBits.tsx';
import { NewControlDialog } from './NewControlDialog.tsx';
import type { Person } from './OwnerField.tsx';
import { EFFECTIVENESS_TONE, humanise, TEST_RESULT_TONE, ToneChip } from './riskChips.tsx';
import { fetchControls } from './risksApi.ts';
import { CONTROL_TYPE_LABELS, FREQUENCY_LABELS, oneLine, options } from './riskText.ts';

const PAGE_SIZES = [25, 50, 100];
const EFFECTIVENESS_LABELS = Object.fromEntries(ControlEffectiveness.options.map((e) => [e, humanise(e)])) as Record<ControlEffectiveness, string>;

function useControlParams() {
  const [sp, setSp] = useSearchParams();
  const pick = <T,>(schema: z.ZodType<T>, value: string | null): T | undefined => {
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  };
  const pageSize = Number(sp.get('pageSize'));
  const page = Number(sp.get('page'));
  const params = {
    tenantId: pick(TenantId, sp.get('tenant')),
    type: pick(ControlType, sp.get('type')),
    effectiveness: pick(ControlEffectiveness, sp.get('effectiveness')),
    ownerId: pick(z.uuid(), sp.get('owner')),
    testOverdue: sp.get('overdue') === '1' ? true : undefined,
    q: (sp.get('q') ?? '').slice(0, 100),
    page: Number.isInteger(page) && page >= 0 && page < 100_000 ? page : 0,
    pageSize: PAGE_SIZES.includes(pageSize) ? pageSize : 50,
  };
  const set = useCallback(
    (patch: Record<string, string | null>) =>
      setSp(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [k, v] of Object.entries(patch)) {
            if (v === null || v === '') next.delete(k);
            else next.set(k, v);
          }
          if (!('page' in patch)) next.delete('page');
          return next;
        },
        { replace: true },
      ),
    [setSp],
  );
  return [params, set] as const;
}

export function ControlLibraryPage() {
  const [params, set] = useControlParams();
  const navigate = useNavigate();
  const session = useSession();
  const canManage = useCan('risk:manage');
  const [creating, setCreating] = useState(false);
  const query = { ...params, q: params.q.trim() || undefined };
  const key = JSON.stringify(query);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the query, serialised.
  const fetcher = useCallback((signal: AbortSignal) => fetchControls(query, signal), [key]);
  const { data, error, loading, fetching, refetch } = useApiQuery(`controls:${key}`, fetcher);
  useLiveRefresh(['register.changed'], () => refetch({ silent: true }), { debounceMs: 300, minIntervalMs: 2000 });
  const seenOwners = useRef(new Map<string, Person>());
  const seenTenants = useRef(new Set<string>());
  for (const c of data?.items ?? []) {
    seenOwners.current.set(c.ownerId, { id: c.ownerId, name: c.ownerName });
    seenTenants.current.add(c.tenantId);
  }
  const owners = [...seenOwners.current.values()].sort((a, b) => a.name.localeCompare(b.name));
  const tenants = session?.user.tenantIds.length ? session.user.tenantIds : [...seenTenants.current].sort();
  const filtered = !!(params.tenantId || params.type || params.effectiveness || params.ownerId || params.testOverdue || params.q);

  const columns = useMemo<GridColDef<Control>[]>(
    () => [
      { field: 'reference', headerName: 'Ref', width: 96, renderCell: ({ row }) => <Mono sx={{ fontWeight: 650 }}>{row.reference}</Mono> },
      {
        field: 'name',
        headerName: 'Control',
        flex: 1,
        minWidth: 180,
        renderCell: ({ row }) => (
          <Box sx={{ minWidth: 0, lineHeight: 1.25 }}>
            <Typography variant="body2" noWrap title={row.name} sx={{ fontWeight: 600 }}>
              {row.name}
            </Typography>
            <Typography variant="caption" noWrap component="div" sx={{ color: 'text.secondary' }}>
              {row.linkedRisks.length} {row.linkedRisks.length === 1 ? 'risk' : 'risks'} · {row.tenantId}
            </Typography>
          </Box>
        ),
      },
      { field: 'type', headerName: 'Type', width: 104, renderCell: ({ row }) => CONTROL_TYPE_LABELS[row.type] },
      { field: 'ownerName', headerName: 'Owner', width: 130 },
      { field: 'frequency', headerName: 'Frequency', width: 104, renderCell: ({ row }) => FREQUENCY_LABELS[row.frequency] },
      {
        field: 'effectiveness',
        headerName: 'Effectiveness',
        width: 148,
        renderCell: ({ row }) => (
          <ToneChip label={humanise(row.effectiveness)} tone={EFFECTIVENESS_TONE[row.effectiveness] ?? 'neutral'} testId={`effectiveness-${row.reference}`} />
        ),
      },
      {
        field: 'lastTestedAt',
        headerName: 'Last test',
        width: 150,
        renderCell: ({ row }) =>
          row.lastTestedAt && row.lastTestResult ? (
            <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.75 }}>
              <ToneChip label={humanise(row.lastTestResult)} tone={TEST_RESULT_TONE[row.lastTestResult] ?? 'neutral'} />
              <Typography variant="caption" sx={{ color: 'text.secondary' }} title={formatEatMinutes(row.lastTestedAt)}>
                {formatEatMinutes(row.lastTestedAt).split(',')[0]}
              </Typography>
            </Box>
          ) : (
            <Typography variant="body2" sx={{ color: 'text.disabled' }}>
              Not tested
            </Typography>
          ),
      },
      { field: 'nextTestDue', headerName: 'Next test due', width: 184, renderCell: ({ row }) => <NextTest control={row} /> },
    ],
    [],
  );
  const ownerOptions = owners.map((p) => ({ value: p.id, label: p.name }));

  return (
    <Box
      sx={{ px: 2.5, pt: 2.5, pb: 3, maxWidth: 1560, mx: 'auto', display: 'flex', flexDirection: 'column', height: '100%' }}
      data-testid="control-library-page"
    >
      <PageHeader
        title="Controls"
        subtitle="The control library. A control's effectiveness follows its latest test and lowers the residual score of the risks it is linked to."
        actions={
          <>
            <RefreshButton onClick={() => refetch()} label="Reload controls" />
            {canManage && (
              <Button variant="contained" startIcon={<AddIcon />} onClick={() => setCreating(true)} data-testid="control-new">
                New control
              </Button>
            )}
          </>
        }
      />
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap', mb: 1.5 }}>
        <SearchField
          value={params.q}
          onChange={(q) => set({ q: oneLine(q).trim().slice(0, 100) || null })}
          placeholder="Search reference or name"
          width={240}
          testId="control-search"
        />
        {tenants.length > 1 && (
          <FilterSelect
            label="Tenant"
            value={params.tenantId ?? ''}
            options={tenants.map((t) => ({ value: t, label: t }))}
            anyLabel="All tenants"
            onChange={(v) => set({ tenant: v || null })}
          />
        )}
        <FilterSelect
          label="Type"
          value={params.type ?? ''}
          options={options(CONTROL_TYPE_LABELS)}
          anyLabel="Any type"
          onChange={(v) => set({ type: v || null })}
          minWidth={120}
        />
        <FilterSelect
          label="Effectiveness"
          value={params.effectiveness ?? ''}
          options={options(EFFECTIVENESS_LABELS)}
          anyLabel="Any"
          onChange={(v) => set({ effectiveness: v || null })}
          minWidth={160}
          testId="control-filter-effectiveness"
        />
        <FilterSelect
          label="Owner"
          value={params.ownerId ?? ''}
          options={ownerOptions}
          anyLabel="Anyone"
          onChange={(v) => set({ owner: v || null })}
          minWidth={130}
        />
        <FormControlLabel
          control={
            <Switch
              size="small"
              checked={!!params.testOverdue}
              onChange={(e) => set({ overdue: e.target.checked ? '1' : null })}
              data-testid="control-filter-overdue"
            />
          }
          label="Test overdue"
          sx={{ '& .MuiFormControlLabel-label': { fontSize: 13 } }}
        />
        {filtered && (
          <Button size="small" onClick={() => set({ tenant: null, type: null, effectiveness: null, owner: null, overdue: null, q: null })}>
            Clear filters
          </Button>
        )}
        <Box sx={{ flex: 1 }} />
        <Typography variant="body2" sx={{ color: 'text.secondary' }} data-testid="control-count">
          {data ? `${formatCount(data.total)} ${data.total === 1 ? 'control' : 'controls'}` : ' '}
        </Typography>
      </Box>
      <ServerGrid<Control>
        error={error}
        errorTitle="Could not load the controls"
        onRetry={() => refetch()}
        rows={data?.items ?? []}
        columns={columns}
        getRowId={(row) => row.id}
        rowCount={data?.total ?? 0}
        loading={loading || (fetching && !data)}
        paginationModel={{ page: params.page, pageSize: params.pageSize }}
        onPaginationModelChange={(m) => set({ page: m.page ? String(m.page) : null, pageSize: m.pageSize === 50 ? null : String(m.pageSize) })}
        pageSizeOptions={PAGE_SIZES}
        disableColumnSorting
        rowHeight={52}
        hideFooterSelectedRowCount
        onOpenRow={(row) => navigate(`/controls/${row.id}`)}
        empty={{
          icon: <VerifiedUserOutlined />,
          title: filtered ? 'No control matches these filters' : 'No controls yet',
          body: filtered
            ? 'Clear the filters to see the whole library.'
            : canManage
              ? 'Add the first control with “New control”.'
              : 'Risk officers add controls here.',
        }}
      />
      {creating && (
        <NewControlDialog
          tenants={tenants}
          onClose={() => setCreating(false)}
          onCreated={(control) => {
            setCreating(false);
            navigate(`/controls/${control.id}`);
          }}
        />
      )}
    </Box>
  );
}
