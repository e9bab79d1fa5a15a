// The plain sections of the configuration form: basics, thresholds & decisions, monitoring &
// alerting. The rule editor and the bank engine have their own files.
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { alpha, useTheme } from '@mui/material/styles';
import AddIcon from '@mui/icons-material/Add';
import DeleteOutline from '@mui/icons-material/DeleteOutlineOutlined';
import { Decision, type RiskAssessmentType, RiskLevel } from '../../../../shared/src/assessments.ts';
import { AlertChannel, type AlertingConfig, type DecisionCriteria, type MonitoringConfig, type Thresholds } from '../../../../shared/src/decision-engine.ts';
import type { PaymentSource } from '../../../../shared/src/payments.ts';
import { humanise } from '../../lib/format.ts';
import { DECISION_LABELS } from '../../ui/chips.tsx';
import { Mono } from '../../ui/values.tsx';
import {
  ChipListInput,
  FieldGrid,
  NumberInput,
  OptionalTextInput,
  SelectInput,
  SubHeading,
  SwitchInput,
  TextInput,
  useForm,
  type SelectOption,
} from './fields.tsx';
import type { FormValue } from './formModel.ts';

export const PAYMENT_SOURCE_OPTIONS: SelectOption<PaymentSource>[] = [
  { value: 'BANK_CLIENT', label: 'Bank client', hint: 'Payments our customers initiate' },
  { value: 'CLEARING_SYSTEM', label: 'Clearing system', hint: 'Incoming payments from the clearing system' },
  { value: 'BOTH', label: 'Both', hint: 'Any source' },
];
export const ASSESSMENT_TYPE_OPTIONS: SelectOption<RiskAssessmentType>[] = [
  { value: 'REAL_TIME', label: 'Real-time', hint: 'Scored while the payment engine waits' },
  { value: 'BATCH', label: 'Batch', hint: 'Queued (PENDING) and scored in the background; the payment is held' },
  { value: 'HYBRID', label: 'Hybrid', hint: 'Local rules in real time, the bank engine in the background' },
  { value: 'CUSTOM', label: 'Custom', hint: 'Bank-specific processing' },
];
export const DECISION_OPTIONS: SelectOption<Decision>[] = Decision.options.map((d) => ({ value: d, label: DECISION_LABELS[d] }));

type Patch = (patch: Partial<FormValue>) => void;

const SCOPE_CODES = [
  { path: 'paymentType', label: 'Payment type', helper: 'Empty = any (e.g. RTGS, EFT)', testId: 'payment-type' },
  { path: 'localInstrumentationCode', label: 'Local instrument', helper: 'Empty = any', testId: 'local-instrument' },
  { path: 'clearingSystemCode', label: 'Clearing system', helper: 'Empty = any (e.g. KEPSS)', testId: 'clearing-system' },
] as const;

export function BasicsSection({ value, onPatch }: { value: FormValue; onPatch: Patch }) {
  return (
    <Box sx={{ display: 'grid', gap: 1.5 }}>
      <FieldGrid columns={3}>
        <Box sx={{ gridColumn: { md: 'span 2' } }}>
          <TextInput
            path="configurationName"
            label="Name"
            value={value.configurationName}
            onChange={(configurationName) => onPatch({ configurationName })}
            required
            maxLength={100}
            testId="config-name"
          />
        </Box>
        <TextInput
          path="tenantId"
          label="Tenant"
          value={value.tenantId}
          onChange={(tenantId) => onPatch({ tenantId })}
          required
          mono
          helper="A tenant id, or * for every tenant"
          testId="config-tenant"
        />
      </FieldGrid>
      <TextInput
        path="description"
        label="Description"
        value={value.description ?? ''}
        onChange={(description) => onPatch({ description: description === '' ? null : description })}
        multiline
        minRows={2}
        maxRows={5}
        maxLength={1000}
        testId="config-description"
      />
      <SubHeading>Applies to</SubHeading>
      <FieldGrid columns={3}>
        {SCOPE_CODES.map((code) => (
          <OptionalTextInput
            key={code.path}
            path={code.path}
            label={code.label}
            value={value[code.path]}
            onChange={(text) => onPatch({ [code.path]: text })}
            mono
            helper={code.helper}
            testId={`config-${code.testId}`}
          />
        ))}
        <SelectInput
          path="paymentSource"
          label="Payment source"
          value={value.paymentSource}
          options={PAYMENT_SOURCE_OPTIONS}
          onChange={(paymentSource) => onPatch({ paymentSource })}
          testId="config-payment-source"
        />
        <SelectInput
          path="riskAssessmentType"
          label="Assessment type"
          value={value.riskAssessmentType}
          options={ASSESSMENT_TYPE_OPTIONS}
          onChange={(riskAssessmentType) => onPatch({ riskAssessmentType })}
          testId="config-assessment-type"
        />
        <NumberInput
          path="priority"
          label="Priority"
          value={value.priority}
          onChange={(priority) => onPatch({ priority })}
          step={1}
          min={1}
          helper="Lower applies first among equally specific"
          testId="config-priority"
        />
      </FieldGrid>
      <SwitchInput
        label="Enabled"
        checked={value.isEnabled}
        onChange={(isEnabled) => onPatch({ isEnabled })}
        testId="config-enabled"
        helper="A disabled configuration is never chosen for a payment."
      />
    </Box>
  );
}

