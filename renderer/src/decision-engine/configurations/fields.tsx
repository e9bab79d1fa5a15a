// Form fields of the configuration editor. Each field names the value path it edits; the form
// context turns that path into its error message (client zod issue or server 400 field) and
// makes every field read-only when the user may not manage configurations or views an old version.
import { createContext, useContext, useEffect, useId, useState, type HTMLAttributes, type ReactNode, type Ref } from 'react';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import IconButton from '@mui/material/IconButton';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import Slider from '@mui/material/Slider';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useTheme, type SxProps, type Theme } from '@mui/material/styles';
import AddIcon from '@mui/icons-material/Add';
import DeleteOutline from '@mui/icons-material/DeleteOutlineOutlined';
import { FONT_MONO } from '../../app/theme.ts';
import { softChipSx } from '../../ui/chips.tsx';
import { countErrorsUnder, NO_ERRORS, type FieldErrors } from './formModel.ts';

export interface FormContextValue {
  errors: FieldErrors;
  readOnly: boolean;
}
const FormContext = createContext<FormContextValue>({ errors: NO_ERRORS, readOnly: false });

export function FormProvider({ value, children }: { value: FormContextValue; children: ReactNode }) {
  return <FormContext.Provider value={value}>{children}</FormContext.Provider>;
}

export function useForm(): FormContextValue & { errorAt: (path: string) => string | undefined; countUnder: (path: string) => number } {
  const context = useContext(FormContext);
  return {
    ...context,
    errorAt: (path) => context.errors.get(path),
    countUnder: (path) => countErrorsUnder(context.errors, path),
  };
}

/** A responsive grid of fields: `columns` on wide screens, one column on narrow ones. */
export function FieldGrid({ columns = 3, children, sx }: { columns?: number; children: ReactNode; sx?: SxProps<Theme> }) {
  return (
    <Box
      sx={[
        { display: 'grid', gap: 1.5, alignItems: 'start', gridTemplateColumns: { xs: '1fr', md: `repeat(${columns}, minmax(0, 1fr))` } },
        ...(Array.isArray(sx) ? sx : sx ? [sx] : []),
      ]}
    >
      {children}
    </Box>
  );
}

/** A small heading inside a section or dialog. */
export function SubHeading({ children, action }: { children: ReactNode; action?: ReactNode }) {
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 2, mb: 1 }}>
      <Typography variant="overline" sx={{ color: 'text.secondary', flex: 1 }}>
        {children}
      </Typography>
      {action}
    </Box>
  );
}

interface BaseFieldProps {
  /** The value path, for the error message (e.g. `riskRules.3.params.thresholdKes`). */
  path: string;
  label: string;
  testId?: string;
  helper?: ReactNode;
  required?: boolean;
  disabled?: boolean;
  sx?: SxProps<Theme>;
}

function inputTestId(testId: string | undefined) {
  return testId ? { 'data-testid': testId } : {};
}

