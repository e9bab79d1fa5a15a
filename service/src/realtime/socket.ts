import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/src/events.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import type { Principal } from '../auth/principal.ts';
import type { CommandBus } from '../commands/bus.ts';
import { checkHostAndOrigin, type LockdownPolicy } from '../http/lockdown.ts';
import type { Metrics } from '../metrics.ts';

interface SocketData {
  principal: Principal;
}

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const permissionRoom = (permission: string) => `permission:${permission}`;
/** One room per permission and tenant ("*" for sockets acting for every tenant). */
const tenantRoom = (permission: string, tenant: string) => `permission:${permission}|tenant:${tenant}`;
const sessionRoom = (sessionId: string) => `session:${sessionId}`;
/** Every socket of a signed-in user (notifications, revocations). */
export const userRoom = (userId: string) => `user:${userId}`;

/**
 * socket.io on the service's HTTP server. CORS does not protect WebSockets, so the handshake gets
 * the same Host/Origin check as HTTP, then must carry a valid session token. Each socket joins one
 * room per permission it holds; an announcement goes only to the room of the permission it needs.
 */
export function createRealtimeServer(options: {
  httpServer: HttpServer;
  lockdown: () => LockdownPolicy;
  authenticator: Authenticator;
  bus: CommandBus;
  metrics: Metrics;
}): RealtimeServer {
  const io: RealtimeServer = new Server(options.httpServer, {
    serveClient: false,
    transports: ['websocket', 'polling'],
    maxHttpBufferSize: 64 * 1024,
    // A transport that has not joined with a valid token within 5 s is closed.
    connectTimeout: 5_000,
    allowRequest: (request, callback) => {
      const verdict = checkHostAndOrigin(options.lockdown(), request.headers.host, request.headers.origin);
      callback(verdict.ok ? null : verdict.message, verdict.ok);
    },
  });

  io.use(async (socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown };
    const principal = typeof auth.token === 'string' ? await options.authenticator.fromToken(auth.token) : null;
    // A user who must still change a one-time password gets no live data (like HTTP: 403 PASSWORD_CHANGE_REQUIRED).
    if (!principal || principal.passwordChangeRequired) return next(new Error('unauthorized'));
    socket.data.principal = principal;
    next();
  });

  io.on('connection', (socket) => {
    const { principal } = socket.data;
    for (const permission of principal.permissions) {
      void socket.join(permissionRoom(permission));
      const tenants = principal.tenants === 'ALL' ? ['*'] : principal.tenants;
      for (const tenant of tenants) void socket.join(tenantRoom(permission, tenant));
    }
    if (principal.sessionId) void socket.join(sessionRoom(principal.sessionId));
    void socket.join(userRoom(principal.actor.id));
    options.metrics.socketConnections.inc();
    socket.on('disconnect', () => options.metrics.socketConnections.dec());
    socket.on('ping', (ack) => {
      if (typeof ack === 'function') ack(options.bus.clock.now().toISOString());
    });
  });

  options.bus.events.on('announce', (announcement) => {
    // The payload type is tied to the event name by the Announcement union. A tenant's change
    // reaches the sockets acting for that tenant or for every tenant (ARCHITECTURE.md "Tenants").
    const { audience, tenantId, userId } = announcement;
    // A notification is for its user alone (issue 13), on every socket that user has open.
    const room = userId
      ? io.to(userRoom(userId))
      : tenantId
        ? io.to(tenantRoom(audience, tenantId)).to(tenantRoom(audience, '*'))
        : io.to(permissionRoom(audience));
    (room.emit as (event: string, payload: unknown) => boolean)(announcement.event, announcement.payload);
  });

  announceChanges(io, options.bus);
  return io;
}

/** At most one sync.changed per this many ms: a burst of commands makes one pull, not hundreds. */
const CHANGED_MIN_GAP_MS = 10;

/**
 * Workstations pull as soon as the hub's change log grows (issue 12: p99 ≤ 100 ms from a hub change
 * to the other workstation's event). The first change after a quiet spell goes out at once; changes
 * within the next few ms are folded into one event carrying the newest sequence. Every socket is
 * signed in (io.use above); the sequence number alone reveals nothing of any tenant's data.
 */
function announceChanges(io: RealtimeServer, bus: CommandBus): void {
  let lastSentAt = 0;
  let newest = 0;
  let timer: NodeJS.Timeout | null = null;
  const send = () => {
    timer = null;
    lastSentAt = performance.now();
    io.emit('sync.changed', { seq: newest });
  };
  bus.events.on('changes', ({ seq }) => {
    newest = Math.max(newest, seq);
    if (timer) return;
    const wait = lastSentAt + CHANGED_MIN_GAP_MS - performance.now();
    if (wait <= 0) send();
    // unref: a pending nudge (≤ 10 ms) never keeps a closing service alive.
    else timer = setTimeout(send, wait).unref();
  });
}

/** Ends the live connections of a session that was signed out. */
export function disconnectSession(io: RealtimeServer, sessionId: string, reason: string): void {
  io.to(sessionRoom(sessionId)).emit('session.revoked', { reason });
  io.in(sessionRoom(sessionId)).disconnectSockets(true);
}

/** Ends every live connection of a user (deactivated, re-roled or moved to other tenants). */
export function disconnectUser(io: RealtimeServer, userId: string, reason: string): void {
  io.to(userRoom(userId)).emit('session.revoked', { reason });
  io.in(userRoom(userId)).disconnectSockets(true);
}
