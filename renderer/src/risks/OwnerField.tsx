// Choosing an owner: the people risk-owner.list offers (active holders of risk:manage or
// risk:approve acting for the tenant), plus whoever already owns something on screen, so a
// current owner who has since left still shows by name.
import { useCallback, useMemo } from 'react';
import Autocomplete from '@mui/material/Autocomplete';
import TextField from '@mui/material/TextField';
import { CONTRACT } from '../../../shared/src/contract/index.ts';
import { callApi } from '../api/contract-client.ts';
import { useSession } from '../api/session.ts';
import { useApiQuery } from '../api/useApiQuery.ts';

export interface Person {
  id: string;
  name: string;
}

const TENANT_CODE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * People who can be named as owners for `tenantId` (every tenant of yours when absent),
 * deduplicated by id, sorted by name. `seen` keeps current owners choosable.
 */
export function usePeople(seen: readonly Person[] = [], tenantId?: string): Person[] {
  // A half-typed tenant code would answer 400: ask about all the caller's tenants meanwhile.
  const tenant = tenantId && TENANT_CODE.test(tenantId.trim()) ? tenantId.trim() : undefined;
  const fetcher = useCallback(
    async (signal: AbortSignal): Promise<Person[]> => {
      const owners = await callApi(CONTRACT.risks.owners, { query: tenant ? { tenantId: tenant } : {} }, { signal });
      return owners.map((o) => ({ id: o.id, name: o.displayName }));
    },
    [tenant],
  );
  const fetched = useApiQuery(`risk-owners:${tenant ?? '*'}`, fetcher);
  const seenKey = seen.map((p) => p.id).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `seen` is compared by its ids.
  return useMemo(() => {
    const byId = new Map<string, Person>();
    for (const p of [...(fetched.data ?? []), ...seen]) if (!byId.has(p.id)) byId.set(p.id, p);
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [fetched.data, seenKey]);
}

export function OwnerField({
  people,
  value,
  onChange,
  label = 'Owner',
  error,
  testId,
  required = true,
}: {
  people: readonly Person[];
  value: string | null;
  onChange: (id: string | null) => void;
  label?: string;
  error?: string | null;
  testId?: string;
  required?: boolean;
}) {
  const session = useSession();
  const selected = people.find((p) => p.id === value) ?? null;
  return (
    <Autocomplete
      options={people as Person[]}
      value={selected}
      onChange={(_, person) => onChange(person?.id ?? null)}
      getOptionLabel={(p) => (p.id === session?.user.id ? `${p.name} (me)` : p.name)}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      size="small"
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          required={required}
          error={!!error}
          helperText={error ?? ' '}
          slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': testId } }}
        />
      )}
    />
  );
}
