// "Is the fraud engine on for this payment?" — the resolver's answer for a context at an instant
// (now by default), the configuration that decided it, and every candidate with why it lost.
// With "now", the answer is checked again whenever a toggle changes or a window opens or closes.
import { useEffect, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CircularProgress from '@mui/material/CircularProgress';
import Link from '@mui/material/Link';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import PowerOffOutlined from '@mui/icons-material/PowerOffOutlined';
import PowerSettingsNewOutlined from '@mui/icons-material/PowerSettingsNewOutlined';
import SearchIcon from '@mui/icons-material/Search';
import { ToggleCheckQuery, type ToggleResolution } from '../../../shared/src/toggles.ts';
import { toApiError, type ApiError } from '../api/client.ts';
import { useLiveRefresh } from '../api/useLiveRefresh.ts';
import { FieldGrid, TextInput } from '../decision-engine/configurations/fields.tsx';
import { formatEat, formatEatShort } from '../lib/format.ts';
import { SectionCard } from '../ui/layout.tsx';
import { Mono } from '../ui/values.tsx';
import { EatDateTimeField, INCOMPLETE, incompleteMessage } from '../ui/EatDateTimeField.tsx';
import { BEHAVIOUR_LABELS, eatInText, EngineSwitchChip, LevelChip, VerdictChip, verdictKind } from './toggleChips.tsx';
import { checkToggle } from './togglesApi.ts';

interface CheckForm {
  tenantId: string;
  paymentType: string;
  localInstrumentationCode: string;
  clearingSystemCode: string;
  /** null = now. */
  at: string | null;
}

const EMPTY: CheckForm = { tenantId: '', paymentType: '', localInstrumentationCode: '', clearingSystemCode: '', at: null };

function toQuery(form: CheckForm): ToggleCheckQuery {
  const opt = (v: string) => (v.trim() === '' ? undefined : v.trim());
  return {
    tenantId: form.tenantId.trim(),
    paymentType: opt(form.paymentType),
    localInstrumentationCode: opt(form.localInstrumentationCode),
    clearingSystemCode: opt(form.clearingSystemCode),
    at: form.at ?? undefined,
  };
}

function ResultCard({ result }: { result: ToggleResolution }) {
  const theme = useTheme();
  const colour = result.enabled ? theme.palette.status.success : theme.palette.status.danger;
  return (
    <Card
      data-testid="status-result"
      data-enabled={String(result.enabled)}
      data-at={result.at}
      sx={{
        p: 2.25,
        display: 'flex',
        gap: 2.25,
        alignItems: 'center',
        borderColor: alpha(colour, 0.5),
        bgcolor: alpha(colour, theme.palette.mode === 'dark' ? 0.1 : 0.05),
        flexWrap: 'wrap',
      }}
    >
      <Box
        sx={{
          width: 56,
          height: 56,
          borderRadius: 3,
          display: 'grid',
          placeItems: 'center',
          color: colour,
          bgcolor: alpha(colour, 0.14),
          '& svg': { fontSize: 32 },
        }}
      >
        {result.enabled ? <PowerSettingsNewOutlined /> : <PowerOffOutlined />}
      </Box>
      <Box sx={{ flex: 1, minWidth: 240 }}>
        <Typography variant="overline" sx={{ color: 'text.secondary' }}>
          Fraud engine at {formatEat(result.at)}
        </Typography>
        <Typography sx={{ fontSize: 30, fontWeight: 750, letterSpacing: '0.02em', lineHeight: 1.1, color: colour }}>
          {result.enabled ? 'ENABLED' : 'DISABLED'}
        </Typography>
        <Typography variant="body2" sx={{ mt: 0.5 }} data-testid="status-reason">
          {eatInText(result.reason)}
        </Typography>
        {!result.enabled && result.disabledBehaviour && (
          <Typography variant="body2" sx={{ color: 'text.secondary', mt: 0.25 }}>
            Meanwhile: {BEHAVIOUR_LABELS[result.disabledBehaviour].toLowerCase()}
          </Typography>
        )}
      </Box>
      <Box sx={{ minWidth: 220 }}>
        <Typography variant="overline" sx={{ color: 'text.secondary', display: 'block' }}>
          Decided by
        </Typography>
        {result.matchedConfigurationId ? (
          <Link
            component={RouterLink}
            to={`/fraud-api-toggles/configurations?state=all&highlight=${encodeURIComponent(result.matchedConfigurationId)}`}
            data-testid="status-winner-link"
            sx={{ fontFamily: 'inherit', fontSize: 13.5, fontWeight: 600 }}
          >
            The winning configuration →
          </Link>
        ) : (
          <Typography variant="body2" sx={{ color: 'text.secondary' }}>
            No configuration applies: the default
          </Typography>
        )}
      </Box>
    </Card>
  );
}

function Candidates({ result }: { result: ToggleResolution }) {
  const theme = useTheme();
  const span = (from: string | null, until: string | null) => `${from ? formatEatShort(from) : 'always'} → ${until ? formatEatShort(until) : 'no end'}`;
  return (
    <SectionCard
      title="Candidates"
      subtitle="Every configuration of the tenant that matches this context, in the order they were weighed"
      padded={false}
      testId="status-candidates"
    >
      {result.candidates.length === 0 ? (
        <Typography variant="body2" sx={{ color: 'text.secondary', px: 2.25, pb: 2 }}>
          No configuration matches this context.
        </Typography>
      ) : (
        <Table size="small" aria-label="Candidate configurations">
          <TableHead>
            <TableRow>
              <TableCell sx={{ pl: 2.25 }}>Level</TableCell>
              <TableCell align="right">Specificity</TableCell>
              <TableCell align="right">Priority</TableCell>
              <TableCell>Engine</TableCell>
              <TableCell>Window (EAT)</TableCell>
              <TableCell>Verdict</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {result.candidates.map((c) => {
              const winner = c.verdict === 'winner';
              return (
                <TableRow
                  key={c.id}
                  data-testid="status-candidate"
                  data-verdict={verdictKind(c.verdict)}
                  data-candidate-id={c.id}
                  sx={
                    winner
                      ? {
                          bgcolor: alpha(theme.palette.status.success, theme.palette.mode === 'dark' ? 0.1 : 0.06),
                          boxShadow: `inset 3px 0 0 ${theme.palette.status.success}`,
                        }
                      : undefined
                  }
                >
                  <TableCell sx={{ pl: 2.25 }}>
                    <LevelChip level={c.level} />
                  </TableCell>
                  <TableCell align="right">
                    <Mono>{c.specificity}</Mono>
                  </TableCell>
                  <TableCell align="right">
                    <Mono>{c.priority}</Mono>
                  </TableCell>
                  <TableCell>
                    <EngineSwitchChip enabled={c.isEnabled} />
                  </TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap', fontVariantNumeric: 'tabular-nums' }}>{span(c.effectiveFrom, c.effectiveUntil)}</TableCell>
                  <TableCell>
                    <VerdictChip verdict={c.verdict} />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </SectionCard>
  );
}

export function StatusCheckTab() {
  const [form, setForm] = useState<CheckForm>(EMPTY);
  const [checked, setChecked] = useState<ToggleCheckQuery | null>(null);
  const [result, setResult] = useState<ToggleResolution | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);

  const query = toQuery(form);
  const parsed = ToggleCheckQuery.safeParse(query);
  const incomplete = form.at === INCOMPLETE;
  const tenantMissing = form.tenantId.trim() === '';

  // Runs the last submitted check again (live refresh) or a new one (tick changes on "Check").
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` re-runs the last submitted check (live refresh or the Check button).
  useEffect(() => {
    if (!checked) return;
    const controller = new AbortController();
    setBusy(true);
    checkToggle(checked, controller.signal)
      .then((answer) => {
        if (controller.signal.aborted) return;
        setResult(answer);
        setError(null);
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(toApiError(caught));
      })
      .finally(() => {
        if (!controller.signal.aborted) setBusy(false);
      });
    return () => controller.abort();
  }, [checked, tick]);

  useLiveRefresh(['toggle.changed'], () => setTick((t) => t + 1), { enabled: !!checked && !checked.at });

  const run = () => {
    if (!parsed.success || incomplete) return;
    setChecked(parsed.data);
    setTick((t) => t + 1);
  };
  const set = (key: keyof CheckForm, value: string | null) => setForm((f) => ({ ...f, [key]: value }));

  return (
    <Box data-testid="toggles-status-tab" sx={{ display: 'flex', flexDirection: 'column', gap: 2, maxWidth: 1200 }}>
      <Card sx={{ p: 2.25 }}>
        <Box
          component="form"
          onSubmit={(e) => {
            e.preventDefault();
            run();
          }}
        >
          <FieldGrid columns={5} sx={{ gridTemplateColumns: { md: 'repeat(4, minmax(0, 1fr)) minmax(210px, 1.2fr)' } }}>
            <TextInput
              path="tenantId"
              label="Tenant"
              required
              mono
              value={form.tenantId}
              onChange={(v) => set('tenantId', v)}
              testId="status-tenant"
              placeholder="WEKEZA-KE"
              maxLength={50}
            />
            <TextInput
              path="paymentType"
              label="Payment type"
              mono
              value={form.paymentType}
              onChange={(v) => set('paymentType', v)}
              testId="status-payment-type"
              maxLength={50}
            />
            <TextInput
              path="localInstrumentationCode"
              label="Local instrument"
              mono
              value={form.localInstrumentationCode}
              onChange={(v) => set('localInstrumentationCode', v)}
              testId="status-local-instrument"
              maxLength={50}
            />
            <TextInput
              path="clearingSystemCode"
              label="Clearing system"
              mono
              value={form.clearingSystemCode}
              onChange={(v) => set('clearingSystemCode', v)}
              testId="status-clearing-system"
              maxLength={50}
            />
            <EatDateTimeField
              label="At (EAT)"
              value={form.at}
              onChange={(v) => set('at', v)}
              testId="status-at"
              error={incomplete ? `${incompleteMessage()}, or clear it for now` : undefined}
              helper={form.at ? 'Clear for “now”' : 'Empty: now (re-checked live)'}
            />
          </FieldGrid>
          <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5, mt: 1.5 }}>
            <Button
              type="submit"
              variant="contained"
              data-testid="status-check"
              disabled={tenantMissing || incomplete || busy}
              startIcon={busy ? <CircularProgress size={16} color="inherit" /> : <SearchIcon fontSize="small" />}
            >
              Check
            </Button>
            {form.at && (
              <Button size="small" onClick={() => set('at', null)}>
                Use now
              </Button>
            )}
            <Typography variant="caption" sx={{ color: 'text.secondary' }}>
              Empty boxes match configurations that leave that level open.
              {checked && !checked.at ? ' The result follows changes live.' : ''}
            </Typography>
          </Box>
        </Box>
      </Card>
      {error && <Alert severity="error">{error.message}</Alert>}
      {result && (
        <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, opacity: busy ? 0.7 : 1, transition: 'opacity 120ms' }}>
          <ResultCard result={result} />
          <Candidates result={result} />
        </Box>
      )}
      {!result && !error && (
        <Typography variant="body2" sx={{ color: 'text.secondary' }}>
          Enter a payment’s context and press Check to see whether the bank’s fraud engine is called for it, and which configuration decides.
        </Typography>
      )}
    </Box>
  );
}