export function TextInput({
  path,
  label,
  value,
  onChange,
  testId,
  helper,
  required,
  disabled,
  sx,
  placeholder,
  multiline,
  minRows,
  maxRows,
  mono,
  type,
  autoComplete,
  maxLength,
  startAdornment,
  endAdornment,
  inputRef,
  onFocus,
  onBlur,
  numeric,
}: BaseFieldProps & {
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  multiline?: boolean;
  minRows?: number;
  maxRows?: number;
  mono?: boolean;
  type?: string;
  autoComplete?: string;
  maxLength?: number;
  startAdornment?: ReactNode;
  endAdornment?: ReactNode;
  inputRef?: Ref<HTMLTextAreaElement | HTMLInputElement | null>;
  onFocus?: () => void;
  onBlur?: () => void;
  /** A number box: numeric keyboard, range hints and (for a box without a visible label) its name. */
  numeric?: { min?: number; max?: number; step?: number; ariaLabel?: string };
}) {
  const { errorAt, readOnly } = useForm();
  const error = errorAt(path);
  return (
    <TextField
      size="small"
      fullWidth
      label={label}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      placeholder={placeholder}
      required={required}
      disabled={disabled}
      multiline={multiline}
      minRows={minRows}
      maxRows={maxRows}
      type={type}
      autoComplete={autoComplete}
      error={!!error}
      helperText={error ?? helper}
      sx={sx}
      inputRef={inputRef}
      onFocus={onFocus}
      onBlur={onBlur}
      slotProps={{
        input: {
          readOnly,
          startAdornment: startAdornment ? <InputAdornment position="start">{startAdornment}</InputAdornment> : undefined,
          endAdornment: endAdornment ? <InputAdornment position="end">{endAdornment}</InputAdornment> : undefined,
          sx: mono ? { fontFamily: FONT_MONO, fontSize: 12.5 } : undefined,
        },
        htmlInput: {
          ...inputTestId(testId),
          ...(numeric ? { inputMode: 'decimal', min: numeric.min, max: numeric.max, step: numeric.step, 'aria-label': label || numeric.ariaLabel } : {}),
          maxLength,
          spellCheck: mono ? false : undefined,
        },
      }}
    />
  );
}

/** Null for an empty box: optional codes (payment type, …) and optional paths. */
export function OptionalTextInput(
  props: Omit<Parameters<typeof TextInput>[0], 'value' | 'onChange'> & { value: string | null | undefined; onChange: (value: string | null) => void },
) {
  const { value, onChange, ...rest } = props;
  return <TextInput {...rest} value={value ?? ''} onChange={(text) => onChange(text.trim() === '' ? null : text)} />;
}

const grouping = new Intl.NumberFormat('en-KE', { maximumFractionDigits: 6 });

function numberText(value: number | null | undefined, grouped: boolean): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '';
  return grouped ? grouping.format(value) : String(value);
}

/**
 * A number box. KES amounts (`kes`) are shown with digit grouping while not being edited. A box
 * that does not hold a number reports NaN, which the schema reports as "Enter a number"; an
 * optional one (with `onClear`) reports an empty box through `onClear`.
 */
export function NumberInput({
  value,
  onChange,
  unit,
  kes,
  min,
  max,
  step,
  onClear,
  ariaLabel,
  ...field
}: BaseFieldProps & {
  value: number | null | undefined;
  onChange: (value: number) => void;
  unit?: string;
  kes?: boolean;
  min?: number;
  max?: number;
  step?: number;
  onClear?: () => void;
  ariaLabel?: string;
}) {
  const [focused, setFocused] = useState(false);
  const [text, setText] = useState(() => numberText(value, !!kes));

  // Follow outside changes (reload, another field) unless the user is typing in this box.
  useEffect(() => {
    if (!focused) setText(numberText(value, !!kes));
  }, [value, focused, kes]);

  return (
    <TextInput
      {...field}
      value={text}
      mono
      startAdornment={kes ? 'KES' : undefined}
      endAdornment={unit}
      numeric={{ min, max, step, ariaLabel }}
      onFocus={() => {
        setFocused(true);
        setText(numberText(value, false));
      }}
      onBlur={() => setFocused(false)}
      onChange={(raw) => {
        setText(raw);
        const cleaned = raw.replace(/[\s,_]/g, '');
        if (cleaned === '' && onClear) onClear();
        else if (cleaned === '') onChange(Number.NaN);
        else onChange(/^-?\d*\.?\d*(e-?\d+)?$/i.test(cleaned) ? Number(cleaned) : Number.NaN);
      }}
    />
  );
}

export interface SelectOption<V extends string> {
  value: V;
  label: string;
  hint?: string;
}

