// Pure Content-Security-Policy helpers (no electron import, unit-tested). The service sends its
// own CSP; main adds this one as a second header, and browsers enforce every CSP header they
// get, so the effective policy is the stricter combination even if the service's one regresses.

/** The desktop policy for a service at `serviceUrl` (an http(s) origin). */
export function buildContentSecurityPolicy(serviceUrl: string): string {
  const url = new URL(serviceUrl);
  const wsScheme = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${wsScheme}//${url.host}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

export type ResponseHeaders = Record<string, string[]>;

/**
 * A copy of `headers` with `policy` appended as one more Content-Security-Policy value. Header
 * names arrive in whatever case the server used; existing values are kept (never replaced).
 */
export function appendContentSecurityPolicy(headers: ResponseHeaders | undefined, policy: string): ResponseHeaders {
  const result: ResponseHeaders = {};
  let cspKey = 'Content-Security-Policy';
  for (const [name, values] of Object.entries(headers ?? {})) {
    result[name] = [...values];
    if (name.toLowerCase() === 'content-security-policy') cspKey = name;
  }
  result[cspKey] = [...(result[cspKey] ?? []), policy];
  return result;
}
