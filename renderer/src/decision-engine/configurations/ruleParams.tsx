// The parameter editor of each rule kind, and the optional scope every rule may have.
import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { PATTERN_SYNTAX_HINT, patternProblem } from '../../../../shared/src/decision-engine-patterns.ts';
import { Channel } from '../../../../shared/src/payments.ts';
import { isCidr } from '../../../../shared/src/ip-ranges.ts';
import { LARGE_PAYMENT_FLOOR_KES, type RuleDefinition, type RuleScope } from '../../../../shared/src/decision-engine.ts';
import { countryName, formatMoney } from '../../lib/format.ts';
import { ChipListInput, FieldGrid, NumberInput, SelectInput, SwitchInput, TextInput, useForm, WeightInput, type SelectOption } from './fields.tsx';

// --- option lists -----------------------------------------------------------------------------

/** Every ISO 3166-1 alpha-2 code the platform can name (built once from Intl). */
export const COUNTRY_CODES: readonly string[] = (() => {
  const codes: string[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = countryName(code);
      if (name !== code && !/unknown/i.test(name)) codes.push(code);
    }
  }
  return codes;
})();

export function countryLabel(code: string): string {
  return `${code} · ${countryName(code)}`;
}

export function validateCountry(code: string): string | undefined {
  return /^[A-Z]{2}$/.test(code) ? undefined : 'a two-letter ISO country code, e.g. KE';
}

/** Patterns run on RE2 in the service (linear time): checked here with the same engine. */
export function validateRegex(source: string): string | undefined {
  if (source.length > 200) return 'at most 200 characters';
  const problem = patternProblem(source);
  return problem ? `${problem}; ${PATTERN_SYNTAX_HINT}` : undefined;
}

function validateCidr(value: string): string | undefined {
  return isCidr(value) ? undefined : 'an IPv4/IPv6 address or CIDR range, e.g. 185.220.100.0/22';
}

let timeZones: string[] | null = null;
export function timeZoneOptions(): string[] {
  if (!timeZones) {
    try {
      timeZones = Intl.supportedValuesOf('timeZone');
    } catch {
      timeZones = ['Africa/Nairobi', 'UTC'];
    }
  }
  return timeZones;
}

const HOURS: SelectOption<string>[] = Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: `${String(h).padStart(2, '0')}:00` }));
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const SUBJECTS: SelectOption<'ACCOUNT' | 'CUSTOMER'>[] = [
  { value: 'ACCOUNT', label: 'Debtor account' },
  { value: 'CUSTOMER', label: 'Customer (all accounts)' },
];
const WINDOWS: SelectOption<'DAY' | 'WEEK'>[] = [
  { value: 'DAY', label: 'Rolling day (24 h)' },
  { value: 'WEEK', label: 'Rolling week (7 days)' },
];
const TEXT_FIELDS = [
  { value: 'transactionReference', label: 'Transaction reference' },
  { value: 'description', label: 'Description' },
] as const;

// --- small building blocks --------------------------------------------------------------------

function TimeZoneInput({ path, value, onChange }: { path: string; value: string; onChange: (zone: string) => void }) {
  const { errorAt } = useForm();
  const known = timeZoneOptions().includes(value);
  return (
    <TextInput
      path={path}
      label="Time zone"
      value={value}
      onChange={onChange}
      mono
      helper={errorAt(path) ? undefined : known ? 'IANA zone of the bank' : 'Not a zone this computer knows — check the spelling'}
    />
  );
}

