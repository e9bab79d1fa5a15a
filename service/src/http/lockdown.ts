/**
 * Host and Origin checks (ARCHITECTURE.md rule 6). A page on any web site can make the user's
 * browser talk to 127.0.0.1; DNS rebinding even makes it same-origin. So every HTTP request and
 * every socket.io handshake must name one of our own hosts, and a browser Origin must be ours.
 */
export interface LockdownPolicy {
  allowedHosts: ReadonlySet<string>;
  allowedOrigins: ReadonlySet<string>;
}

export type LockdownVerdict = { ok: true } | { ok: false; status: 403 | 421; message: string };

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]']);

export function isLoopbackHost(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}

/**
 * @param bindHost the address the service listens on
 * @param port the actual port (after --port 0 was resolved)
 * @param extraHosts host[:port] names a hub is reached by (from --allowed-host)
 */
export function buildLockdownPolicy(bindHost: string, port: number, extraHosts: readonly string[]): LockdownPolicy {
  const hosts = new Set<string>(LOOPBACK_NAMES.map((name) => `${name}:${port}`));
  if (!WILDCARD_BINDS.has(bindHost) && !isLoopbackHost(bindHost)) {
    hosts.add(`${bindHost.includes(':') ? `[${bindHost}]` : bindHost}:${port}`);
  }
  for (const extra of extraHosts) hosts.add(extra.includes(':') && !extra.startsWith('[') ? extra : `${extra}:${port}`);
  const origins = new Set<string>();
  for (const host of hosts) {
    origins.add(`http://${host}`);
    // Behind a TLS-terminating proxy a hub is reached over https on the same names.
    if (!LOOPBACK_NAMES.some((name) => host.startsWith(name))) origins.add(`https://${host}`);
  }
  return { allowedHosts: hosts, allowedOrigins: origins };
}

export function checkHostAndOrigin(policy: LockdownPolicy, host: string | undefined, origin: string | undefined): LockdownVerdict {
  if (!host || !policy.allowedHosts.has(host.toLowerCase())) {
    return { ok: false, status: 421, message: `requests must be addressed to this service's own host, not "${host ?? ''}"` };
  }
  // No Origin header: not a cross-site browser request (curl, the payment engine). Browsers always
  // send Origin on cross-origin requests and on WebSocket handshakes.
  if (origin !== undefined && !policy.allowedOrigins.has(origin.toLowerCase())) {
    return { ok: false, status: 403, message: `origin "${origin}" is not allowed` };
  }
  return { ok: true };
}
