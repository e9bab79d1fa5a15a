// Risk and KRI references by id, so event lists can name what an event is linked to (an event
// carries only the ids). One fetch of each per screen; a failure leaves the ids unnamed.
import { useCallback, useMemo } from 'react';
import { useApiQuery } from '../api/useApiQuery.ts';
import { fetchKris, fetchRiskChoices } from '../kris/krisApi.ts';

export interface LinkedName {
  reference: string;
  title: string;
}

export function useRegisterLookups(): { risks: Map<string, LinkedName>; kris: Map<string, LinkedName> } {
  const risks = useApiQuery(
    'lookup-risks',
    useCallback((signal: AbortSignal) => fetchRiskChoices({ pageSize: 500 }, signal), []),
  );
  const kris = useApiQuery(
    'lookup-kris',
    useCallback((signal: AbortSignal) => fetchKris({}, signal), []),
  );
  return useMemo(
    () => ({
      risks: new Map((risks.data?.items ?? []).map((r) => [r.id, { reference: r.reference, title: r.title }])),
      kris: new Map((kris.data?.kris ?? []).map((k) => [k.id, { reference: k.reference, title: k.name }])),
    }),
    [risks.data, kris.data],
  );
}
