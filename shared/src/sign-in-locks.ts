import { z } from 'zod';

/**
 * Sign-in throttling (issue 11 §3): failed sign-ins are counted per (username, address) pair,
 * per username across addresses, and per address across usernames; each count that passes its
 * threshold holds back further sign-ins of its kind for a while that grows with more failures.
 */
export const SignInLockKind = z.enum(['pair', 'user', 'address']);
export type SignInLockKind = z.infer<typeof SignInLockKind>;

export const SignInLock = z.object({
  kind: SignInLockKind,
  /** Null for an address lock (every username from that address). */
  username: z.string().nullable(),
  /** Null for a username lock (that username from addresses it has not signed in from before). */
  address: z.string().nullable(),
  failures: z.number().int(),
  lockedUntil: z.iso.datetime(),
});
export type SignInLock = z.infer<typeof SignInLock>;

export const SignInLockList = z.object({ items: z.array(SignInLock) });
export type SignInLockList = z.infer<typeof SignInLockList>;

/** Clears the failures of a username (every address), of an address (every username), or of one pair. */
export const ClearSignInLockRequest = z
  .object({
    username: z.string().trim().min(1).max(64).optional(),
    address: z.string().trim().min(1).max(100).optional(),
  })
  .refine((v) => v.username !== undefined || v.address !== undefined, { message: 'name a username, an address or both', path: ['username'] });
export type ClearSignInLockRequest = z.infer<typeof ClearSignInLockRequest>;

export const ClearSignInLockResponse = z.object({ cleared: z.number().int() });
export type ClearSignInLockResponse = z.infer<typeof ClearSignInLockResponse>;
