import { ClearSignInLockRequest, ClearSignInLockResponse, SignInLockList } from '../sign-in-locks.ts';
import { defineOperation } from './operation.ts';

/** Sign-in locks an administrator may see and clear (issue 11 §3; service/src/auth/sign-in-throttle.ts). */
export const signInLockOperations = {
  list: defineOperation({
    name: 'signInLock.list',
    kind: 'query',
    method: 'GET',
    path: '/api/v1/sign-in-locks',
    access: 'user:manage',
    tenant: 'global',
    summary: 'Sign-in locks in force now: by (username, address), by username, or by address, with their failure counts.',
    output: SignInLockList,
  }),
  clear: defineOperation({
    name: 'signInLock.clear',
    kind: 'command',
    method: 'POST',
    path: '/api/v1/sign-in-locks/clear',
    access: 'user:manage',
    tenant: 'global',
    summary: 'Clear the failed sign-ins of a username (from every address), of an address (for every username), or of one pair; audited.',
    body: ClearSignInLockRequest,
    output: ClearSignInLockResponse,
  }),
} as const;
