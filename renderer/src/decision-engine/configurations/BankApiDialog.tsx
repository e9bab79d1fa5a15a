// The bank fraud-engine dialog (seed 003): endpoint, authentication with write-only credentials,
// plain headers, request template, response mapping, how the engine's answer combines with the
// local rules, timeouts, retry, circuit breaker and fallback — and a live connection test.
import { useMemo, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Divider from '@mui/material/Divider';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTheme } from '@mui/material/styles';
import { Decision } from '../../../../shared/src/assessments.ts';
import type {
  CombinationMode,
  FallbackMode,
  BankApiAuth,
  BankApiSettingsInput,
  CircuitBreakerConfig,
  CredentialsSet,
  FallbackConfig,
  RetryConfig,
  TimeoutConfig,
} from '../../../../shared/src/decision-engine.ts';
import { EXAMPLE_BANK_API } from '../../../../shared/src/decision-engine-defaults.ts';
import { PaymentInput } from '../../../../shared/src/payments.ts';
import { FONT_MONO } from '../../app/theme.ts';
import { softChipSx } from '../../ui/chips.tsx';
import { BankApiTestPanel } from './BankApiTestPanel.tsx';
import {
  ChipListInput,
  FieldGrid,
  FormProvider,
  KeyValueEditor,
  NumberInput,
  OptionalTextInput,
  SelectInput,
  SubHeading,
  SwitchInput,
  TextInput,
  WeightInput,
  type SelectOption,
} from './fields.tsx';
import { countErrorsUnder, mergeErrors, NO_ERRORS, validateForm, type FieldErrors, type FormValue } from './formModel.ts';
import { DECISION_OPTIONS } from './sections.tsx';

/** What the dialog edits: the engine settings and the resilience settings around the call. */
export interface BankEngineSettings {
  bank: BankApiSettingsInput | null;
  timeoutConfig: TimeoutConfig;
  retryConfig: RetryConfig;
  circuitBreakerConfig: CircuitBreakerConfig;
  fallbackConfig: FallbackConfig;
}
const DIALOG_PATHS = ['bankFraudApiConfig', 'timeoutConfig', 'retryConfig', 'circuitBreakerConfig', 'fallbackConfig'];

export function withBankEngineSettings(value: FormValue, settings: BankEngineSettings): FormValue {
  return {
    ...value,
    bankFraudApiConfig: settings.bank,
    timeoutConfig: settings.timeoutConfig,
    retryConfig: settings.retryConfig,
    circuitBreakerConfig: settings.circuitBreakerConfig,
    fallbackConfig: settings.fallbackConfig,
  };
}

export function bankEngineSettingsOf(value: FormValue): BankEngineSettings {
  return {
    bank: value.bankFraudApiConfig,
    timeoutConfig: value.timeoutConfig,
    retryConfig: value.retryConfig,
    circuitBreakerConfig: value.circuitBreakerConfig,
    fallbackConfig: value.fallbackConfig,
  };
}

const AUTH_OPTIONS: SelectOption<BankApiAuth['kind']>[] = [
  { value: 'NONE', label: 'None', hint: 'Only on a private network' },
  { value: 'API_KEY', label: 'API key header', hint: 'A key in a header of your choice' },
  { value: 'BASIC', label: 'Basic (username and password)' },
  { value: 'BEARER', label: 'Bearer token' },
  { value: 'CUSTOM_HEADERS', label: 'Custom secret headers', hint: 'Several headers whose values are credentials' },
];
const COMBINATION_OPTIONS: SelectOption<CombinationMode>[] = [
  { value: 'HIGHEST_RISK', label: 'Highest risk wins', hint: 'The more severe of the engine’s and the local decision' },
  { value: 'WEIGHTED', label: 'Weighted score', hint: 'Blend the two scores with the engine weight' },
  { value: 'ENGINE_OVERRIDES', label: 'Engine decides', hint: 'The engine’s answer replaces the local one when it answers' },
];
const FALLBACK_OPTIONS: SelectOption<FallbackMode>[] = [
  { value: 'LOCAL_RULES_ONLY', label: 'Local rules only', hint: 'Decide on the local rules as if no engine were configured' },
  { value: 'APPROVE', label: 'Approve', hint: 'Let the payment through' },
  { value: 'HOLD', label: 'Hold', hint: 'Hold the payment for an analyst' },
  { value: 'REJECT', label: 'Reject', hint: 'Refuse the payment' },
];

