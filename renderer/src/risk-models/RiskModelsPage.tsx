// Seed 001's risk models as real computations (issue 13): for one tenant, the latest run of the
// credit, liquidity and market models with the inputs they used and how each figure was obtained,
// and the trend over earlier runs. Risk managers can run a model now on the data held.
import { type ReactNode, useCallback, useState } from 'react';
import { useSearchParams } from 'react-router';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Snackbar from '@mui/material/Snackbar';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import PlayArrowOutlined from '@mui/icons-material/PlayArrowOutlined';
import { RiskModelName } from '../../../shared/src/risk-data.ts';
import { TenantId } from '../../../shared/src/tenants.ts';
import { toApiError } from '../api/client.ts';
import { useCan, useSession } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';
import { CardSkeleton, ErrorState, Page, PageHeader, RefreshButton } from '../ui/layout.tsx';
import { CreditModelPanel } from './CreditModelPanel.tsx';
import { LiquidityModelPanel } from './LiquidityModelPanel.tsx';
import { MarketModelPanel } from './MarketModelPanel.tsx';
import { NoModelData } from './modelParts.tsx';
import { fetchCreditModel, fetchLiquidityModel, fetchMarketModel, runRiskModel } from './riskModelsApi.ts';

const MODEL_LABELS: Record<RiskModelName, string> = { CREDIT: 'Credit', LIQUIDITY: 'Liquidity', MARKET: 'Market' };
/** What core banking must send before each model can run, for the empty state. */
const MODEL_DATA: Record<RiskModelName, string> = {
  CREDIT: 'loans (sector, outstanding balance, days past due, collateral)',
  LIQUIDITY: 'liquidity positions (HQLA by level, 30-day outflows and inflows)',
  MARKET: 'FX positions (long and short by currency)',
};
/** Tenant suggested to bank-wide users, who act for every tenant and may type any code. */
const DEFAULT_TENANT = 'WEKEZA-KE';

/** Loads one model's view and shows its panel, or says plainly that nothing was sent yet. */
function ModelView<R>({
  model,
  tenantId,
  reloadKey,
  fetcher,
  render,
}: {
  model: RiskModelName;
  tenantId: string;
  reloadKey: number;
  fetcher: (tenantId: string, signal: AbortSignal) => Promise<{ latest: R | null; history: R[] }>;
  render: (latest: R, history: R[]) => ReactNode;
}) {
  const load = useCallback((signal: AbortSignal) => fetcher(tenantId, signal), [fetcher, tenantId]);
  const view = useApiQuery(`risk-model:${model}:${tenantId}:${reloadKey}`, load);
  if (view.error)
    return <ErrorState error={view.error} onRetry={() => view.refetch()} title={`Could not load the ${MODEL_LABELS[model].toLowerCase()} model`} />;
  if (!view.data) return <CardSkeleton height={360} />;
  if (!view.data.latest) return <NoModelData what={MODEL_DATA[model]} />;
  return <>{render(view.data.latest, view.data.history)}</>;
}

export function RiskModelsPage() {
  const session = useSession();
  const canRun = useCan('risk:manage');
  const own = session?.user.tenantIds ?? [];
  const bankWide = own.length === 0;
  const [params, setParams] = useSearchParams();
  const requestedModel = RiskModelName.safeParse(params.get('model'));
  const model: RiskModelName = requestedModel.success ? requestedModel.data : 'CREDIT';
  const requestedTenant = params.get('tenant');
  const tenantId = requestedTenant && (bankWide || own.includes(requestedTenant)) ? requestedTenant : (own[0] ?? DEFAULT_TENANT);
  const [tenantText, setTenantText] = useState(tenantId);
  const [reloadKey, setReloadKey] = useState(0);
  const [running, setRunning] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const choose = (next: { model?: RiskModelName; tenant?: string }) => {
    const merged = new URLSearchParams(params);
    if (next.model) merged.set('model', next.model);
    if (next.tenant) merged.set('tenant', next.tenant);
    setParams(merged, { replace: true });
  };
  const chooseTenant = (value: string | null) => {
    const parsed = TenantId.safeParse(value ?? '');
    if (parsed.success) choose({ tenant: parsed.data });
    else setTenantText(tenantId);
  };

  const runNow = async () => {
    setRunning(true);
    try {
      const { run } = await runRiskModel(tenantId, model);
      setNotice(
        run
          ? `${MODEL_LABELS[model]} model run for ${tenantId}`
          : `Nothing to run: core banking has sent no ${MODEL_DATA[model].split(' (')[0]} for ${tenantId}`,
      );
      setReloadKey((k) => k + 1);
    } catch (caught) {
      setNotice(`Run failed — ${toApiError(caught).message}`);
    } finally {
      setRunning(false);
    }
  };
  const runButton = canRun ? (
    <Button variant="contained" startIcon={<PlayArrowOutlined />} onClick={runNow} disabled={running} data-testid="risk-model-run">
      {running ? 'Running…' : 'Run now'}
    </Button>
  ) : undefined;

  return (
    <Page>
      <PageHeader
        title="Risk models"
        subtitle="Seed 001's credit, liquidity and market models, computed by the service from what core banking sends — each figure with its inputs."
        actions={
          <>
            <RefreshButton onClick={() => setReloadKey((k) => k + 1)} label="Refresh the model" />
            {runButton}
          </>
        }
      />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap', mb: 2, borderBottom: 1, borderColor: 'divider' }}>
        <Tabs value={model} onChange={(_, next: RiskModelName) => choose({ model: next })} aria-label="Risk model" sx={{ flex: 1, minWidth: 0 }}>
          {RiskModelName.options.map((m) => (
            <Tab key={m} value={m} label={MODEL_LABELS[m]} data-testid={`risk-model-tab-${m}`} />
          ))}
        </Tabs>
        <Autocomplete
          size="small"
          freeSolo={bankWide}
          disableClearable
          options={bankWide ? [DEFAULT_TENANT] : own}
          value={tenantId}
          inputValue={tenantText}
          onInputChange={(_, text) => setTenantText(text)}
          onChange={(_, value) => chooseTenant(value)}
          sx={{ width: 220, mb: 0.75 }}
          renderInput={(input) => (
            <TextField
              {...input}
              label="Tenant"
              onBlur={() => chooseTenant(tenantText.trim())}
              slotProps={{ ...input.slotProps, htmlInput: { ...input.slotProps.htmlInput, maxLength: 50, 'data-testid': 'risk-model-tenant' } }}
            />
          )}
        />
      </Box>
      {model === 'CREDIT' && (
        <ModelView
          key={`${model}:${tenantId}`}
          model={model}
          tenantId={tenantId}
          reloadKey={reloadKey}
          fetcher={fetchCreditModel}
          render={(latest, history) => <CreditModelPanel latest={latest} history={history} />}
        />
      )}
      {model === 'LIQUIDITY' && (
        <ModelView
          key={`${model}:${tenantId}`}
          model={model}
          tenantId={tenantId}
          reloadKey={reloadKey}
          fetcher={fetchLiquidityModel}
          render={(latest, history) => <LiquidityModelPanel latest={latest} history={history} />}
        />
      )}
      {model === 'MARKET' && (
        <ModelView
          key={`${model}:${tenantId}`}
          model={model}
          tenantId={tenantId}
          reloadKey={reloadKey}
          fetcher={fetchMarketModel}
          render={(latest, history) => <MarketModelPanel latest={latest} history={history} />}
        />
      )}
      <Snackbar open={!!notice} autoHideDuration={5000} onClose={() => setNotice(null)} message={notice} />
    </Page>
  );
}