/** The 0..1 score scale with the three thresholds, coloured by level. */
function ThresholdScale({ thresholds }: { thresholds: Thresholds }) {
  const theme = useTheme();
  const valid = thresholds.medium < thresholds.high && thresholds.high < thresholds.critical && thresholds.critical <= 1;
  const bounds = [0, thresholds.medium, thresholds.high, thresholds.critical, 1];
  return (
    <Box sx={{ mt: 0.5, mb: 1.5 }} aria-hidden>
      <Box sx={{ display: 'flex', height: 10, borderRadius: 5, overflow: 'hidden', opacity: valid ? 1 : 0.35 }}>
        {RiskLevel.options.map((level, i) => {
          const width = valid ? Math.max(0, (bounds[i + 1] ?? 1) - (bounds[i] ?? 0)) * 100 : 25;
          return <Box key={level} sx={{ width: `${width}%`, bgcolor: alpha(theme.palette.risk[level], 0.8) }} />;
        })}
      </Box>
      <Box sx={{ position: 'relative', height: 16, mt: 0.25 }}>
        {[0, thresholds.medium, thresholds.high, thresholds.critical, 1].map((v, i) => (
          <Mono
            key={['start', 'medium', 'high', 'critical', 'end'][i]}
            sx={{
              position: 'absolute',
              left: `${Math.min(100, Math.max(0, (Number.isFinite(v) ? v : 0) * 100))}%`,
              transform: i === 0 ? 'none' : i === 4 ? 'translateX(-100%)' : 'translateX(-50%)',
              fontSize: 10.5,
              color: 'text.secondary',
            }}
          >
            {Number.isFinite(v) ? v.toFixed(2) : '?'}
          </Mono>
        ))}
      </Box>
    </Box>
  );
}