function defaultAuth(kind: BankApiAuth['kind']): BankApiAuth {
  switch (kind) {
    case 'NONE':
      return { kind };
    case 'API_KEY':
      return { kind, headerName: 'X-Api-Key' };
    case 'BASIC':
      return { kind, username: '' };
    case 'BEARER':
      return { kind };
    case 'CUSTOM_HEADERS':
      return { kind, headerNames: [] };
  }
}

/** The placeholders a request template may use. */
export const TEMPLATE_PLACEHOLDERS: readonly { name: string; hint: string }[] = [
  ...Object.keys(PaymentInput.shape).map((key) => ({ name: `payment.${key}`, hint: `The payment's ${key}` })),
  { name: 'amountKes', hint: 'The amount converted to KES' },
  { name: 'local.riskScore', hint: 'The local rules’ score (0–1)' },
  { name: 'local.riskLevel', hint: 'The local rules’ risk level' },
  { name: 'assessmentId', hint: 'This assessment’s id (FRA-…)' },
  { name: 'now', hint: 'The current time (ISO 8601)' },
];
const KNOWN_PLACEHOLDERS = new Set(TEMPLATE_PLACEHOLDERS.map((p) => p.name));

export function templateCheck(template: string): { ok: boolean; message: string; unknown: string[] } {
  const unknown = [...new Set([...template.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)].map((m) => m[1] ?? '').filter((n) => !KNOWN_PLACEHOLDERS.has(n)))];
  try {
    JSON.parse(template);
    return { ok: true, message: 'Valid JSON', unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : 'Not valid JSON', unknown };
  }
}

function CredentialState({ set, typed, testId }: { set: boolean; typed: boolean; testId?: string }) {
  const theme = useTheme();
  const colour = typed ? theme.palette.status.info : set ? theme.palette.status.success : theme.palette.status.warning;
  const label = typed ? (set ? 'Will be replaced' : 'Will be set') : set ? 'Set' : 'Not set';
  return <Chip label={label} data-testid={testId} data-set={String(set)} sx={[softChipSx(colour, theme), { height: 20, fontSize: 11 }]} />;
}

/** A write-only secret: empty means "keep what is stored"; only a typed value is sent. */
function SecretInput({
  path,
  label,
  value,
  set,
  onChange,
  testId,
}: {
  path: string;
  label: string;
  value: string | undefined;
  set: boolean;
  onChange: (value: string | undefined) => void;
  testId?: string;
}) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1 }}>
      <TextInput
        path={path}
        label={label}
        type="password"
        autoComplete="new-password"
        value={value ?? ''}
        onChange={(text) => onChange(text === '' ? undefined : text)}
        placeholder={set ? '•••••••• (stored — type to replace)' : 'Not set'}
        helper={set ? 'Stored encrypted; never shown. Leave empty to keep it.' : 'Stored encrypted; never shown again.'}
        testId={testId}
        mono
      />
      <Box sx={{ pt: 1 }}>
        <CredentialState set={set} typed={!!value} testId={testId ? `${testId}-state` : undefined} />
      </Box>
    </Box>
  );
}

