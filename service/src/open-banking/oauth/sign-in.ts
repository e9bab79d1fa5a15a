import type { FastifyRequest } from 'fastify';
import type { ServiceContext } from '../../context.ts';
import type { CustomerAuthenticator, CustomerIdentity } from './customer-auth.ts';
import { formField } from './forms.ts';

export type CustomerSignIn = { identity: CustomerIdentity } | { refused: { status: 401 | 429; message: string; retryAfterSeconds?: number } };

/**
 * One customer sign-in attempt from a page's form, through the service's sign-in throttle (the
 * same counts and locks as staff sign-in, keyed "customer:<number>"), so a short passcode cannot
 * be guessed by trying them all.
 */
export async function signInCustomer(
  ctx: ServiceContext,
  customers: CustomerAuthenticator,
  request: FastifyRequest,
  tenantId: string | null,
): Promise<CustomerSignIn> {
  const identifier = (formField(request.body, 'identifier') ?? '').trim().slice(0, 100);
  const secret = (formField(request.body, 'secret') ?? '').slice(0, 200);
  const key = `customer:${identifier}`;
  const { retryAfterSeconds } = await ctx.signInThrottle.check(key, request.ip);
  if (retryAfterSeconds > 0) {
    return { refused: { status: 429, message: `Too many attempts. Try again in ${retryAfterSeconds} seconds.`, retryAfterSeconds } };
  }
  const identity = await customers.authenticate({ identifier, secret, tenantId });
  if (!identity) {
    await ctx.signInThrottle.failed(key, request.ip, request.id);
    return { refused: { status: 401, message: 'That customer number and passcode do not match our records.' } };
  }
  await ctx.signInThrottle.succeeded(key, request.ip, request.id);
  return { identity };
}
