import { demoOperations } from '../../../shared/src/contract/demo.ts';
import type { DemoInfo } from '../../../shared/src/demo.ts';
import { callApi } from '../api/contract-client.ts';

/** Demo mode's team and password for the sign-in page; `{ demo: false }` on a real deployment. */
export function fetchDemoInfo(signal?: AbortSignal): Promise<DemoInfo> {
  return callApi(demoOperations.info, {}, { signal });
}