function TemplateEditor({ value, onChange, readOnly }: { value: string; onChange: (value: string) => void; readOnly: boolean }) {
  const ref = useRef<HTMLTextAreaElement | HTMLInputElement | null>(null);
  const check = useMemo(() => templateCheck(value), [value]);
  const insert = (name: string) => {
    const token = `"{{${name}}}"`;
    const el = ref.current;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    onChange(value.slice(0, start) + token + value.slice(end));
    window.requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + token.length, start + token.length);
    });
  };
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'minmax(0, 1fr) 230px' }, gap: 1.5 }}>
      <Box>
        <TextInput
          path="bankFraudApiConfig.requestTemplate"
          label="Request template (JSON)"
          value={value}
          onChange={onChange}
          multiline
          minRows={12}
          maxRows={24}
          mono
          testId="bank-api-template"
          inputRef={ref}
        />
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 0.75, flexWrap: 'wrap' }}>
          <Typography
            variant="caption"
            data-testid="bank-api-template-check"
            data-valid={String(check.ok)}
            sx={{ color: check.ok ? 'success.main' : 'error.main', fontWeight: 600 }}
          >
            {check.ok ? '✓ Valid JSON' : `✗ ${check.message}`}
          </Typography>
          {check.unknown.length > 0 && (
            <Typography variant="caption" sx={{ color: 'warning.main' }}>
              Unknown placeholder{check.unknown.length > 1 ? 's' : ''}: {check.unknown.map((n) => `{{${n}}}`).join(', ')}
            </Typography>
          )}
          <Box sx={{ flex: 1 }} />
          {!readOnly && check.ok && (
            <Button size="small" onClick={() => onChange(JSON.stringify(JSON.parse(value), null, 2))}>
              Format
            </Button>
          )}
        </Box>
      </Box>
      <Box sx={{ border: 1, borderColor: 'divider', borderRadius: 2, p: 1.25, maxHeight: 360, overflow: 'auto' }} data-testid="bank-api-placeholders">
        <Typography variant="overline" sx={{ color: 'text.secondary' }}>
          Placeholders
        </Typography>
        <Typography variant="caption" component="p" sx={{ color: 'text.secondary', mb: 1 }}>
          A placeholder that is a whole JSON value keeps its type (numbers stay numbers); inside a longer string it is interpolated.{' '}
          {!readOnly && 'Click to insert at the cursor.'}
        </Typography>
        <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.5 }}>
          {TEMPLATE_PLACEHOLDERS.map((p) => (
            <Tooltip key={p.name} title={p.hint} placement="left">
              <Chip
                label={`{{${p.name}}}`}
                size="small"
                variant="outlined"
                onClick={readOnly ? undefined : () => insert(p.name)}
                sx={{ fontFamily: FONT_MONO, fontSize: 11, height: 22, fontWeight: 500 }}
              />
            </Tooltip>
          ))}
        </Box>
      </Box>
    </Box>
  );
}

