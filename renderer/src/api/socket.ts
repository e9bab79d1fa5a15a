// Live updates over socket.io. One socket per signed-in tab, authenticated with the session token
// in the handshake (`auth: {token}`); screens subscribe with useServerEvent().
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../shared/src/events.ts';
import { http } from './client.ts';
import { endSession } from './session.ts';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline';

export interface ConnectionState {
  status: ConnectionStatus;
  /** When the socket last connected (ISO), for the tooltip. */
  connectedAt: string | null;
  /** The last connection error, in words. */
  lastError: string | null;
}

/** Local event fired after a reconnect: events may have been missed, so screens refetch. */
export interface LocalEvents {
  resync: () => void;
}
type AllEvents = ServerToClientEvents & LocalEvents;
export type LiveEventName = keyof AllEvents;

/** After this many failed reconnect attempts we stop saying "reconnecting" and say "offline". */
const OFFLINE_AFTER_ATTEMPTS = 4;

let socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
let connection: ConnectionState = { status: 'offline', connectedAt: null, lastError: null };
const statusListeners = new Set<() => void>();
const eventListeners = new Map<LiveEventName, Set<(...args: never[]) => void>>();

function setConnection(patch: Partial<ConnectionState>): void {
  connection = { ...connection, ...patch };
  for (const listener of statusListeners) listener();
}

function dispatch<E extends LiveEventName>(name: E, ...args: Parameters<AllEvents[E]>): void {
  const set = eventListeners.get(name);
  if (!set) return;
  for (const handler of [...set]) {
    try {
      (handler as (...a: Parameters<AllEvents[E]>) => void)(...args);
    } catch (error) {
      console.error(`live event handler for ${name} failed`, error);
    }
  }
}

export function connectLive(token: string): void {
  disconnectLive();
  const base = http.defaults.baseURL;
  const options = { auth: { token }, transports: ['websocket'], reconnectionDelayMax: 10_000 };
  const s: Socket<ServerToClientEvents, ClientToServerEvents> = base ? io(base, options) : io(options);
  socket = s;
  let everConnected = false;
  let attempts = 0;
  setConnection({ status: 'connecting', lastError: null });

  s.on('connect', () => {
    attempts = 0;
    setConnection({ status: 'connected', connectedAt: new Date().toISOString(), lastError: null });
    if (everConnected) dispatch('resync');
    everConnected = true;
  });
  s.on('disconnect', (reason) => {
    // The server closing the socket on purpose (e.g. the session was revoked) is not retried.
    setConnection({ status: s.active ? 'reconnecting' : 'offline', lastError: `Disconnected (${reason})` });
  });
  s.on('connect_error', (error) => {
    if (/unauthori[sz]ed/i.test(error.message)) {
      endSession('expired');
      return;
    }
    attempts += 1;
    const offline = !s.active || attempts >= OFFLINE_AFTER_ATTEMPTS || !navigator.onLine;
    setConnection({ status: offline ? 'offline' : 'reconnecting', lastError: error.message });
  });
  s.on('case.opened', (summary) => dispatch('case.opened', summary));
  s.on('case.updated', (summary) => dispatch('case.updated', summary));
  s.on('case.activity', (event) => dispatch('case.activity', event));
  s.on('queue.changed', (event) => dispatch('queue.changed', event));
  s.on('assessment.created', (event) => dispatch('assessment.created', event));
  s.on('assessment.updated', (event) => dispatch('assessment.updated', event));
  s.on('configuration.changed', (event) => dispatch('configuration.changed', event));
  s.on('toggle.changed', (event) => dispatch('toggle.changed', event));
  s.on('backtest.progress', (backtest) => dispatch('backtest.progress', backtest));
  // The user's own notifications (issue 13): the bell refreshes and raises an OS notification.
  s.on('notification.created', (notification) => dispatch('notification.created', notification));
  // The register's live changes (issue 13): risks, controls, acceptances, the matrix, KRIs, events.
  s.on('register.changed', (event) => dispatch('register.changed', event));
  s.on('kri.changed', (event) => dispatch('kri.changed', event));
  s.on('risk-event.changed', (event) => dispatch('risk-event.changed', event));
  // The consent register's live changes (issue 14): authorised, rejected, revoked, superseded.
  s.on('consent.changed', (event) => dispatch('consent.changed', event));
  s.on('alert.changed', (event) => dispatch('alert.changed', event));
  s.on('sync.applied', (event) => {
    dispatch('sync.applied', event);
    // Changes pulled from the hub arrive without per-case events: every live screen refetches,
    // as after a reconnect (useLiveRefresh and the case page listen to 'resync').
    dispatch('resync');
  });
  s.on('session.revoked', (info) => {
    dispatch('session.revoked', info);
    endSession(/signed out|logout/i.test(info.reason) ? 'signed-out' : 'revoked');
  });
}

export function disconnectLive(): void {
  if (socket) {
    socket.removeAllListeners();
    socket.disconnect();
    socket = null;
  }
  setConnection({ status: 'offline', connectedAt: null });
}

export function onLiveEvent<E extends LiveEventName>(name: E, handler: AllEvents[E]): () => void {
  let set = eventListeners.get(name);
  if (!set) {
    set = new Set();
    eventListeners.set(name, set);
  }
  const stored = handler as (...args: never[]) => void;
  set.add(stored);
  return () => set.delete(stored);
}

/** Subscribes for the component's lifetime; the latest handler is always called (no stale closures). */
export function useLiveEvent<E extends LiveEventName>(name: E, handler: AllEvents[E]): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => {
    const forward = ((...args: Parameters<AllEvents[E]>) => (ref.current as (...a: Parameters<AllEvents[E]>) => void)(...args)) as AllEvents[E];
    return onLiveEvent(name, forward);
  }, [name]);
}

function subscribeStatus(listener: () => void): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

export function useConnection(): ConnectionState {
  return useSyncExternalStore(subscribeStatus, () => connection);
}
