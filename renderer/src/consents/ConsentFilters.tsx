// The consent register's filter bar: customer (name or reference), app, status as of now, scope,
// and an expiry range in bank days. A half-typed day stays in its box with a field error and is
// not sent; nothing typed or pasted here can break the screen.
import Box from '@mui/material/Box';
import { ConsentStatus, OB_SCOPES, type ObAppView } from '../../../shared/src/open-banking.ts';
import { ClearFiltersButton, DayRangeField, useDayRange } from '../ui/DayRangeFields.tsx';
import { FilterSelect } from '../ui/FilterSelect.tsx';
import { SearchField } from '../ui/SearchField.tsx';
import { cleanSearch, type ConsentParams } from './consentParams.ts';
import { CONSENT_STATUS_LABELS, SCOPE_SHORT } from './consentWords.tsx';

export function ConsentFilters({
  params,
  apps,
  onChange,
  onClear,
}: {
  params: ConsentParams;
  apps: readonly ObAppView[];
  onChange: (name: 'customer' | 'app' | 'status' | 'scope' | 'expiresFrom' | 'expiresTo', value: string | null) => void;
  onClear: () => void;
}) {
  const range = useDayRange(params.expiresFrom, params.expiresTo);
  const filtered = !!(params.customer || params.appId || params.status || params.scope || params.expiresFrom || params.expiresTo || range.incomplete);
  const appOptions = apps.map((a) => ({ value: a.id, label: a.name }));
  if (params.appId && !apps.some((a) => a.id === params.appId)) appOptions.push({ value: params.appId, label: 'This app' });

  return (
    <Box sx={{ display: 'flex', gap: 1.25, alignItems: 'flex-start', flexWrap: 'wrap', mb: 1.5 }} data-testid="consent-filters">
      <SearchField
        value={params.customer}
        onChange={(v) => onChange('customer', cleanSearch(v) || null)}
        placeholder="Customer name or reference"
        width={210}
        testId="consent-filter-customer"
      />
      <FilterSelect
        label="App"
        value={params.appId ?? ''}
        anyLabel="Any app"
        options={appOptions}
        onChange={(v) => onChange('app', v || null)}
        minWidth={160}
        testId="consent-filter-app"
      />
      <FilterSelect
        label="Status (now)"
        value={params.status ?? ''}
        anyLabel="Any status"
        options={ConsentStatus.options.map((s) => ({ value: s, label: CONSENT_STATUS_LABELS[s] }))}
        onChange={(v) => onChange('status', v || null)}
        minWidth={160}
        testId="consent-filter-status"
      />
      <FilterSelect
        label="Scope"
        value={params.scope ?? ''}
        anyLabel="Any scope"
        options={OB_SCOPES.map((s) => ({ value: s, label: SCOPE_SHORT[s] }))}
        onChange={(v) => onChange('scope', v || null)}
        minWidth={120}
        testId="consent-filter-scope"
      />
      <DayRangeField
        range={range}
        end="from"
        label="Expires from"
        width={186}
        onChange={(v) => onChange('expiresFrom', v)}
        testId="consent-filter-expires-from"
      />
      <DayRangeField range={range} end="to" label="Expires to" width={186} onChange={(v) => onChange('expiresTo', v)} testId="consent-filter-expires-to" />
      {filtered && <ClearFiltersButton range={range} onClear={onClear} testId="consent-filters-clear" />}
    </Box>
  );
}