export function BankApiDialog({
  open,
  initial,
  credentialsSet,
  readOnly,
  serverErrors,
  formValue,
  test,
  onApply,
  onClose,
}: {
  open: boolean;
  initial: BankEngineSettings;
  credentialsSet: CredentialsSet | null;
  readOnly: boolean;
  serverErrors: FieldErrors;
  /** The rest of the form, to validate the dialog's part with the one shared schema. */
  formValue: FormValue;
  /** Where a connection test can run (a saved configuration), and what it tests. */
  test: { configurationId: string; hasDraft: boolean; formDirty: boolean } | null;
  onApply: (settings: BankEngineSettings) => void;
  onClose: () => void;
}) {
  const [settings, setSettings] = useState<BankEngineSettings>(() => ({
    ...structuredClone(initial),
    bank: initial.bank ? structuredClone(initial.bank) : structuredClone(EXAMPLE_BANK_API),
  }));
  const [changed, setChanged] = useState(false);
  const bank = settings.bank ?? EXAMPLE_BANK_API;
  const creds = credentialsSet ?? { apiKey: false, password: false, token: false, headerNames: [] };

  const errors = useMemo(() => {
    const { errors: all } = validateForm(withBankEngineSettings(formValue, settings));
    const mine = new Map([...all].filter(([path]) => DIALOG_PATHS.some((p) => path === p || path.startsWith(`${p}.`))));
    return mergeErrors(mine, changed ? NO_ERRORS : serverErrors);
  }, [formValue, settings, serverErrors, changed]);
  const errorCount = DIALOG_PATHS.reduce((sum, p) => sum + countErrorsUnder(errors, p), 0);

  const update = (patch: Partial<BankEngineSettings>) => {
    setSettings((s) => ({ ...s, ...patch }));
    setChanged(true);
  };
  const setBank = (patch: Partial<BankApiSettingsInput>) => update({ bank: { ...bank, ...patch } });
  const setCredentials = (patch: Partial<NonNullable<BankApiSettingsInput['credentials']>>) => {
    const next = { ...bank.credentials, ...patch };
    const cleaned = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined));
    setBank({ credentials: Object.keys(cleaned).length ? cleaned : undefined });
  };
  const auth = bank.auth;
  const mapping = bank.responseMapping;
  const p = 'bankFraudApiConfig';

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="md" scroll="paper" aria-labelledby="bank-api-title" data-testid="bank-api-dialog">
      <DialogTitle id="bank-api-title" sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Box sx={{ flex: 1 }}>
          Bank fraud engine
          <Typography variant="body2" sx={{ color: 'text.secondary', fontWeight: 400 }}>
            The bank’s own fraud engine, called for every payment this configuration scores.
          </Typography>
        </Box>
        {readOnly && <Chip label="Read-only" size="small" />}
      </DialogTitle>
      <DialogContent dividers>
        <FormProvider value={{ errors, readOnly }}>
          <SwitchInput
            label="Call the bank’s fraud engine"
            checked={bank.enabled}
            onChange={(enabled) => setBank({ enabled })}
            helper="Off keeps the settings but decides on the local rules alone."
            testId="bank-api-enabled"
          />
          <SubHeading>Connection</SubHeading>
          <FieldGrid columns={4}>
            <Box sx={{ gridColumn: { md: 'span 1' } }}>
              <TextInput
                path={`${p}.name`}
                label="Name"
                value={bank.name}
                onChange={(name) => setBank({ name })}
                required
                testId="bank-api-name"
                helper="Recorded on each assessment"
              />
            </Box>
            <Box sx={{ gridColumn: { md: 'span 2' } }}>
              <TextInput
                path={`${p}.endpointUrl`}
                label="Endpoint URL"
                value={bank.endpointUrl}
                onChange={(endpointUrl) => setBank({ endpointUrl: endpointUrl.trim() })}
                required
                mono
                placeholder="https://fraud-engine.bank.local/v1/score"
                testId="bank-api-endpoint"
              />
            </Box>
            <SelectInput
              path={`${p}.method`}
              label="Method"
              value={bank.method}
              options={[
                { value: 'POST', label: 'POST' },
                { value: 'PUT', label: 'PUT' },
              ]}
              onChange={(method) => setBank({ method })}
              testId="bank-api-method"
            />
          </FieldGrid>

          <SubHeading>Authentication</SubHeading>
          <FieldGrid columns={2}>
            <SelectInput
              path={`${p}.auth.kind`}
              label="Authentication"
              value={auth.kind}
              options={AUTH_OPTIONS}
              onChange={(kind) => setBank({ auth: defaultAuth(kind) })}
              testId="bank-api-auth-kind"
            />
            {auth.kind === 'API_KEY' && (
              <TextInput
                path={`${p}.auth.headerName`}
                label="Header name"
                value={auth.headerName}
                onChange={(headerName) => setBank({ auth: { ...auth, headerName: headerName.trim() } })}
                mono
                testId="bank-api-header-name"
              />
            )}
            {auth.kind === 'BASIC' && (
              <TextInput
                path={`${p}.auth.username`}
                label="Username"
                value={auth.username}
                onChange={(username) => setBank({ auth: { ...auth, username } })}
                autoComplete="off"
                testId="bank-api-username"
              />
            )}
          </FieldGrid>
          <Box sx={{ display: 'grid', gap: 1.5, mt: auth.kind === 'NONE' ? 0 : 1.5 }}>
            {auth.kind === 'API_KEY' && (
              <SecretInput
                path={`${p}.credentials.apiKey`}
                label="API key"
                value={bank.credentials?.apiKey}
                set={creds.apiKey}
                onChange={(apiKey) => setCredentials({ apiKey })}
                testId="bank-api-api-key"
              />
            )}
            {auth.kind === 'BASIC' && (
              <SecretInput
                path={`${p}.credentials.password`}
                label="Password"
                value={bank.credentials?.password}
                set={creds.password}
                onChange={(password) => setCredentials({ password })}
                testId="bank-api-password"
              />
            )}
            {auth.kind === 'BEARER' && (
              <SecretInput
                path={`${p}.credentials.token`}
                label="Bearer token"
                value={bank.credentials?.token}
                set={creds.token}
                onChange={(token) => setCredentials({ token })}
                testId="bank-api-token"
              />
            )}
            {auth.kind === 'CUSTOM_HEADERS' && (
              <>
                <ChipListInput
                  path={`${p}.auth.headerNames`}
                  label="Secret header names"
                  values={auth.headerNames}
                  onChange={(headerNames) => setBank({ auth: { ...auth, headerNames } })}
                  validate={(v) => (/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(v) ? undefined : 'not an HTTP header name')}
                  mono
                  testId="bank-api-secret-headers"
                />
                {auth.headerNames.map((name) => (
                  <SecretInput
                    key={name}
                    path={`${p}.credentials.headerValues.${name}`}
                    label={`${name} value`}
                    value={bank.credentials?.headerValues?.[name]}
                    set={creds.headerNames.includes(name)}
                    onChange={(value) => {
                      const values = { ...bank.credentials?.headerValues };
                      if (value === undefined) delete values[name];
                      else values[name] = value;
                      setCredentials({ headerValues: Object.keys(values).length ? values : undefined });
                    }}
                    testId={`bank-api-secret-${name}`}
                  />
                ))}
              </>
            )}
            {auth.kind === 'NONE' && (
              <Alert severity="warning" variant="outlined">
                No authentication: use only when the engine is reachable on a private network.
              </Alert>
            )}
          </Box>

          <SubHeading>Plain headers</SubHeading>
          <KeyValueEditor<string>
            path={`${p}.headers`}
            record={bank.headers}
            onChange={(headers) => setBank({ headers })}
            keyLabel="Header"
            valueLabel="Value"
            newValue=""
            addLabel="Add header"
            emptyText="No extra headers."
            testId="bank-api-headers"
            renderValue={(value, onValue, rowPath) => <TextInput path={rowPath} label="Value" value={value} onChange={onValue} mono />}
          />

          <SubHeading>Request</SubHeading>
          <TemplateEditor value={bank.requestTemplate} onChange={(requestTemplate) => setBank({ requestTemplate })} readOnly={readOnly} />

          <SubHeading>Response mapping</SubHeading>
          <FieldGrid columns={4}>
            <TextInput
              path={`${p}.responseMapping.scorePath`}
              label="Score path"
              value={mapping.scorePath}
              onChange={(scorePath) => setBank({ responseMapping: { ...mapping, scorePath: scorePath.trim() } })}
              mono
              required
              testId="bank-api-score-path"
            />
            <NumberInput
              path={`${p}.responseMapping.scoreScale`}
              label="Score scale"
              value={mapping.scoreScale}
              onChange={(scoreScale) => setBank({ responseMapping: { ...mapping, scoreScale } })}
              helper="Engine score ÷ scale = 0–1"
            />
            <OptionalTextInput
              path={`${p}.responseMapping.decisionPath`}
              label="Decision path"
              value={mapping.decisionPath}
              onChange={(decisionPath) => setBank({ responseMapping: { ...mapping, decisionPath: decisionPath?.trim() || undefined } })}
              mono
              helper="Optional"
            />
            <OptionalTextInput
              path={`${p}.responseMapping.reasonPath`}
              label="Reason path"
              value={mapping.reasonPath}
              onChange={(reasonPath) => setBank({ responseMapping: { ...mapping, reasonPath: reasonPath?.trim() || undefined } })}
              mono
              helper="Optional"
            />
          </FieldGrid>
          <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mt: 1.5, mb: 0.75 }}>
            Decision map — the engine’s decision codes and ours
          </Typography>
          <KeyValueEditor<Decision>
            path={`${p}.responseMapping.decisionMap`}
            record={mapping.decisionMap}
            onChange={(decisionMap) => setBank({ responseMapping: { ...mapping, decisionMap } })}
            keyLabel="Engine code"
            valueLabel="Our decision"
            newValue={Decision.enum.MANUAL_REVIEW}
            addLabel="Add code"
            emptyText="No codes mapped: only the score is used."
            testId="bank-api-decision-map"
            renderValue={(value, onValue, rowPath) => (
              <SelectInput path={rowPath} label="Decision" value={value} options={DECISION_OPTIONS} onChange={onValue} />
            )}
          />

          <SubHeading>Combining with the local rules</SubHeading>
          <FieldGrid columns={2}>
            <SelectInput
              path={`${p}.combination.mode`}
              label="Combination"
              value={bank.combination.mode}
              options={COMBINATION_OPTIONS}
              onChange={(mode) => setBank({ combination: { ...bank.combination, mode } })}
              testId="bank-api-combination"
            />
            <Box sx={{ pt: 0.5, opacity: bank.combination.mode === 'WEIGHTED' ? 1 : 0.5 }}>
              <WeightInput
                path={`${p}.combination.engineWeight`}
                label="Engine share"
                value={bank.combination.engineWeight}
                onChange={(engineWeight) => setBank({ combination: { ...bank.combination, engineWeight } })}
              />
            </Box>
          </FieldGrid>

          <Divider sx={{ my: 2 }} />
          <SubHeading>Timeouts</SubHeading>
          <FieldGrid columns={2}>
            <NumberInput
              path="timeoutConfig.bankApiTimeoutMs"
              label="One engine call"
              unit="ms"
              value={settings.timeoutConfig.bankApiTimeoutMs}
              onChange={(bankApiTimeoutMs) => update({ timeoutConfig: { ...settings.timeoutConfig, bankApiTimeoutMs } })}
              testId="bank-api-timeout"
            />
            <NumberInput
              path="timeoutConfig.assessmentTimeoutMs"
              label="Whole assessment (retries included)"
              unit="ms"
              value={settings.timeoutConfig.assessmentTimeoutMs}
              onChange={(assessmentTimeoutMs) => update({ timeoutConfig: { ...settings.timeoutConfig, assessmentTimeoutMs } })}
            />
          </FieldGrid>
          <SubHeading>Retry</SubHeading>
          <FieldGrid columns={4}>
            <NumberInput
              path="retryConfig.maxRetries"
              label="Max retries"
              value={settings.retryConfig.maxRetries}
              step={1}
              onChange={(maxRetries) => update({ retryConfig: { ...settings.retryConfig, maxRetries } })}
              testId="bank-api-max-retries"
            />
            <NumberInput
              path="retryConfig.initialDelayMs"
              label="First delay"
              unit="ms"
              value={settings.retryConfig.initialDelayMs}
              onChange={(initialDelayMs) => update({ retryConfig: { ...settings.retryConfig, initialDelayMs } })}
            />
            <NumberInput
              path="retryConfig.maxDelayMs"
              label="Max delay"
              unit="ms"
              value={settings.retryConfig.maxDelayMs}
              onChange={(maxDelayMs) => update({ retryConfig: { ...settings.retryConfig, maxDelayMs } })}
            />
            <NumberInput
              path="retryConfig.multiplier"
              label="Multiplier"
              unit="×"
              value={settings.retryConfig.multiplier}
              step={0.5}
              onChange={(multiplier) => update({ retryConfig: { ...settings.retryConfig, multiplier } })}
            />
          </FieldGrid>
          <SwitchInput
            label="Jitter (randomise each delay so many clients do not retry in step)"
            checked={settings.retryConfig.jitter}
            onChange={(jitter) => update({ retryConfig: { ...settings.retryConfig, jitter } })}
          />
          <SubHeading>Circuit breaker</SubHeading>
          <FieldGrid columns={3}>
            <SwitchInput
              label="Enabled"
              checked={settings.circuitBreakerConfig.enabled}
              onChange={(enabled) => update({ circuitBreakerConfig: { ...settings.circuitBreakerConfig, enabled } })}
              testId="bank-api-breaker-enabled"
            />
            <NumberInput
              path="circuitBreakerConfig.failureThreshold"
              label="Opens after"
              unit="failures in a row"
              value={settings.circuitBreakerConfig.failureThreshold}
              step={1}
              onChange={(failureThreshold) => update({ circuitBreakerConfig: { ...settings.circuitBreakerConfig, failureThreshold } })}
            />
            <NumberInput
              path="circuitBreakerConfig.halfOpenAfterMs"
              label="Trial call after"
              unit="ms"
              value={settings.circuitBreakerConfig.halfOpenAfterMs}
              onChange={(halfOpenAfterMs) => update({ circuitBreakerConfig: { ...settings.circuitBreakerConfig, halfOpenAfterMs } })}
            />
          </FieldGrid>
          <SubHeading>When the engine cannot answer</SubHeading>
          <FieldGrid columns={2}>
            <SelectInput
              path="fallbackConfig.mode"
              label="Fallback"
              value={settings.fallbackConfig.mode}
              options={FALLBACK_OPTIONS}
              onChange={(mode) => update({ fallbackConfig: { mode } })}
              testId="bank-api-fallback"
            />
          </FieldGrid>

          <Divider sx={{ my: 2 }} />
          <BankApiTestPanel test={test} dialogChanged={changed} />
        </FormProvider>
      </DialogContent>
      <DialogActions>
        {!readOnly && initial.bank && (
          <Button
            color="error"
            onClick={() => {
              onApply({ ...settings, bank: null });
            }}
            data-testid="bank-api-remove"
          >
            Remove integration
          </Button>
        )}
        <Box sx={{ flex: 1 }} />
        {errorCount > 0 && (
          <Typography variant="caption" sx={{ color: 'error.main', mr: 1 }}>
            {errorCount} {errorCount === 1 ? 'field needs' : 'fields need'} attention
          </Typography>
        )}
        <Button onClick={onClose} color="inherit">
          {readOnly ? 'Close' : 'Cancel'}
        </Button>
        {!readOnly && (
          <Button variant="contained" disabled={errorCount > 0} onClick={() => onApply(settings)} data-testid="bank-api-save">
            Apply
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
