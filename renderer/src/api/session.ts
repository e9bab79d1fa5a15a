// The signed-in session: token + user, kept in sessionStorage (one per tab/window, gone when the
// window closes; never in a URL or localStorage). Components read it with useSession().
import { useSyncExternalStore } from 'react';
import { LoginResponse, type UserPublic } from '../../../shared/src/auth.ts';
import type { Permission } from '../../../shared/src/roles.ts';

const STORAGE_KEY = 'wekeza.session';

export interface Session {
  token: string;
  expiresAt: string;
  user: UserPublic;
}

/** Why the last session ended, shown once on the sign-in screen. */
export type SessionEndReason = 'expired' | 'signed-out' | 'revoked';

interface SessionState {
  session: Session | null;
  endReason: SessionEndReason | null;
}

function readStored(): Session | null {
  try {
    const raw = window.sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = LoginResponse.safeParse(JSON.parse(raw));
    if (!parsed.success) return null;
    if (Date.parse(parsed.data.expiresAt) <= Date.now()) return null;
    return parsed.data;
  } catch {
    return null;
  }
}

let state: SessionState = { session: readStored(), endReason: null };
const listeners = new Set<() => void>();

function setState(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

export function getSession(): Session | null {
  return state.session;
}

export function startSession(login: LoginResponse): void {
  const session: Session = { token: login.token, expiresAt: login.expiresAt, user: login.user };
  try {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // Storage can be disabled; the session then lives only in memory for this page.
  }
  setState({ session, endReason: null });
}

export function updateSessionUser(user: UserPublic): void {
  if (!state.session) return;
  const session = { ...state.session, user };
  try {
    window.sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // see startSession
  }
  setState({ session, endReason: state.endReason });
}

export function endSession(reason: SessionEndReason): void {
  try {
    window.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // see startSession
  }
  if (!state.session && state.endReason === reason) return;
  // An expiry after the user has already signed out is not news.
  setState({ session: null, endReason: state.session ? reason : (state.endReason ?? reason) });
}

export function clearEndReason(): void {
  if (state.endReason) setState({ ...state, endReason: null });
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSessionState(): SessionState {
  return useSyncExternalStore(subscribe, () => state);
}

export function useSession(): Session | null {
  return useSessionState().session;
}

export function can(session: Session | null, permission: Permission): boolean {
  return !!session?.user.permissions.includes(permission);
}

export function useCan(permission: Permission): boolean {
  return can(useSession(), permission);
}