export function ThresholdsSection({ value, onPatch }: { value: FormValue; onPatch: Patch }) {
  const theme = useTheme();
  const { readOnly } = useForm();
  const { thresholds, decisionCriteria } = value;
  const setThreshold = (patch: Partial<Thresholds>) => onPatch({ thresholds: { ...thresholds, ...patch } });
  const setCriteria = (patch: Partial<DecisionCriteria>) => onPatch({ decisionCriteria: { ...decisionCriteria, ...patch } });
  const ruleOptions: SelectOption<string>[] = value.riskRules.map((r) => ({ value: r.id, label: `${r.name} (${r.id})` }));
  const overrides = decisionCriteria.ruleOverrides;

  return (
    <Box>
      <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
        The risk score (0–1) is the sum of the contributions of the rules that fire, capped at 1. It maps to a level, and each level to a decision.
      </Typography>
      <ThresholdScale thresholds={thresholds} />
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', md: 'repeat(4, minmax(0, 1fr))' }, gap: 1.5 }}>
        {RiskLevel.options.map((level) => {
          const key = level === 'LOW' ? null : (level.toLowerCase() as keyof Thresholds);
          return (
            <Box
              key={level}
              data-testid={`level-${level}`}
              sx={{
                p: 1.25,
                borderRadius: 2,
                border: 1,
                borderColor: 'divider',
                borderTop: 3,
                borderTopColor: theme.palette.risk[level],
                display: 'grid',
                gap: 1.25,
              }}
            >
              <Typography variant="subtitle2">{humanise(level)}</Typography>
              {key ? (
                <NumberInput
                  path={`thresholds.${key}`}
                  label="From score"
                  value={thresholds[key]}
                  onChange={(v) => setThreshold({ [key]: v })}
                  step={0.05}
                  min={0}
                  max={1}
                  testId={`threshold-${key}`}
                />
              ) : (
                <TextInput path="thresholds.low" label="From score" value="0.00" onChange={() => undefined} disabled helper=" " />
              )}
              <SelectInput
                path={`decisionCriteria.byRiskLevel.${level}`}
                label="Decision"
                value={decisionCriteria.byRiskLevel[level]}
                options={DECISION_OPTIONS}
                onChange={(decision) => setCriteria({ byRiskLevel: { ...decisionCriteria.byRiskLevel, [level]: decision } })}
                testId={`decision-${level}`}
              />
            </Box>
          );
        })}
      </Box>

      <SubHeading
        action={
          !readOnly && (
            <Button
              size="small"
              startIcon={<AddIcon fontSize="small" />}
              disabled={value.riskRules.length === 0}
              onClick={() => setCriteria({ ruleOverrides: [...overrides, { ruleId: value.riskRules[0]?.id ?? '', decision: 'HOLD' }] })}
              data-testid="add-override"
            >
              Add override
            </Button>
          )
        }
      >
        Rule overrides
      </SubHeading>
      <Typography variant="body2" sx={{ color: 'text.secondary', mb: 1 }}>
        When a rule fires, the decision is at least the one named here, whatever the score (the most severe applies).
      </Typography>
      {overrides.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.disabled' }}>
          No overrides.
        </Typography>
      )}
      {overrides.map((override, index) => (
        <Box
          key={index}
          data-testid="rule-override"
          sx={{ display: 'grid', gridTemplateColumns: 'auto minmax(0, 2fr) auto minmax(0, 1fr) 36px', alignItems: 'start', gap: 1.25, mb: 1 }}
        >
          <Typography variant="body2" sx={{ color: 'text.secondary', pt: 1 }}>
            When
          </Typography>
          <SelectInput
            path={`decisionCriteria.ruleOverrides.${index}.ruleId`}
            label="Rule"
            value={override.ruleId}
            options={
              ruleOptions.some((o) => o.value === override.ruleId)
                ? ruleOptions
                : [...ruleOptions, { value: override.ruleId, label: `${override.ruleId} (removed)` }]
            }
            onChange={(ruleId) => setCriteria({ ruleOverrides: overrides.map((o, i) => (i === index ? { ...o, ruleId } : o)) })}
          />
          <Typography variant="body2" sx={{ color: 'text.secondary', pt: 1, whiteSpace: 'nowrap' }}>
            fires, at least
          </Typography>
          <SelectInput
            path={`decisionCriteria.ruleOverrides.${index}.decision`}
            label="Decision"
            value={override.decision}
            options={DECISION_OPTIONS}
            onChange={(decision) => setCriteria({ ruleOverrides: overrides.map((o, i) => (i === index ? { ...o, decision } : o)) })}
          />
          {!readOnly && (
            <Tooltip title="Remove override">
              <IconButton
                size="small"
                sx={{ mt: 0.5 }}
                onClick={() => setCriteria({ ruleOverrides: overrides.filter((_, i) => i !== index) })}
                aria-label="Remove override"
              >
                <DeleteOutline fontSize="small" />
              </IconButton>
            </Tooltip>
          )}
        </Box>
      ))}
    </Box>
  );
}

const ALERT_CHANNEL_LABELS: Record<(typeof AlertChannel.options)[number], string> = {
  EMAIL: 'Email',
  SMS: 'SMS',
  WEBHOOK: 'Webhook',
  SLACK: 'Slack',
  TEAMS: 'Microsoft Teams',
};

