import Autocomplete from '@mui/material/Autocomplete';
import TextField from '@mui/material/TextField';
import { oneLine } from './riskText.ts';

/**
 * The tenant a new register record belongs to: one of the user's tenants, or typed (bank-wide
 * users have no list). Locked once the record exists: a risk or control stays with its tenant.
 */
export function RecordTenantField({
  tenants,
  value,
  onChange,
  onBlur,
  error,
  locked,
  lockedHint,
  testId,
}: {
  tenants: readonly string[];
  value: string;
  onChange: (tenantId: string) => void;
  onBlur: () => void;
  error: string | null | undefined;
  locked: boolean;
  /** Shown under the field while it is locked. */
  lockedHint?: string;
  testId: string;
}) {
  return (
    <Autocomplete
      freeSolo
      options={[...tenants]}
      disabled={locked}
      value={value}
      inputValue={value}
      onInputChange={(_, v) => onChange(oneLine(v))}
      size="small"
      renderInput={(params) => (
        <TextField
          {...params}
          label="Tenant"
          required
          onBlur={onBlur}
          error={!!error}
          helperText={error ?? (locked && lockedHint ? lockedHint : ' ')}
          slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, maxLength: 40, 'data-testid': testId } }}
        />
      )}
    />
  );
}
