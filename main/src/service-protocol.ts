// Pure parsing of the service's stdout protocol (no electron import, unit-tested).
// The service prints one JSON object per line; everything it logs goes to stderr instead.
import { z } from 'zod';
import { DesktopBootstrap } from '../../shared/src/desktop.ts';

const ReadyEvent = z.object({
  event: z.literal('ready'),
  url: z.url(),
  mode: DesktopBootstrap.shape.mode,
});

const AdminPasswordEvent = z.object({
  event: z.literal('admin-password'),
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(500),
});

export const ServiceEvent = z.discriminatedUnion('event', [ReadyEvent, AdminPasswordEvent]);
export type ServiceEvent = z.infer<typeof ServiceEvent>;

/** Lines longer than this are not protocol messages (and are not worth parsing). */
export const MAX_PROTOCOL_LINE = 16 * 1024;

/** The protocol event on `line`, or null for blank, non-JSON, unknown or malformed lines. */
export function parseServiceLine(line: string): ServiceEvent | null {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || trimmed.length > MAX_PROTOCOL_LINE) return null;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return null;
  }
  const parsed = ServiceEvent.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/**
 * The normalised origin of the URL the service says it listens on, or null unless it is plain
 * http on a loopback address with an explicit port. The window loads this URL with our preload,
 * so it must never point anywhere else, whatever the child prints.
 */
export function loopbackServiceOrigin(serviceUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return null;
  }
  const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (url.protocol !== 'http:' || !loopbackHosts.has(url.hostname) || url.port === '') return null;
  if (url.username !== '' || url.password !== '') return null;
  return url.origin;
}

/** Keeps the last `maxLines` lines of a stream (for error dialogs), each cut to `maxLineLength`. */
export class LineTail {
  readonly #lines: string[] = [];
  readonly #maxLines: number;
  readonly #maxLineLength: number;

  constructor(maxLines = 20, maxLineLength = 500) {
    this.#maxLines = maxLines;
    this.#maxLineLength = maxLineLength;
  }

  push(line: string): void {
    const clipped = line.length > this.#maxLineLength ? `${line.slice(0, this.#maxLineLength)}…` : line;
    this.#lines.push(clipped);
    if (this.#lines.length > this.#maxLines) this.#lines.splice(0, this.#lines.length - this.#maxLines);
  }

  lines(): string[] {
    return [...this.#lines];
  }

  /** Replaces `secret` in the lines already kept (see redactSecrets). */
  redact(secret: string): void {
    for (let i = 0; i < this.#lines.length; i++) this.#lines[i] = redactSecrets(this.#lines[i] ?? '', [secret]);
  }
}

/** `text` with every occurrence of each (non-empty) secret replaced by a marker. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret !== '') result = result.split(secret).join('[redacted]');
  return result;
}