export function MonitoringSection({ value, onPatch }: { value: FormValue; onPatch: Patch }) {
  const monitoring = value.monitoringConfig;
  const alerting = value.alertingConfig;
  const setMonitoring = (patch: Partial<MonitoringConfig>) => onPatch({ monitoringConfig: { ...monitoring, ...patch } });
  const setAlerting = (patch: Partial<AlertingConfig>) => onPatch({ alertingConfig: { ...alerting, ...patch } });
  const { readOnly } = useForm();
  return (
    <Box>
      <FieldGrid columns={2}>
        <SwitchInput
          label="Keep the bank engine’s request and response on each assessment"
          checked={monitoring.storeEngineExchange}
          onChange={(storeEngineExchange) => setMonitoring({ storeEngineExchange })}
          helper="Request templates may carry personal data; turn off to keep only the outcome."
          testId="monitoring-store-exchange"
        />
        <NumberInput
          path="monitoringConfig.slowAssessmentMs"
          label="Slow assessment from"
          unit="ms"
          value={monitoring.slowAssessmentMs}
          onChange={(slowAssessmentMs) => setMonitoring({ slowAssessmentMs })}
          step={10}
          min={1}
          helper="Counted as slow in the statistics"
        />
      </FieldGrid>
      <SubHeading>Alert settings</SubHeading>
      {/* Issue 15: these settings are this configuration's own alert rule (service/src/alerts/rules.ts):
          risky payments it scores are raised as alerts and sent through the alert channels of the
          kinds chosen here, to the channels' recipients and those listed below. */}
      <Alert severity="info" variant="outlined" sx={{ mb: 1.5 }} data-testid="alerting-delivered">
        <strong>Risky payments scored with this configuration raise alerts.</strong> They are sent through the bank's alert channels of the kinds chosen below
        (set up under Alert channels), to each channel's recipients plus the e-mail addresses and phone numbers listed here, and appear in the alerts inbox.
        Published settings take effect at once.
      </Alert>
      <SwitchInput
        label="Alert on risky payments"
        checked={alerting.enabled}
        onChange={(enabled) => setAlerting({ enabled })}
        helper="Kept in step with this configuration's alert rule (Alert rules)"
        testId="alerting-enabled"
      />
      <FieldGrid columns={3} sx={{ mt: 1, opacity: alerting.enabled ? 1 : 0.6 }}>
        <SelectInput
          path="alertingConfig.minRiskLevel"
          label="From risk level"
          value={alerting.minRiskLevel}
          options={RiskLevel.options.map((l) => ({ value: l, label: humanise(l) }))}
          onChange={(minRiskLevel) => setAlerting({ minRiskLevel })}
        />
        <Box sx={{ gridColumn: { md: 'span 2' } }}>
          <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mb: 0.5 }}>
            Channel kinds to send through
          </Typography>
          <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 0.75 }}>
            {AlertChannel.options.map((channel) => {
              const on = alerting.channels.includes(channel);
              return (
                <Button
                  key={channel}
                  size="small"
                  variant={on ? 'contained' : 'outlined'}
                  color={on ? 'primary' : 'inherit'}
                  disabled={readOnly}
                  onClick={() => setAlerting({ channels: on ? alerting.channels.filter((c) => c !== channel) : [...alerting.channels, channel] })}
                  aria-pressed={on}
                  sx={{ py: 0.25 }}
                >
                  {ALERT_CHANNEL_LABELS[channel]}
                </Button>
              );
            })}
          </Box>
        </Box>
      </FieldGrid>
      <Box sx={{ mt: 1.5, opacity: alerting.enabled ? 1 : 0.6 }}>
        <ChipListInput
          path="alertingConfig.recipients"
          label="Recipients"
          values={alerting.recipients}
          onChange={(recipients) => setAlerting({ recipients })}
          validate={(v) => (v.length < 3 ? 'at least 3 characters' : v.length > 200 ? 'at most 200 characters' : undefined)}
          helper="E-mail addresses, phone numbers, webhook or channel URLs — kept for the alerting service; nothing is sent to them yet"
        />
      </Box>
    </Box>
  );
}