export function SelectInput<V extends string>({
  path,
  label,
  value,
  options,
  onChange,
  testId,
  helper,
  required,
  disabled,
  sx,
}: BaseFieldProps & { value: V; options: readonly SelectOption<V>[]; onChange: (value: V) => void }) {
  const { errorAt, readOnly } = useForm();
  const error = errorAt(path);
  return (
    <TextField
      select
      size="small"
      fullWidth
      label={label}
      value={value}
      required={required}
      disabled={disabled || readOnly}
      error={!!error}
      helperText={error ?? helper}
      sx={sx}
      onChange={(e) => onChange(e.target.value as V)}
      slotProps={{
        select: {
          // The menu shows each option's hint; the closed box shows only the label.
          renderValue: (selected) => options.find((o) => o.value === selected)?.label ?? String(selected),
          SelectDisplayProps: inputTestId(testId) as HTMLAttributes<HTMLDivElement>,
          MenuProps: { slotProps: { paper: { sx: { maxHeight: 380 } } } },
        },
      }}
    >
      {options.map((option) => (
        <MenuItem key={option.value} value={option.value} data-value={option.value}>
          <Box>
            <Box>{option.label}</Box>
            {option.hint && (
              <Typography variant="caption" sx={{ color: 'text.secondary', display: 'block', whiteSpace: 'normal', maxWidth: 360 }}>
                {option.hint}
              </Typography>
            )}
          </Box>
        </MenuItem>
      ))}
    </TextField>
  );
}

export function SwitchInput({
  label,
  checked,
  onChange,
  testId,
  helper,
  disabled,
  size = 'small',
}: {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId?: string;
  helper?: ReactNode;
  disabled?: boolean;
  size?: 'small' | 'medium';
}) {
  const { readOnly } = useForm();
  return (
    <Box>
      <FormControlLabel
        sx={{ ml: 0, gap: 0.5 }}
        control={
          <Switch
            size={size}
            checked={checked}
            disabled={disabled || readOnly}
            onChange={(e) => onChange(e.target.checked)}
            slotProps={{ input: inputTestId(testId) }}
          />
        }
        label={<Typography variant="body2">{label}</Typography>}
      />
      {helper && <FormHelperText sx={{ mt: -0.25, ml: 0.5 }}>{helper}</FormHelperText>}
    </Box>
  );
}

/** A 0..1 share (rule weight, engine weight): slider plus an exact box. */
export function WeightInput({
  path,
  label,
  value,
  onChange,
  testId,
  min = 0,
  max = 1,
  step = 0.01,
  compact,
}: {
  path: string;
  label: string;
  value: number;
  onChange: (value: number) => void;
  testId?: string;
  min?: number;
  max?: number;
  step?: number;
  compact?: boolean;
}) {
  const { errorAt, readOnly } = useForm();
  const error = errorAt(path);
  const sliderValue = Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.25, minWidth: 0 }}>
      {!compact && (
        <Typography variant="caption" sx={{ color: 'text.secondary', minWidth: 52 }}>
          {label}
        </Typography>
      )}
      <Slider
        size="small"
        value={sliderValue}
        min={min}
        max={max}
        step={step}
        disabled={readOnly}
        onChange={(_, next) => onChange(Math.round((Array.isArray(next) ? (next[0] ?? 0) : next) * 1000) / 1000)}
        aria-label={label}
        sx={{ flex: 1, minWidth: 60, mx: 0.5 }}
      />
      <NumberInput
        path={path}
        label=""
        ariaLabel={label}
        value={value}
        onChange={onChange}
        testId={testId}
        min={min}
        max={max}
        step={step}
        sx={{ width: compact ? 72 : 86, flexShrink: 0 }}
      />
      {error && compact && (
        <Tooltip title={error}>
          <Typography variant="caption" sx={{ color: 'error.main' }}>
            !
          </Typography>
        </Tooltip>
      )}
    </Box>
  );
}

/**
 * A list of short values as chips (countries, CIDR ranges, regular expressions, names). Enter,
 * comma or a paste of several lines adds; each value is normalised and checked as it is added, and
 * a stored value that fails the check is shown in red with the reason.
 */
