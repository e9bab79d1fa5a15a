import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { AUDIT_ENTITY_ACCESS } from '../../../shared/src/audit.ts';
import { humanise } from '../lib/format.ts';
import { EatDateTimeField, INCOMPLETE, incompleteMessage } from '../ui/EatDateTimeField.tsx';
import { SearchField } from '../ui/SearchField.tsx';

export interface AuditFilterValues {
  actor: string;
  command: string;
  entityType: string;
  /** An id, or a case / payment reference (the service resolves it). */
  entity: string;
  /** ISO with offset, INCOMPLETE while half-typed, or null. */
  from: string | null;
  to: string | null;
}

export const NO_AUDIT_FILTERS: AuditFilterValues = { actor: '', command: '', entityType: '', entity: '', from: null, to: null };

/** Field errors of the time range; a filter with an error is not sent (nothing crashes while typing). */
export function rangeErrors(f: AuditFilterValues): { from?: string; to?: string } {
  const errors: { from?: string; to?: string } = {};
  if (f.from === INCOMPLETE) errors.from = incompleteMessage();
  if (f.to === INCOMPLETE) errors.to = incompleteMessage();
  if (!errors.from && !errors.to && f.from && f.to && Date.parse(f.from) > Date.parse(f.to)) errors.to = 'Must not be before “From”';
  return errors;
}

export function isFiltered(f: AuditFilterValues): boolean {
  return !!(f.actor || f.command || f.entityType || f.entity || f.from || f.to);
}

const ENTITY_TYPES = Object.keys(AUDIT_ENTITY_ACCESS).sort();

/** The audit log's filters: actor, command, entity (type and id or reference) and time range. */
export function AuditFilters({ value, onChange }: { value: AuditFilterValues; onChange: (patch: Partial<AuditFilterValues>) => void }) {
  const errors = rangeErrors(value);
  return (
    <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 1.25, flexWrap: 'wrap', mb: 1.5 }} data-testid="audit-filters">
      <SearchField value={value.actor} onChange={(actor) => onChange({ actor })} placeholder="Actor" width={150} testId="audit-actor" />
      <SearchField value={value.command} onChange={(command) => onChange({ command })} placeholder="Command (case. = all)" width={190} testId="audit-command" />
      <TextField
        select
        size="small"
        label="Entity type"
        value={value.entityType}
        onChange={(e) => onChange({ entityType: e.target.value })}
        sx={{ width: 150 }}
        slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'audit-entity-type' } as React.HTMLAttributes<HTMLDivElement> } }}
      >
        <MenuItem value="">Any</MenuItem>
        {ENTITY_TYPES.map((type) => (
          <MenuItem key={type} value={type} data-testid={`audit-entity-type-${type}`}>
            {humanise(type.replace(/[-_]/g, ' '))}
          </MenuItem>
        ))}
      </TextField>
      <SearchField value={value.entity} onChange={(entity) => onChange({ entity })} placeholder="Case / payment ref or ID" width={220} testId="audit-entity" />
      <EatDateTimeField label="From (EAT)" value={value.from} onChange={(from) => onChange({ from })} testId="audit-from" error={errors.from} width={178} />
      <EatDateTimeField label="To (EAT)" value={value.to} onChange={(to) => onChange({ to })} testId="audit-to" error={errors.to} width={178} />
      {isFiltered(value) && (
        <Button size="small" onClick={() => onChange(NO_AUDIT_FILTERS)} sx={{ mt: 0.5 }} data-testid="audit-clear">
          Clear filters
        </Button>
      )}
    </Box>
  );
}
