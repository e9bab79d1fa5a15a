// The bank engine's summary on the configuration page; "Configure" opens the dialog.
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import type { CredentialsSet, FraudRiskHealth } from '../../../../shared/src/decision-engine.ts';
import { formatEat, humanise } from '../../lib/format.ts';
import { softChipSx } from '../../ui/chips.tsx';
import { Field, Mono } from '../../ui/values.tsx';
import { BreakerChip } from '../engineChips.tsx';
import type { BankEngineSettings } from './BankApiDialog.tsx';

export type EngineHealth = FraudRiskHealth['bankEngines'][number];

export function EngineStateChip({ enabled }: { enabled: boolean }) {
  const theme = useTheme();
  return (
    <Chip
      label={enabled ? 'On' : 'Off'}
      data-engine-enabled={String(enabled)}
      sx={softChipSx(enabled ? theme.palette.status.success : theme.palette.status.neutral, theme)}
    />
  );
}

function credentialSummary(settings: NonNullable<BankEngineSettings['bank']>, set: CredentialsSet | null): string {
  const typed = settings.credentials;
  const state = (stored: boolean, pending: boolean) => (pending ? 'new value pending save' : stored ? 'set' : 'not set');
  switch (settings.auth.kind) {
    case 'NONE':
      return 'No authentication';
    case 'API_KEY':
      return `API key in ${settings.auth.headerName} · ${state(!!set?.apiKey, !!typed?.apiKey)}`;
    case 'BASIC':
      return `Basic as ${settings.auth.username || '—'} · password ${state(!!set?.password, !!typed?.password)}`;
    case 'BEARER':
      return `Bearer token · ${state(!!set?.token, !!typed?.token)}`;
    case 'CUSTOM_HEADERS': {
      const names = settings.auth.headerNames;
      const stored = names.filter((n) => set?.headerNames.includes(n) || typed?.headerValues?.[n]).length;
      return `${names.length} secret header${names.length === 1 ? '' : 's'} · ${stored} of ${names.length} set`;
    }
  }
}

export function BankEngineSummary({
  settings,
  credentialsSet,
  health,
}: {
  settings: BankEngineSettings;
  credentialsSet: CredentialsSet | null;
  health: EngineHealth | null;
}) {
  const bank = settings.bank;
  if (!bank) {
    return (
      <Box data-testid="bank-engine-summary" data-configured="false" sx={{ py: 1 }}>
        <Typography variant="body2">No bank fraud engine is configured: the local rules decide alone.</Typography>
        <Typography variant="caption" sx={{ color: 'text.secondary' }}>
          Configure the bank’s own engine to send it every payment this configuration scores and combine its answer with the rules.
        </Typography>
      </Box>
    );
  }
  const { timeoutConfig: t, retryConfig: r, circuitBreakerConfig: b, fallbackConfig: f } = settings;
  return (
    <Box data-testid="bank-engine-summary" data-configured="true">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1.5, flexWrap: 'wrap' }}>
        <EngineStateChip enabled={bank.enabled} />
        {health && <BreakerChip state={health.breakerState} />}
        <Typography variant="body2" sx={{ fontWeight: 600 }}>
          {bank.name}
        </Typography>
        <Mono sx={{ color: 'text.secondary', fontSize: 12 }} noWrap>
          {bank.method} {bank.endpointUrl}
        </Mono>
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr 1fr', md: 'repeat(4, minmax(0, 1fr))' }, gap: 1.5 }}>
        <Field label="Authentication">{credentialSummary(bank, credentialsSet)}</Field>
        <Field label="Combination">
          {humanise(bank.combination.mode)}
          {bank.combination.mode === 'WEIGHTED' ? ` · engine ${Math.round(bank.combination.engineWeight * 100)}%` : ''}
        </Field>
        <Field label="Timeouts">{`${t.bankApiTimeoutMs} ms per call · ${t.assessmentTimeoutMs} ms in all`}</Field>
        <Field label="Retry">
          {r.maxRetries === 0
            ? 'No retries'
            : `${r.maxRetries}× from ${r.initialDelayMs} ms (×${r.multiplier}, max ${r.maxDelayMs} ms${r.jitter ? ', jitter' : ''})`}
        </Field>
        <Field label="Circuit breaker">
          {b.enabled ? `Opens after ${b.failureThreshold} failures · trial after ${Math.round(b.halfOpenAfterMs / 1000)} s` : 'Off'}
        </Field>
        <Field label="Fallback">{humanise(f.mode)}</Field>
        <Field label="Response">{`score ${bank.responseMapping.scorePath} ÷ ${bank.responseMapping.scoreScale}`}</Field>
        <Field label="Last success">{health?.lastSuccessAt ? formatEat(health.lastSuccessAt) : null}</Field>
      </Box>
      {health?.lastError && (
        <Typography variant="caption" component="p" sx={{ color: 'error.main', mt: 1 }}>
          Last error: {health.lastError}
        </Typography>
      )}
    </Box>
  );
}