export function ChipListInput({
  path,
  label,
  values,
  onChange,
  validate,
  normalise = (v) => v.trim(),
  options = [],
  optionLabel,
  mono,
  placeholder,
  helper,
  testId,
  splitOnComma = true,
}: {
  path: string;
  label: string;
  values: readonly string[];
  onChange: (values: string[]) => void;
  validate?: (value: string) => string | undefined;
  normalise?: (value: string) => string;
  options?: readonly string[];
  optionLabel?: (value: string) => string;
  mono?: boolean;
  placeholder?: string;
  helper?: ReactNode;
  testId?: string;
  /** Regular expressions may contain commas: only new lines separate them. */
  splitOnComma?: boolean;
}) {
  const theme = useTheme();
  const { errorAt, countUnder, readOnly } = useForm();
  const [input, setInput] = useState('');
  const [rejected, setRejected] = useState<string | null>(null);
  const ownError = errorAt(path);
  const itemErrors = countUnder(path) - (ownError ? 1 : 0);
  const invalid = values.map((v) => validate?.(v));
  const firstInvalid = invalid.findIndex((m) => !!m);

  const add = (raw: string) => {
    const parts = raw
      .split(splitOnComma ? /[\n,;]+/ : /\n+/)
      .map(normalise)
      .filter(Boolean);
    if (parts.length === 0) return;
    const bad = parts.map((p) => [p, validate?.(p)] as const).find(([, message]) => !!message);
    if (bad) {
      setRejected(`${bad[0]}: ${bad[1]}`);
      return;
    }
    setRejected(null);
    onChange([...values, ...parts.filter((p, i) => !values.includes(p) && parts.indexOf(p) === i)]);
    setInput('');
  };

  const message =
    rejected ??
    ownError ??
    (firstInvalid >= 0
      ? `${values[firstInvalid]}: ${invalid[firstInvalid]}`
      : itemErrors > 0
        ? `${itemErrors} invalid ${itemErrors === 1 ? 'entry' : 'entries'}`
        : undefined);

  return (
    <Autocomplete<string, true, false, true>
      multiple
      freeSolo
      size="small"
      options={options as string[]}
      value={values as string[]}
      inputValue={input}
      readOnly={readOnly}
      filterSelectedOptions
      autoHighlight={options.length > 0}
      getOptionLabel={(option) => (optionLabel ? optionLabel(option) : option)}
      onInputChange={(_, next, reason) => {
        if (reason === 'reset') return;
        if (splitOnComma && /[,;]$/.test(next)) add(next);
        else setInput(next);
        if (rejected) setRejected(null);
      }}
      onChange={(_, next, reason) => {
        if (reason === 'createOption' || reason === 'selectOption') {
          const added = next[next.length - 1];
          if (typeof added === 'string') add(added);
          return;
        }
        onChange(next.map(String));
      }}
      onBlur={() => input.trim() && add(input)}
      renderValue={(selected, getItemProps) =>
        selected.map((value, index) => {
          const { key, ...itemProps } = getItemProps({ index });
          const bad = !!invalid[index];
          return (
            <Tooltip key={key} title={bad ? invalid[index] : optionLabel && optionLabel(value) !== value ? optionLabel(value) : ''}>
              <Chip
                {...itemProps}
                label={value}
                size="small"
                sx={[
                  bad ? softChipSx(theme.palette.status.danger, theme) : {},
                  { height: 22, fontSize: 11.5, fontWeight: 550 },
                  mono ? { fontFamily: FONT_MONO } : {},
                ]}
              />
            </Tooltip>
          );
        })
      }
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          placeholder={readOnly ? undefined : (placeholder ?? (values.length ? '' : 'Type and press Enter'))}
          error={!!message}
          helperText={message ?? helper}
          onPaste={(e) => {
            const text = e.clipboardData.getData('text');
            if (/[\n,;]/.test(text)) {
              e.preventDefault();
              add(text);
            }
          }}
          slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, ...inputTestId(testId), spellCheck: false } }}
        />
      )}
    />
  );
}

