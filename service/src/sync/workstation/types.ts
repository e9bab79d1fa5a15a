import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';

/**
 * What the workstation's sync engine (engine.ts) needs from the workstation shell (the sign-in
 * that keeps each user's hub session, workstation/shell.ts), and what it tells it.
 */
export interface HubCredentials {
  /** The hub session token of a user, or null when none is held (they must sign in online first). */
  tokenFor(userId: string): Promise<string | null>;
  /** The user whose scope the cache holds (the last to sign in online), or null before anyone has. */
  owner(): Promise<string | null>;
  /** The hub answered 401 to this user's token: forget it (their pushes wait for the next sign-in). */
  invalidate(userId: string): Promise<void>;
}

/** How the engine reaches the hub: fetch, or a lossy network in the model tests. */
export type HubTransport = (url: string, init: RequestInit) => Promise<Response>;

export interface UserAccessChange {
  userId: string;
  /** The hub deactivated the user. */
  deactivated: boolean;
  /** Role or tenants changed. */
  rightsChanged: boolean;
}

/** Runs inside a pulled page's transaction, after its rows were written. */
export type PageHook = (trx: Transaction<Database>) => Promise<void>;
