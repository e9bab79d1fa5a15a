// The tenants a user or client acts for: a list of tenant codes, or (bank-wide roles only) every
// tenant. "Every tenant" is a choice the administrator makes, never a default.
import { useState } from 'react';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { TenantId } from '../../../shared/src/tenants.ts';

/** 'all' = every tenant (an empty list on the wire); null = not chosen yet. */
export type TenantChoice = { kind: 'all' } | { kind: 'some'; tenantIds: string[] } | null;

/** Tenant codes seen anywhere, for suggestions (any code can be typed). */
export function knownTenants(lists: ReadonlyArray<readonly string[]>, own: readonly string[]): string[] {
  return [...new Set(['WEKEZA-KE', ...own, ...lists.flat()])].sort();
}

export function tenantIdsOf(choice: TenantChoice): string[] | null {
  if (!choice) return null;
  return choice.kind === 'all' ? [] : choice.tenantIds;
}

export function TenantField({
  value,
  onChange,
  allowAll,
  allowNone = false,
  suggestions,
  error,
  disabled,
  testId = 'tenant-field',
  label = 'Acts for',
}: {
  value: TenantChoice;
  onChange: (value: TenantChoice) => void;
  /** Bank-wide roles may act for every tenant. */
  allowAll: boolean;
  /** Monitoring clients read no tenant data: an empty list is fine. */
  allowNone?: boolean;
  suggestions: readonly string[];
  error?: string;
  disabled?: boolean;
  testId?: string;
  label?: string;
}) {
  const [input, setInput] = useState('');
  const [rejected, setRejected] = useState<string | null>(null);
  const list = value?.kind === 'some' ? value.tenantIds : [];
  const showList = !allowAll || value?.kind === 'some';

  const setList = (next: string[]) => {
    const cleaned = [...new Set(next.map((t) => t.trim()).filter(Boolean))];
    const bad = cleaned.find((t) => !TenantId.safeParse(t).success);
    if (bad) {
      setRejected(`${bad}: letters, digits, dot, dash and underscore only`);
      return;
    }
    setRejected(null);
    onChange({ kind: 'some', tenantIds: cleaned });
  };

  const helper =
    rejected ??
    error ??
    (showList && list.length === 0
      ? allowNone
        ? 'No tenant: this client reads no tenant’s data'
        : 'Type a tenant code and press Enter'
      : value?.kind === 'all'
        ? 'Sees and acts for every tenant, including tenants added later'
        : undefined);

  return (
    <Box role="group" aria-label={label} data-testid={testId}>
      <Typography variant="caption" component="div" sx={{ color: 'text.secondary', mb: 0.25 }}>
        {label}
      </Typography>
      {allowAll && (
        <RadioGroup row value={value?.kind ?? ''} onChange={(e) => onChange(e.target.value === 'all' ? { kind: 'all' } : { kind: 'some', tenantIds: list })}>
          <FormControlLabel value="some" control={<Radio size="small" />} label="Only these tenants" disabled={disabled} data-testid={`${testId}-some`} />
          <FormControlLabel value="all" control={<Radio size="small" />} label="Every tenant" disabled={disabled} data-testid={`${testId}-all`} />
        </RadioGroup>
      )}
      {showList && (
        <Autocomplete
          multiple
          freeSolo
          size="small"
          disabled={disabled}
          options={suggestions.filter((s) => !list.includes(s))}
          value={list}
          inputValue={input}
          onInputChange={(_, next) => setInput(next)}
          onChange={(_, next) => {
            setList(next);
            setInput('');
          }}
          onBlur={() => {
            if (input.trim()) {
              setList([...list, input]);
              setInput('');
            }
          }}
          renderValue={(values, getItemProps) =>
            values.map((tenant, index) => {
              const { key, ...itemProps } = getItemProps({ index });
              return <Chip key={key} label={tenant} size="small" {...itemProps} sx={{ fontWeight: 600 }} />;
            })
          }
          renderInput={(params) => (
            <TextField
              {...params}
              placeholder={list.length === 0 ? 'e.g. WEKEZA-KE' : undefined}
              error={!!(rejected ?? error)}
              slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': `${testId}-input`, spellCheck: false } }}
            />
          )}
          sx={{ mt: allowAll ? 0.5 : 0 }}
        />
      )}
      <FormHelperText error={!!(rejected ?? error)} sx={{ mx: 0 }}>
        {helper}
      </FormHelperText>
    </Box>
  );
}

/** Tenants as small chips, or "Every tenant" / "No tenant". */
export function TenantList({ tenantIds, allTenants }: { tenantIds: readonly string[]; allTenants: boolean }) {
  if (tenantIds.length === 0) {
    return (
      <Typography variant="body2" sx={{ color: allTenants ? 'text.primary' : 'text.disabled', fontStyle: allTenants ? 'normal' : 'italic' }}>
        {allTenants ? 'Every tenant' : 'No tenant'}
      </Typography>
    );
  }
  return (
    <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
      {tenantIds.map((t) => (
        <Chip key={t} label={t} size="small" variant="outlined" sx={{ fontWeight: 600, height: 22 }} />
      ))}
    </Box>
  );
}
