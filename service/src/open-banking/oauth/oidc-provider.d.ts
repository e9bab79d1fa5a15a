// oidc-provider 9 ships no type declarations: the part of its API this service uses (issue 14).
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface AdapterPayload {
    [key: string]: unknown;
    grantId?: string;
    userCode?: string;
    uid?: string;
    consumed?: number;
    jti?: string;
    kind?: string;
    exp?: number;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    redirect_uris?: string[];
    grant_types?: string[];
    response_types?: string[];
    token_endpoint_auth_method?: string;
    scope?: string;
    [key: string]: unknown;
  }

  export interface Client {
    clientId: string;
    clientSecret?: string;
    scope?: string;
    grantTypeAllowed(type: string): boolean;
    compareClientSecret(actual: string): Promise<boolean> | boolean;
    [key: string]: unknown;
  }

  export interface ResourceServer {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt';
  }

  export interface BaseTokenInstance {
    jti: string;
    kind: string;
    clientId: string;
    accountId?: string;
    grantId?: string;
    scope?: string;
    aud?: string | string[];
    exp?: number;
    iat?: number;
    gty?: string;
    extra?: Record<string, unknown>;
    isExpired: boolean;
  }

  export interface TokenStatic {
    find(value: string, options?: { ignoreExpiration?: boolean }): Promise<BaseTokenInstance | undefined>;
  }

  export interface GrantInstance {
    accountId?: string;
    clientId?: string;
    jti: string;
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    save(ttl?: number): Promise<string>;
    destroy(): Promise<void>;
  }

  export interface GrantStatic {
    new (properties: { accountId: string; clientId: string }): GrantInstance;
    find(id: string): Promise<GrantInstance | undefined>;
  }

  export interface InteractionPrompt {
    name: 'login' | 'consent' | string;
    reasons: string[];
    details: Record<string, unknown>;
  }

  export interface Interaction {
    uid: string;
    prompt: InteractionPrompt;
    params: Record<string, unknown> & { client_id?: string; scope?: string; redirect_uri?: string; consent_id?: string };
    session?: { accountId?: string; uid: string } | undefined;
    grantId?: string;
    lastSubmission?: Record<string, unknown>;
    returnTo: string;
    exp: number;
  }

  export interface InteractionResults {
    login?: { accountId: string; remember?: boolean; acr?: string; amr?: string[] };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
    [key: string]: unknown;
  }

  /** Koa's context as oidc-provider hands it to configuration callbacks (only what is read here). */
  export interface KoaContextWithOIDC {
    oidc: {
      client?: Client;
      params?: Record<string, unknown>;
      route?: string;
      entities: Record<string, unknown>;
      /** The interaction's result while the authorization request resumes. */
      result?: InteractionResults;
      provider: Provider;
      isFapi(...profiles: string[]): string | undefined;
    };
    req: IncomingMessage;
    res: ServerResponse;
    status: number;
    body: unknown;
    type: string;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string, claims: Record<string, unknown>, rejected: string[]): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export interface Configuration {
    adapter: new (name: string) => Adapter;
    clients?: ClientMetadata[];
    clientDefaults?: Partial<ClientMetadata>;
    extraClientMetadata?: { properties: string[] };
    claims?: Record<string, string[] | null>;
    scopes?: string[];
    cookies?: { keys: (string | Buffer)[]; long?: Record<string, unknown>; short?: Record<string, unknown> };
    jwks?: { keys: Record<string, unknown>[] };
    extraParams?: string[];
    extraTokenClaims?: (ctx: KoaContextWithOIDC, token: BaseTokenInstance) => Promise<Record<string, unknown> | undefined>;
    features?: Record<string, Record<string, unknown>>;
    findAccount?: (ctx: KoaContextWithOIDC, sub: string, token?: unknown) => Promise<Account | undefined>;
    interactions?: { url: (ctx: KoaContextWithOIDC, interaction: Interaction) => string | Promise<string> };
    issueRefreshToken?: (ctx: KoaContextWithOIDC, client: Client, code: BaseTokenInstance) => Promise<boolean>;
    loadExistingGrant?: (ctx: KoaContextWithOIDC) => Promise<GrantInstance | undefined>;
    expiresWithSession?: (ctx: KoaContextWithOIDC, token: BaseTokenInstance) => Promise<boolean>;
    pkce?: { required?: (ctx: KoaContextWithOIDC, client: Client) => boolean };
    renderError?: (ctx: KoaContextWithOIDC, out: { error?: string; error_description?: string }, error: Error) => Promise<void>;
    responseTypes?: string[];
    clientAuthMethods?: string[];
    rotateRefreshToken?: boolean | ((ctx: KoaContextWithOIDC) => boolean);
    routes?: Record<string, string>;
    ttl?: Record<string, number | ((ctx: KoaContextWithOIDC, token: BaseTokenInstance, client: Client) => number)>;
    clientBasedCORS?: (ctx: KoaContextWithOIDC, origin: string, client: Client) => boolean;
    enabledJWA?: Record<string, string[]>;
  }

  export class Provider {
    constructor(issuer: string, configuration: Configuration);
    readonly issuer: string;
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionResult(req: IncomingMessage, res: ServerResponse, result: InteractionResults, options?: { mergeWithLastSubmission?: boolean }): Promise<string>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: InteractionResults, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
    readonly Grant: GrantStatic;
    readonly AccessToken: TokenStatic;
    readonly ClientCredentials: TokenStatic;
    readonly RefreshToken: TokenStatic;
    readonly Client: { prototype: Client; find(id: string): Promise<Client | undefined> };
  }

  export const errors: {
    InvalidTarget: new (description?: string) => Error;
    AccessDenied: new (description?: string) => Error;
    InvalidRequest: new (description?: string) => Error;
    OIDCProviderError: new (status: number, message: string) => Error & { status: number; error: string; error_description?: string };
  };

  export default Provider;
}
