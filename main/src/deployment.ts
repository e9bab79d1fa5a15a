// How main starts the service for each deployment choice (issue 12), as pure functions so the
// unit tests can prove the arguments (main/src/deployment.test.ts). No electron import.
//  - unset (first run): standalone WITHOUT --demo in a separate setup folder, only to serve the
//    "Set up this computer" screen; nothing there is kept.
//  - workstation: --mode workstation --hub-url URL, its cache in <userData>/workstation.
//  - standalone-demo: --demo in <userData>/demo (evaluation; the only choice that seeds demo users).
//  - standalone-empty: an empty standalone database in <userData>/data.
import { join } from 'node:path';
import { HealthResponse } from '../../shared/src/api.ts';
import { DeploymentChoice } from '../../shared/src/desktop.ts';

/**
 * The stored deployment choice (main/src/settings.ts), or null when none was made (first run) or
 * the stored value is not a valid choice (a hand-edited file): then the user is asked again
 * rather than guessed for.
 */
export function parseDeployment(raw: unknown): DeploymentChoice | null {
  const parsed = DeploymentChoice.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

export interface ServiceLaunch {
  /** The folder the service keeps its database (or cache) in. */
  dataDir: string;
  /** Arguments for the service entry point, port and data folder included. */
  args: string[];
  /** True on first run: the service only serves the setup screen. */
  setup: boolean;
}

export function serviceLaunch(deployment: DeploymentChoice | null, userDataDir: string): ServiceLaunch {
  const launch = (folder: string, modeArgs: string[], setup = false): ServiceLaunch => {
    const dataDir = join(userDataDir, folder);
    return { dataDir, args: [...modeArgs, '--port', '0', '--data-dir', dataDir], setup };
  };
  if (!deployment) return launch('setup', ['--mode', 'standalone'], true);
  switch (deployment.kind) {
    case 'workstation':
      return launch('workstation', ['--mode', 'workstation', '--hub-url', deployment.hubUrl]);
    case 'standalone-demo':
      return launch('demo', ['--mode', 'standalone', '--demo']);
    case 'standalone-empty':
      return launch('data', ['--mode', 'standalone']);
  }
}

export type HubCheck = { ok: true } | { ok: false; message: string };

export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; headers: Record<string, string> },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

/**
 * Before saving a workstation choice: the address must answer GET /health as a Wekeza hub, within
 * `timeoutMs`. A standalone service or another workstation is refused with a sentence saying so.
 */
export async function checkHub(hubUrl: string, fetchImpl: FetchLike, timeoutMs = 8000): Promise<HubCheck> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetchImpl(`${hubUrl.replace(/\/+$/, '')}/health`, { signal: controller.signal, headers: { accept: 'application/json' } });
    if (!response.ok) return { ok: false, message: `${hubUrl} answered ${response.status} to /health; it does not look like a Wekeza hub.` };
    const health = HealthResponse.safeParse(await response.json().catch(() => null));
    if (!health.success) return { ok: false, message: `${hubUrl} answered, but not as a Wekeza service.` };
    if (health.data.mode !== 'hub') {
      return { ok: false, message: `${hubUrl} is a Wekeza service in ${health.data.mode} mode, not a hub. Ask for the bank's hub address.` };
    }
    return { ok: true };
  } catch (error) {
    if (controller.signal.aborted) {
      const limit = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} seconds` : `${timeoutMs} ms`;
      return { ok: false, message: `${hubUrl} did not answer within ${limit}.` };
    }
    // Node's fetch says only "fetch failed"; the cause names it (ECONNREFUSED, ENOTFOUND, a TLS error).
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    return { ok: false, message: `${hubUrl} cannot be reached (${cause}).` };
  } finally {
    clearTimeout(timer);
  }
}
