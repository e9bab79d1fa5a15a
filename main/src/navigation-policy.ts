// Pure decisions behind the web-contents guards (no electron import, so they are unit-tested).
// The app window may only ever show the local service; everything else is denied or, for
// plain https links, handed to the OS browser where our preload and IPC do not exist.

/** The origin of `url` ("http://127.0.0.1:4780"), or null when it has none (invalid, data:, about:). */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return parsed.origin === 'null' ? null : parsed.origin;
}

/** True when `url` belongs to the service origin. A null service origin (not started yet) allows nothing. */
export function isServiceUrl(url: string | null | undefined, serviceOrigin: string | null): boolean {
  if (!url || !serviceOrigin) return false;
  return originOf(url) === serviceOrigin;
}

/** Navigation (will-navigate / will-redirect / will-frame-navigate) stays on the service origin. */
export function isAllowedNavigation(url: string, serviceOrigin: string | null): boolean {
  return isServiceUrl(url, serviceOrigin);
}

export type WindowOpenDecision = { action: 'deny' } | { action: 'open-external'; url: string };

const MAX_EXTERNAL_URL_LENGTH = 2048;

/**
 * window.open / target=_blank never creates an Electron window. Only https: links go to the OS
 * browser: other schemes (file:, smb:, custom protocol handlers, javascript:) can launch local
 * programs, and embedded credentials are a phishing vector.
 */
export function decideWindowOpen(url: string): WindowOpenDecision {
  if (url.length > MAX_EXTERNAL_URL_LENGTH) return { action: 'deny' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { action: 'deny' };
  }
  if (parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') {
    return { action: 'deny' };
  }
  return { action: 'open-external', url: parsed.href };
}

/** The only web permissions the UI needs: showing notifications and writing to the clipboard. */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications', 'clipboard-sanitized-write']);

/** Permission requests and checks: granted only for the allow-list and only to the service origin. */
export function isPermissionAllowed(permission: string, requestingUrl: string | null | undefined, serviceOrigin: string | null): boolean {
  return GRANTED_PERMISSIONS.has(permission) && isServiceUrl(requestingUrl, serviceOrigin);
}
