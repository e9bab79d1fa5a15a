import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';

/** The hub's announcement that its change log moved (shared/src/events.ts 'sync.changed'). */
const SyncChanged = z.object({ seq: z.number().int().nonnegative() });

/**
 * The hub's live announcements over socket.io, with the cache owner's session (the handshake's
 * auth token, checked like any request: service/src/realtime/socket.ts). Each `sync.changed`, and
 * each (re)connection (what was announced meanwhile was missed), asks for a pull; the engine's
 * poll is the fallback when the socket cannot connect.
 */
export class HubAnnouncements {
  private socket: Socket | null = null;
  private token: string | null = null;

  constructor(
    private readonly hubUrl: string,
    private readonly delays: { backoffMinMs: number; backoffMaxMs: number },
    private readonly changed: () => void,
  ) {}

  connect(token: string): void {
    if (this.socket && this.token === token) return;
    this.close();
    const socket = io(this.hubUrl, {
      auth: { token },
      transports: ['websocket'],
      reconnectionDelay: this.delays.backoffMinMs,
      reconnectionDelayMax: this.delays.backoffMaxMs,
      forceNew: true,
    });
    socket.on('sync.changed', (payload: unknown) => {
      if (SyncChanged.safeParse(payload).success) this.changed();
    });
    socket.on('connect', () => this.changed());
    this.socket = socket;
    this.token = token;
  }

  close(): void {
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.token = null;
  }
}
