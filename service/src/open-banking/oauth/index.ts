// Issue 14 slice A: the authorization server, the customer's pages and the partner authenticator.
export { registerOpenBankingAuth, type OpenBankingAuthOptions } from './register.ts';
export { demoCustomerAuthenticator, DEMO_CUSTOMER_PASSCODE, type CustomerAuthenticator, type CustomerIdentity } from './customer-auth.ts';
export { revokeGrantWithin } from './adapter.ts';
export { OB_RESOURCE_PATH, resourceOf } from './provider.ts';