function ToggleSet<V extends string | number>({
  label,
  value,
  options,
  onChange,
  error,
}: {
  label: string;
  value: readonly V[];
  options: readonly { value: V; label: string }[];
  onChange: (value: V[]) => void;
  error?: string;
}) {
  const { readOnly } = useForm();
  return (
    <Box>
      <Typography variant="caption" component="div" sx={{ color: error ? 'error.main' : 'text.secondary', mb: 0.5 }}>
        {label}
        {error ? ` — ${error}` : ''}
      </Typography>
      <ToggleButtonGroup
        size="small"
        value={[...value]}
        disabled={readOnly}
        onChange={(_, next: V[]) => onChange(options.map((o) => o.value).filter((v) => next.includes(v)))}
        aria-label={label}
        sx={{ flexWrap: 'wrap' }}
      >
        {options.map((option) => (
          <ToggleButton key={String(option.value)} value={option.value} sx={{ py: 0.375 }}>
            {option.label}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
    </Box>
  );
}

function Hint({ children }: { children: ReactNode }) {
  return (
    <Typography variant="caption" component="p" sx={{ color: 'text.secondary', mt: 1 }}>
      {children}
    </Typography>
  );
}

// --- the parameter editor -----------------------------------------------------------------

type ParamsOf<R extends RuleDefinition> = R['params'];

/** A typed setter for one rule's params. */
function paramsSetter<R extends RuleDefinition>(rule: R, onChange: (rule: RuleDefinition) => void) {
  return (patch: Partial<ParamsOf<R>>) => onChange({ ...rule, params: { ...rule.params, ...patch } } as R);
}

export function RuleParamsEditor({ rule, path, onChange }: { rule: RuleDefinition; path: string; onChange: (rule: RuleDefinition) => void }) {
  const p = `${path}.params`;
  const { errorAt } = useForm();
  switch (rule.kind) {
    case 'high-amount': {
      const set = paramsSetter(rule, onChange);
      return (
        <>
          <FieldGrid>
            <NumberInput
              kes
              path={`${p}.thresholdKes`}
              label="Review threshold"
              value={rule.params.thresholdKes}
              onChange={(thresholdKes) => set({ thresholdKes })}
              helper={`Adds the rule weight (${rule.weight})`}
            />
            <NumberInput
              kes
              path={`${p}.severeThresholdKes`}
              label="Severe threshold"
              value={rule.params.severeThresholdKes}
              onChange={(severeThresholdKes) => set({ severeThresholdKes })}
              helper="Above this the severe weight applies"
            />
            <NumberInput
              path={`${p}.severeWeight`}
              label="Severe weight"
              value={rule.params.severeWeight}
              onChange={(severeWeight) => set({ severeWeight })}
              step={0.05}
              min={0}
              max={1}
              helper="0–1 share of the score"
            />
          </FieldGrid>
          <Hint>Amounts in other currencies are converted to KES at the indicative reference rates before comparing.</Hint>
        </>
      );
    }
    case 'round-amount': {
      const set = paramsSetter(rule, onChange);
      return (
        <FieldGrid columns={2}>
          <NumberInput
            kes
            path={`${p}.minimumKes`}
            label="From amount"
            value={rule.params.minimumKes}
            onChange={(minimumKes) => set({ minimumKes })}
            helper="Smaller round amounts are ignored"
          />
          <NumberInput
            kes
            path={`${p}.multipleOfKes`}
            label="Multiple of"
            value={rule.params.multipleOfKes}
            onChange={(multipleOfKes) => set({ multipleOfKes })}
            helper={`e.g. ${formatMoney(rule.params.multipleOfKes * 3 || 0)} is round`}
          />
        </FieldGrid>
      );
    }
    case 'velocity': {
      const set = paramsSetter(rule, onChange);
      return (
        <>
          <FieldGrid columns={4}>
            <SelectInput path={`${p}.subject`} label="Counted per" value={rule.params.subject} options={SUBJECTS} onChange={(subject) => set({ subject })} />
            <SelectInput path={`${p}.window`} label="Window" value={rule.params.window} options={WINDOWS} onChange={(window) => set({ window })} />
            <NumberInput path={`${p}.maxCount`} label="Max payments" value={rule.params.maxCount} onChange={(maxCount) => set({ maxCount })} step={1} min={1} />
            <NumberInput kes path={`${p}.maxSumKes`} label="Max total" value={rule.params.maxSumKes} onChange={(maxSumKes) => set({ maxSumKes })} />
          </FieldGrid>
          <Hint>Fires when the payments in the window, this one included, exceed either limit.</Hint>
        </>
      );
    }
    case 'credit-velocity': {
      const set = paramsSetter(rule, onChange);
      return (
        <FieldGrid>
          <SelectInput path={`${p}.window`} label="Window" value={rule.params.window} options={WINDOWS} onChange={(window) => set({ window })} />
          <NumberInput
            kes
            path={`${p}.largeAmountKes`}
            label="Large payment from"
            value={rule.params.largeAmountKes}
            onChange={(largeAmountKes) => set({ largeAmountKes })}
            helper={`At least ${formatMoney(LARGE_PAYMENT_FLOOR_KES)}`}
          />
          <NumberInput
            path={`${p}.maxLargeCount`}
            label="Max large payments"
            value={rule.params.maxLargeCount}
            onChange={(maxLargeCount) => set({ maxLargeCount })}
            step={1}
            min={1}
          />
        </FieldGrid>
      );
    }
    case 'high-risk-country': {
      const set = paramsSetter(rule, onChange);
      return (
        <Box sx={{ display: 'grid', gap: 1.5 }}>
          <ChipListInput
            path={`${p}.countries`}
            label={`High-risk countries (full weight ${rule.weight})`}
            values={rule.params.countries}
            onChange={(countries) => set({ countries })}
            options={COUNTRY_CODES}
            optionLabel={countryLabel}
            normalise={(v) => v.trim().toUpperCase()}
            validate={validateCountry}
            mono
          />
          <FieldGrid columns={4} sx={{ alignItems: 'start' }}>
            <Box sx={{ gridColumn: { md: 'span 3' } }}>
              <ChipListInput
                path={`${p}.elevatedCountries`}
                label="Elevated-risk corridors"
                values={rule.params.elevatedCountries}
                onChange={(elevatedCountries) => set({ elevatedCountries })}
                options={COUNTRY_CODES}
                optionLabel={countryLabel}
                normalise={(v) => v.trim().toUpperCase()}
                validate={validateCountry}
                mono
              />
            </Box>
            <NumberInput
              path={`${p}.elevatedWeight`}
              label="Elevated weight"
              value={rule.params.elevatedWeight}
              onChange={(elevatedWeight) => set({ elevatedWeight })}
              step={0.05}
              min={0}
              max={1}
            />
          </FieldGrid>
        </Box>
      );
    }
    case 'suspicious-ip': {
      const set = paramsSetter(rule, onChange);
      return (
        <ChipListInput
          path={`${p}.ranges`}
          label={`IP ranges (${rule.params.ranges.length})`}
          values={rule.params.ranges}
          onChange={(ranges) => set({ ranges })}
          validate={validateCidr}
          mono
          helper="IPv4 or IPv6 addresses or CIDR ranges; paste a list to add many"
        />
      );
    }
    case 'off-hours': {
      const set = paramsSetter(rule, onChange);
      return (
        <>
          <FieldGrid>
            <TimeZoneInput path={`${p}.timeZone`} value={rule.params.timeZone} onChange={(timeZone) => set({ timeZone })} />
            <SelectInput
              path={`${p}.startHour`}
              label="From (inclusive)"
              value={String(rule.params.startHour)}
              options={HOURS}
              onChange={(h) => set({ startHour: Number(h) })}
            />
            <SelectInput
              path={`${p}.endHour`}
              label="Until (exclusive)"
              value={String(rule.params.endHour)}
              options={HOURS}
              onChange={(h) => set({ endHour: Number(h) })}
            />
          </FieldGrid>
          <Hint>
            {rule.params.startHour > rule.params.endHour
              ? `Wraps midnight: ${HOURS[rule.params.startHour]?.label}–24:00 and 00:00–${HOURS[rule.params.endHour]?.label} local time.`
              : `From ${HOURS[rule.params.startHour]?.label} to ${HOURS[rule.params.endHour]?.label} local time.`}
          </Hint>
        </>
      );
    }
    case 'weekend': {
      const set = paramsSetter(rule, onChange);
      return (
        <FieldGrid columns={2}>
          <TimeZoneInput path={`${p}.timeZone`} value={rule.params.timeZone} onChange={(timeZone) => set({ timeZone })} />
          <ToggleSet
            label="Days"
            value={rule.params.days}
            options={WEEKDAYS.map((label, value) => ({ value, label }))}
            onChange={(days) => set({ days })}
            error={errorAt(`${p}.days`)}
          />
        </FieldGrid>
      );
    }
    case 'new-account': {
      const set = paramsSetter(rule, onChange);
      return (
        <FieldGrid>
          <NumberInput
            path={`${p}.maxAgeDays`}
            label="Account younger than"
            unit="days"
            value={rule.params.maxAgeDays}
            onChange={(maxAgeDays) => set({ maxAgeDays })}
            step={1}
            min={1}
          />
        </FieldGrid>
      );
    }
    case 'cross-border': {
      const set = paramsSetter(rule, onChange);
      return (
        <FieldGrid>
          <TextInput
            path={`${p}.homeCountry`}
            label="Home country"
            value={rule.params.homeCountry}
            onChange={(homeCountry) => set({ homeCountry: homeCountry.trim().toUpperCase() })}
            mono
            maxLength={2}
            helper={countryName(rule.params.homeCountry)}
          />
        </FieldGrid>
      );
    }
    case 'new-device': {
      const set = paramsSetter(rule, onChange);
      return (
        <FieldGrid>
          <NumberInput
            path={`${p}.minPriorPayments`}
            label="Only after"
            unit="earlier payments"
            value={rule.params.minPriorPayments}
            onChange={(minPriorPayments) => set({ minPriorPayments })}
            step={1}
            min={0}
            helper="A brand-new customer's first device is not news"
          />
        </FieldGrid>
      );
    }
    case 'suspicious-user-agent': {
      const set = paramsSetter(rule, onChange);
      return (
        <Box sx={{ display: 'grid', gap: 1 }}>
          <ChipListInput
            path={`${p}.patterns`}
            label="User-agent patterns (RE2 regular expressions, case-insensitive)"
            values={rule.params.patterns}
            onChange={(patterns) => set({ patterns })}
            validate={validateRegex}
            splitOnComma={false}
            mono
          />
          <SwitchInput
            label="Also fire when the payment has no user agent"
            checked={rule.params.flagMissing}
            onChange={(flagMissing) => set({ flagMissing })}
          />
        </Box>
      );
    }
    case 'suspicious-text': {
      const set = paramsSetter(rule, onChange);
      return (
        <Box sx={{ display: 'grid', gap: 1.5 }}>
          <ToggleSet label="Look in" value={rule.params.fields} options={TEXT_FIELDS} onChange={(fields) => set({ fields })} error={errorAt(`${p}.fields`)} />
          <ChipListInput
            path={`${p}.patterns`}
            label="Patterns (RE2 regular expressions, case-insensitive)"
            values={rule.params.patterns}
            onChange={(patterns) => set({ patterns })}
            validate={validateRegex}
            splitOnComma={false}
            mono
          />
        </Box>
      );
    }
    case 'merchant-block-list': {
      const set = paramsSetter(rule, onChange);
      return (
        <Box sx={{ display: 'grid', gap: 1.5 }}>
          <ChipListInput
            path={`${p}.merchantIds`}
            label="Merchant ids or creditor accounts (exact match)"
            values={rule.params.merchantIds}
            onChange={(merchantIds) => set({ merchantIds })}
            validate={(v) => (v.length > 64 ? 'at most 64 characters' : undefined)}
            mono
          />
          <ChipListInput
            path={`${p}.merchantNames`}
            label="Merchant names (found in the description)"
            values={rule.params.merchantNames}
            onChange={(merchantNames) => set({ merchantNames })}
            validate={(v) => (v.length < 2 ? 'at least 2 characters' : v.length > 120 ? 'at most 120 characters' : undefined)}
            splitOnComma={false}
          />
        </Box>
      );
    }
    case 'channel-risk': {
      const set = paramsSetter(rule, onChange);
      return (
        <>
          <Box sx={{ display: 'grid', gap: 0.5, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' }, columnGap: 3 }}>
            {Channel.options.map((channel) => (
              <WeightInput
                key={channel}
                path={`${p}.factors.${channel}`}
                label={channel}
                value={rule.params.factors[channel] ?? 0}
                onChange={(factor) => set({ factors: { ...rule.params.factors, [channel]: factor } })}
                testId={`channel-factor-${channel}`}
              />
            ))}
          </Box>
          <Hint>Each channel's factor scales the rule weight: 1 adds the full weight, 0 adds nothing.</Hint>
        </>
      );
    }
    case 'anomaly': {
      const set = paramsSetter(rule, onChange);
      return (
        <>
          <WeightInput path={`${p}.minScore`} label="Fires from" value={rule.params.minScore} onChange={(minScore) => set({ minScore })} min={0.5} max={1} />
          <Hint>The isolation forest scores 0.5 for an ordinary payment and approaches 1 for a very unusual one. Train the model on the Statistics tab.</Hint>
        </>
      );
    }
  }
}

/** The optional precondition: a rule out of scope is not evaluated. */
export function RuleScopeEditor({ scope, path, onChange }: { scope: RuleScope | undefined; path: string; onChange: (scope: RuleScope | undefined) => void }) {
  const { errorAt } = useForm();
  const limited = scope !== undefined;
  return (
    <Box>
      <SwitchInput
        label="Only evaluate within a scope"
        checked={limited}
        onChange={(on) => onChange(on ? {} : undefined)}
        helper="Limit a costly rule to, say, large web payments. Out of scope it records “no hit”."
      />
      {scope && (
        <FieldGrid columns={3} sx={{ mt: 1 }}>
          <ToggleSet
            label="Channels (none = all)"
            value={scope.channels ?? []}
            options={Channel.options.map((c) => ({ value: c, label: c }))}
            onChange={(channels) => onChange({ ...scope, channels: channels.length ? channels : undefined })}
            error={errorAt(`${path}.channels`)}
          />
          <ChipListInput
            path={`${path}.paymentTypes`}
            label="Payment types (none = all)"
            values={scope.paymentTypes ?? []}
            onChange={(types) => onChange({ ...scope, paymentTypes: types.length ? types : undefined })}
            normalise={(v) => v.trim().toUpperCase()}
            mono
          />
          <NumberInput
            kes
            path={`${path}.minAmountKes`}
            label="From amount"
            value={scope.minAmountKes}
            onChange={(minAmountKes) => onChange({ ...scope, minAmountKes })}
            onClear={() => onChange({ ...scope, minAmountKes: undefined })}
            helper="Empty = any amount"
          />
        </FieldGrid>
      )}
    </Box>
  );
}
