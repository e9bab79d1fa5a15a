import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/database.ts';
import type { SignInLabels } from './pages.ts';

/** A bank customer the service has authenticated (their customer_ref in bank_accounts). */
export interface CustomerIdentity {
  customerRef: string;
  /** How the pages greet them. */
  displayName: string;
}

/**
 * How the service authenticates the bank's customers on its consent pages (issue 14). A bank
 * plugs its own in (its internet-banking login, an OTP service, a national ID provider) by
 * passing one to startService({ customerAuthenticator }) — see README "Open Banking".
 */
export interface CustomerAuthenticator {
  /** The sign-in form's labels (e.g. "Customer number" / "PIN"). */
  readonly labels: SignInLabels;
  /**
   * The customer these credentials prove, or null. `tenantId` is the bank entity of the app asking
   * (null on the customer's own consents page). Must not reveal which part was wrong.
   */
  authenticate(input: { identifier: string; secret: string; tenantId: string | null }): Promise<CustomerIdentity | null>;
}

/** The demo customers' credential (demo mode only; printed by --demo and in the README). */
export const DEMO_CUSTOMER_PASSCODE = '246810';

/**
 * Demo mode: a customer signs in with their customer reference (a customer_ref of bank_accounts)
 * and the demo passcode. Only used with --demo or when a test passes it.
 */
export function demoCustomerAuthenticator(db: Db): CustomerAuthenticator {
  return {
    labels: {
      identifier: 'Customer number',
      secret: 'Passcode',
      hint: `Demo: a demo customer's number (CIF-…, as on the workstation's customer pages) with passcode ${DEMO_CUSTOMER_PASSCODE}.`,
    },
    async authenticate({ identifier, secret, tenantId }) {
      const ref = identifier.trim();
      const expected = Buffer.from(DEMO_CUSTOMER_PASSCODE);
      const given = Buffer.from(secret);
      if (ref === '' || given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      let query = db.kysely.selectFrom('bank_accounts').select('customer_ref').where('customer_ref', '=', ref).where('deleted_at', 'is', null);
      if (tenantId) query = query.where('tenant_id', '=', tenantId);
      const row = await query.executeTakeFirst();
      if (!row) return null;
      // The name the bank knows the customer by (core banking's record), as their bank would greet them.
      const person = await db.kysely.selectFrom('customers').select('full_name').where('customer_ref', '=', row.customer_ref).executeTakeFirst();
      return { customerRef: row.customer_ref, displayName: person?.full_name ?? `Customer ${row.customer_ref}` };
    },
  };
}

/**
 * The customer's session on /customer/* pages: a signed cookie (HMAC under a key derived from the
 * master key) naming the customer, a session id for the CSRF token, and when it ends.
 */
export interface CustomerSession {
  sid: string;
  customerRef: string;
  displayName: string;
  /** epoch ms */
  exp: number;
}

export const CUSTOMER_COOKIE = 'wkz_customer';
export const CUSTOMER_SESSION_MS = 15 * 60 * 1000;

export class CustomerSessions {
  constructor(private readonly key: Buffer) {}

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('base64url');
  }

  issue(identity: CustomerIdentity, nowMs: number): { cookie: string; session: CustomerSession } {
    const session: CustomerSession = {
      sid: randomUUID(),
      customerRef: identity.customerRef,
      displayName: identity.displayName,
      exp: nowMs + CUSTOMER_SESSION_MS,
    };
    const body = Buffer.from(JSON.stringify(session)).toString('base64url');
    return { cookie: `${body}.${this.mac(`session:${body}`)}`, session };
  }

  read(cookie: string | undefined, nowMs: number): CustomerSession | null {
    if (!cookie) return null;
    const [body, mac] = cookie.split('.');
    if (!body || !mac || !this.equal(mac, this.mac(`session:${body}`))) return null;
    try {
      const session = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as CustomerSession;
      return typeof session.exp === 'number' && session.exp > nowMs ? session : null;
    } catch {
      return null;
    }
  }

  /** A form's CSRF token, bound to what the form is for (a customer session id or an interaction uid). */
  csrf(bindTo: string): string {
    return this.mac(`csrf:${bindTo}`);
  }

  checkCsrf(bindTo: string, token: unknown): boolean {
    return typeof token === 'string' && this.equal(token, this.csrf(bindTo));
  }

  private equal(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
