import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The HTTP request a piece of work is done for, so that commands run while answering it carry its
 * request id into their audit rows without every caller passing it (ARCHITECTURE.md rule 1).
 */
export const requestContext = new AsyncLocalStorage<{ requestId: string }>();
