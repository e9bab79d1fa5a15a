// Choosing an owner. The register has no people directory of its own (the contract lists users
// only for user:manage and case:work), so the choices are: yourself, the people those lists give
// when you hold the permission, and everyone already owning something on screen.
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

/** People who can be named as owners, deduplicated by id, sorted by name. */
export function usePeople(seen: readonly Person[] = []): Person[] {
  const session = useSession();
  const permissions = session?.user.permissions ?? [];
  const canList = permissions.includes('user:manage');
  const canAssign = permissions.includes('case:work');
  const fetcher = useCallback(
    async (signal: AbortSignal): Promise<Person[]> => {
      // Either list is a convenience: failing to load it leaves the other choices.
      const lists = await Promise.all([
        canList
          ? callApi(CONTRACT.users.list, {}, { signal })
              .then((users) => users.filter((u) => u.active).map((u) => ({ id: u.id, name: u.displayName })))
              .catch(() => [])
          : Promise.resolve([]),
        canAssign
          ? callApi(CONTRACT.users.assignable, {}, { signal })
              .then((users) => users.map((u) => ({ id: u.id, name: u.displayName })))
              .catch(() => [])
          : Promise.resolve([]),
      ]);
      return lists.flat();
    },
    [canList, canAssign],
  );
  const fetched = useApiQuery(`risk-people:${canList}:${canAssign}`, fetcher);
  const seenKey = seen.map((p) => p.id).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `seen` is compared by its ids.
  return useMemo(() => {
    const byId = new Map<string, Person>();
    if (session) byId.set(session.user.id, { id: session.user.id, name: session.user.displayName });
    for (const p of [...(fetched.data ?? []), ...seen]) if (!byId.has(p.id)) byId.set(p.id, p);
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [fetched.data, seenKey, session]);
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
