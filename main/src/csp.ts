// Pure Content-Security-Policy helpers (no electron import, unit-tested). The service sends its
// own CSP; main adds this one as a second header, and browsers enforce every CSP header they
// get, so the effective policy is the stricter combination even if the service's one regresses.

export { buildContentSecurityPolicy } from '../../shared/src/csp.ts';

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
