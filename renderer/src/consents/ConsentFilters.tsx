// The consent register's filter bar: customer (name or reference), app, status as of now, scope,
// and an expiry range in bank days. A half-typed day stays in its box with a field error and is
// not sent; nothing typed or pasted here can break the screen.
import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import { ConsentStatus, OB_SCOPES, type ObAppView } from '../../../shared/src/open-banking.ts';
import { DayField, INCOMPLETE } from '../risks/DayField.tsx';
import { FilterSelect } from '../ui/FilterSelect.tsx';
import { SearchField } from '../ui/SearchField.tsx';
import { cleanSearch, type ConsentParams } from './consentParams.ts';
import { CONSENT_STATUS_LABELS, SCOPE_SHORT } from './consentWords.tsx';

/** Short, for a filter bar: the box shows the typing order itself. */
const INCOMPLETE_DAY = 'Incomplete date: finish or clear it';

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
  // A box being typed in keeps its own (maybe incomplete) value; only complete days reach the URL.
  const [fromDraft, setFromDraft] = useState<string | null>(params.expiresFrom);
  const [toDraft, setToDraft] = useState<string | null>(params.expiresTo);
  const [synced, setSynced] = useState({ from: params.expiresFrom, to: params.expiresTo });
  if (synced.from !== params.expiresFrom || synced.to !== params.expiresTo) {
    setSynced({ from: params.expiresFrom, to: params.expiresTo });
    if (fromDraft !== INCOMPLETE || params.expiresFrom) setFromDraft(params.expiresFrom);
    if (toDraft !== INCOMPLETE || params.expiresTo) setToDraft(params.expiresTo);
  }
  const order = fromDraft && toDraft && fromDraft !== INCOMPLETE && toDraft !== INCOMPLETE && fromDraft > toDraft ? 'The end is before the start' : null;
  const filtered = !!(
    params.customer ||
    params.appId ||
    params.status ||
    params.scope ||
    params.expiresFrom ||
    params.expiresTo ||
    fromDraft === INCOMPLETE ||
    toDraft === INCOMPLETE
  );
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
      <Box sx={{ width: 186 }}>
        <DayField
          label="Expires from"
          value={fromDraft}
          onChange={(v) => {
            setFromDraft(v);
            if (v !== INCOMPLETE) onChange('expiresFrom', v);
          }}
          error={fromDraft === INCOMPLETE ? INCOMPLETE_DAY : null}
          helper=" "
          testId="consent-filter-expires-from"
        />
      </Box>
      <Box sx={{ width: 186 }}>
        <DayField
          label="Expires to"
          value={toDraft}
          onChange={(v) => {
            setToDraft(v);
            if (v !== INCOMPLETE) onChange('expiresTo', v);
          }}
          error={toDraft === INCOMPLETE ? INCOMPLETE_DAY : order}
          helper=" "
          testId="consent-filter-expires-to"
        />
      </Box>
      {filtered && (
        <Button
          size="small"
          onClick={() => {
            // A half-typed day never reached the URL: clear the boxes themselves too.
            setFromDraft(null);
            setToDraft(null);
            onClear();
          }}
          sx={{ mt: 0.75 }}
          data-testid="consent-filters-clear"
        >
          Clear filters
        </Button>
      )}
    </Box>
  );
}
