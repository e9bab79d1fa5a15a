/**
 * The UI's Content-Security-Policy, in one place: the service sends it with its HTML and the
 * desktop shell adds it again as a second header (browsers enforce every CSP header they get).
 * No inline script, no eval, nothing from elsewhere; sockets only to the service itself.
 */
export function buildContentSecurityPolicy(serviceOrigin: string): string {
  // shared/ has no URL class (no DOM or node types): the origin is parsed by hand.
  const match = /^(https?):\/\/([^/?#]+)/i.exec(serviceOrigin);
  if (!match) throw new Error(`not an http(s) origin: ${serviceOrigin}`);
  const [, scheme, host] = match;
  const wsScheme = scheme!.toLowerCase() === 'https' ? 'wss:' : 'ws:';
  return [
    "default-src 'self'",
    "script-src 'self'",
    // MUI (emotion) injects <style> elements at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${wsScheme}//${host}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}