/**
 * Name → value pairs (plain headers, the engine's decision map). Rows are edited as a list so a
 * half-typed name does not vanish; the record passed up holds the rows with a name.
 */
export function KeyValueEditor<V>({
  path,
  record,
  onChange,
  keyLabel,
  valueLabel,
  newValue,
  renderValue,
  addLabel,
  testId,
  emptyText,
}: {
  path: string;
  record: Readonly<Record<string, V>>;
  onChange: (record: Record<string, V>) => void;
  keyLabel: string;
  valueLabel: string;
  newValue: V;
  renderValue: (value: V, onValue: (value: V) => void, rowPath: string) => ReactNode;
  addLabel: string;
  testId?: string;
  emptyText: string;
}) {
  const { readOnly, errorAt } = useForm();
  const id = useId();
  const [rows, setRows] = useState<{ key: string; value: V }[]>(() => Object.entries(record).map(([key, value]) => ({ key, value })));

  // Follow the record when it changes from outside (reload), not when it echoes our own edit.
  useEffect(() => {
    setRows((current) => {
      const fromRows = Object.fromEntries(current.filter((r) => r.key.trim()).map((r) => [r.key.trim(), r.value]));
      return JSON.stringify(fromRows) === JSON.stringify(record) ? current : Object.entries(record).map(([key, value]) => ({ key, value }));
    });
  }, [record]);

  const commit = (next: { key: string; value: V }[]) => {
    setRows(next);
    onChange(Object.fromEntries(next.filter((r) => r.key.trim()).map((r) => [r.key.trim(), r.value])));
  };
  const duplicates = new Set(rows.map((r) => r.key.trim()).filter((k, i, all) => k && all.indexOf(k) !== i));

  return (
    <Box data-testid={testId}>
      {rows.length === 0 && (
        <Typography variant="body2" sx={{ color: 'text.secondary', py: 0.5 }}>
          {emptyText}
        </Typography>
      )}
      {rows.map((row, index) => {
        const key = row.key.trim();
        const rowPath = `${path}.${key}`;
        const keyError = duplicates.has(key) ? 'Listed twice' : key ? errorAt(rowPath) : 'Name required';
        return (
          <Box key={`${id}-${index}`} sx={{ display: 'grid', gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1.4fr) 32px', gap: 1, mb: 1, alignItems: 'start' }}>
            <TextField
              size="small"
              label={keyLabel}
              value={row.key}
              error={!!keyError}
              helperText={keyError}
              onChange={(e) => commit(rows.map((r, i) => (i === index ? { ...r, key: e.target.value } : r)))}
              slotProps={{ input: { readOnly, sx: { fontFamily: FONT_MONO, fontSize: 12.5 } }, htmlInput: { spellCheck: false, 'aria-label': keyLabel } }}
            />
            <Box sx={{ minWidth: 0 }} aria-label={valueLabel}>
              {renderValue(row.value, (value) => commit(rows.map((r, i) => (i === index ? { ...r, value } : r))), rowPath)}
            </Box>
            {!readOnly && (
              <IconButton size="small" aria-label={`Remove ${row.key || 'row'}`} onClick={() => commit(rows.filter((_, i) => i !== index))} sx={{ mt: 0.5 }}>
                <DeleteOutline fontSize="small" />
              </IconButton>
            )}
          </Box>
        );
      })}
      {!readOnly && (
        <Button size="small" startIcon={<AddIcon fontSize="small" />} onClick={() => setRows([...rows, { key: '', value: newValue }])} sx={{ ml: -0.5 }}>
          {addLabel}
        </Button>
      )}
    </Box>
  );
}
