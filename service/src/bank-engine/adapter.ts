import { createHash } from 'node:crypto';
import {
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  circuitBreaker,
  handleWhenResult,
  isBrokenCircuitError,
  isIsolatedCircuitError,
  isTaskCancelledError,
  retry,
  timeout,
} from 'cockatiel';
import type { CircuitBreakerPolicy, IBackoff, IBackoffFactory, IRetryBackoffContext, TimeoutPolicy } from 'cockatiel';
import type {
  BankApiCredentials,
  BankApiSettings,
  BankApiTestResult,
  BreakerState,
  CircuitBreakerConfig,
  RetryConfig,
  TimeoutConfig,
} from '../../../shared/src/decision-engine.ts';
import type { Decision, EngineCallOutcome } from '../../../shared/src/assessments.ts';
import { readJsonPath, renderRequestTemplate } from './template.ts';
import type { TemplateContext } from './template.ts';

/**
 * The adapter to the bank's own fraud engine (seed 003 "Bank's Fraud Engine Integration"):
 * renders the request template, authenticates, calls with per-attempt timeouts, retries with
 * backoff inside the assessment's time budget, keeps one circuit breaker per configuration
 * version, and maps the answer to a 0..1 score and one of our decisions. It never throws for
 * engine problems: every failure becomes an outcome with a sentence an analyst can read.
 */

export interface BankEngineCallInput {
  /** `${configurationId}:${versionNumber}`: one breaker per published version. */
  key: string;
  settings: BankApiSettings;
  credentials: BankApiCredentials;
  timeout: TimeoutConfig;
  retry: RetryConfig;
  breaker: CircuitBreakerConfig;
  context: TemplateContext;
}

export interface BankEngineRequest {
  method: string;
  url: string;
  /** Secret values masked as '••••'. */
  headers: Record<string, string>;
  body: unknown;
}

export interface BankEngineCallResult {
  outcome: EngineCallOutcome;
  /** 0..1: the engine's score divided by scoreScale, clamped. */
  score: number | null;
  decision: Decision | null;
  reason: string | null;
  /** HTTP requests actually sent (0 when the breaker was open or nothing could be sent). */
  attempts: number;
  responseTimeMs: number;
  httpStatus: number | null;
  detail: string;
  request: BankEngineRequest;
  /** Parsed JSON, the (truncated) text when not JSON, or null when nothing was answered. */
  responseBody: unknown;
}

export interface BankEngineStatus {
  key: string;
  breakerState: BreakerState;
  lastError: string | null;
  lastSuccessAt: string | null;
}

export interface BankEngineAdapterOptions {
  /** Metrics hook, called after every live call (not for test()). Errors thrown by it are ignored. */
  onCall?: (key: string, result: BankEngineCallResult) => void;
}

export const MASK = '••••';
/** Share of the assessment timeout kept back for local scoring and the response. */
export const DEADLINE_MARGIN = 0.1;
/** A retry is only worth starting with at least this much of the budget left after its delay. */
const MIN_ATTEMPT_MS = 10;
/** How long past the budget the adapter waits for an aborted request to wind down before answering anyway. */
const DEADLINE_GRACE_MS = 20;
const MAX_TEXT_BODY = 2000;
const MAX_REASON = 500;

type Mapped = { score: number | null; decision: Decision | null; reason: string | null };

type Attempt =
  | { kind: 'answered'; retryable: false; status: number; body: unknown; mapped: Mapped; note: string | null }
  | { kind: 'invalid'; retryable: false; status: number; body: unknown; mapped: Mapped | null; problem: string }
  | { kind: 'http'; retryable: boolean; status: number; body: unknown; problem: string }
  | { kind: 'network'; retryable: true; problem: string }
  | { kind: 'timeout'; retryable: true }
  | { kind: 'deadline'; retryable: false };

function isAttempt(value: unknown): value is Attempt {
  return typeof value === 'object' && value !== null && 'kind' in value && 'retryable' in value;
}

interface PolicySet {
  fingerprint: string;
  breakerConfig: CircuitBreakerConfig;
  breaker: CircuitBreakerPolicy | null;
  attemptTimeout: TimeoutPolicy;
  /** Date.now() when the breaker last opened (cockatiel measures with Date.now too). */
  openedAt: number | null;
  consecutiveFailures: number;
  lastError: string | null;
  lastSuccessAt: string | null;
}

interface Prepared {
  request: BankEngineRequest;
  /** Real header values, for fetch only. */
  headers: Record<string, string>;
  bodyText: string;
}

type Internal = { result: BankEngineCallResult; mapped: Mapped | null };

const clamp01 = (n: number) => Math.min(1, Math.max(0, n));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const truncate = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Node's fetch reports "fetch failed" and hides the useful part (ECONNREFUSED …) in `cause`. */
function networkProblem(error: unknown): string {
  if (error instanceof Error && error.cause instanceof Error) {
    const code = 'code' in error.cause && typeof error.cause.code === 'string' ? error.cause.code : null;
    const message = error.cause.message;
    return code && !message.includes(code) ? `${code} ${message}` : message;
  }
  return errorText(error);
}

// ---------------------------------------------------------------------------------------------
// Request preparation: template, headers, credentials
// ---------------------------------------------------------------------------------------------

function prepare(
  settings: BankApiSettings,
  credentials: BankApiCredentials,
  context: TemplateContext,
): Prepared | { problem: string; request: BankEngineRequest } {
  const headers = new Map<string, { name: string; value: string; secret: boolean }>();
  // Later entries win case-insensitively, so auth cannot be shadowed by a plain header of the same name.
  const set = (name: string, value: string, secret: boolean) => headers.set(name.toLowerCase(), { name, value, secret });
  for (const [name, value] of Object.entries(settings.headers)) set(name, value, false);
  set('Content-Type', 'application/json', false);

  let missing: string | null = null;
  const auth = settings.auth;
  switch (auth.kind) {
    case 'NONE':
      break;
    case 'API_KEY':
      if (credentials.apiKey) set(auth.headerName, credentials.apiKey, true);
      else missing = `the API key is not set (it is sent in the ${auth.headerName} header)`;
      break;
    case 'BASIC':
      if (credentials.password) set('Authorization', `Basic ${Buffer.from(`${auth.username}:${credentials.password}`, 'utf8').toString('base64')}`, true);
      else missing = `the Basic auth password for ${auth.username} is not set`;
      break;
    case 'BEARER':
      if (credentials.token) set('Authorization', `Bearer ${credentials.token}`, true);
      else missing = 'the bearer token is not set';
      break;
    case 'CUSTOM_HEADERS': {
      const absent = auth.headerNames.filter((name) => !credentials.headerValues?.[name]);
      for (const name of auth.headerNames) {
        const value = credentials.headerValues?.[name];
        if (value) set(name, value, true);
      }
      if (absent.length > 0) missing = `no value is set for the secret header${absent.length === 1 ? '' : 's'} ${absent.join(', ')}`;
      break;
    }
  }

  const real: Record<string, string> = {};
  const shown: Record<string, string> = {};
  for (const { name, value, secret } of headers.values()) {
    real[name] = value;
    shown[name] = secret ? MASK : value;
  }
  const request: BankEngineRequest = { method: settings.method, url: settings.endpointUrl, headers: shown, body: null };

  try {
    request.body = renderRequestTemplate(settings.requestTemplate, context);
  } catch (error) {
    return { problem: `the request could not be built: ${errorText(error)}`, request };
  }
  if (missing) return { problem: `missing credential: ${missing}; no call was made`, request };
  try {
    const url = new URL(settings.endpointUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('only http and https are supported');
    new Headers(real); // rejects values fetch would refuse, before they look like a network error
  } catch (error) {
    return { problem: `the request could not be built: ${errorText(error)}; no call was made`, request };
  }
  return { request, headers: real, bodyText: JSON.stringify(request.body) };
}

// ---------------------------------------------------------------------------------------------
// Response mapping
// ---------------------------------------------------------------------------------------------

function readNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function readReason(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value.trim() === '' ? null : truncate(value.trim(), MAX_REASON);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
    return parts.length === 0 ? null : truncate(parts.join('; '), MAX_REASON);
  }
  return truncate(JSON.stringify(value), MAX_REASON);
}

function mapAnswer(body: unknown, mapping: BankApiSettings['responseMapping']): { mapped: Mapped; problem: string | null; note: string | null } {
  const rawScore = readJsonPath(body, mapping.scorePath);
  const scoreNumber = readNumber(rawScore);
  const score = scoreNumber === null ? null : clamp01(scoreNumber / mapping.scoreScale);
  const notes: string[] = [];

  let decision: Decision | null = null;
  if (mapping.decisionPath) {
    const code = readJsonPath(body, mapping.decisionPath);
    if (code === undefined || code === null) {
      notes.push(`no decision at ${mapping.decisionPath}`);
    } else {
      const text = typeof code === 'string' || typeof code === 'number' ? String(code) : JSON.stringify(code);
      if (Object.hasOwn(mapping.decisionMap, text)) decision = mapping.decisionMap[text]!;
      else notes.push(`the engine's decision "${truncate(text, 50)}" is not in the decision map, so only its score is used`);
    }
  }
  const reason = mapping.reasonPath ? readReason(readJsonPath(body, mapping.reasonPath)) : null;

  const problem =
    rawScore === undefined
      ? `the answer has no score at ${mapping.scorePath}`
      : scoreNumber === null
        ? `the score at ${mapping.scorePath} is not a number (${truncate(JSON.stringify(rawScore), 60)})`
        : null;
  return { mapped: { score, decision, reason }, problem, note: notes.length > 0 ? notes.join('; ') : null };
}

// ---------------------------------------------------------------------------------------------
// One HTTP attempt
// ---------------------------------------------------------------------------------------------

async function attemptOnce(prepared: Prepared, settings: BankApiSettings, signal: AbortSignal, deadline: AbortSignal): Promise<Attempt> {
  let status: number;
  let text: string;
  let statusText: string;
  let location: string | null;
  try {
    const response = await fetch(prepared.request.url, {
      method: prepared.request.method,
      headers: prepared.headers,
      body: prepared.bodyText,
      signal,
      // A redirect would resend the API key to wherever it points; report it instead.
      redirect: 'manual',
    });
    status = response.status;
    statusText = response.statusText;
    location = response.headers.get('location');
    text = await response.text();
  } catch (error) {
    if (deadline.aborted) return { kind: 'deadline', retryable: false };
    if (signal.aborted) return { kind: 'timeout', retryable: true };
    return { kind: 'network', retryable: true, problem: networkProblem(error) };
  }

  let json: unknown;
  let isJson = false;
  try {
    json = JSON.parse(text);
    isJson = true;
  } catch {
    // not JSON: kept as (truncated) text for the exchange log
  }
  const body = isJson ? json : text.length > 0 ? truncate(text, MAX_TEXT_BODY) : null;

  if (status >= 200 && status < 300) {
    if (!isJson)
      return { kind: 'invalid', retryable: false, status, body, mapped: null, problem: `the engine answered HTTP ${status} but the body is not JSON` };
    const { mapped, problem, note } = mapAnswer(json, settings.responseMapping);
    if (problem) return { kind: 'invalid', retryable: false, status, body, mapped, problem };
    return { kind: 'answered', retryable: false, status, body, mapped, note };
  }
  const label = `HTTP ${status}${statusText ? ` ${statusText}` : ''}`;
  if (status >= 300 && status < 400) {
    return {
      kind: 'http',
      retryable: false,
      status,
      body,
      problem: `${label}: the engine redirects${location ? ` to ${location}` : ''}; set the endpoint URL to the final address`,
    };
  }
  if (status === 429 || status >= 500) return { kind: 'http', retryable: true, status, body, problem: `${label} from the engine` };
  if (status === 401 || status === 403) return { kind: 'http', retryable: false, status, body, problem: `${label}: the engine rejected the credentials` };
  return { kind: 'http', retryable: false, status, body, problem: `${label}: the engine refused the request` };
}

// ---------------------------------------------------------------------------------------------
// Retry plan: backoff delays that never run past the call's budget
// ---------------------------------------------------------------------------------------------

/**
 * Decides in the retry filter whether another attempt fits in the budget (cockatiel's own delay
 * cannot be interrupted), and hands the chosen delay to cockatiel as its backoff.
 */
class RetryPlan implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  attempts = 0;
  last: Attempt | null = null;
  stopReason: string | null = null;
  private pendingDelay = 0;
  private jittered: IBackoff<unknown> | null = null;

  constructor(
    private readonly config: RetryConfig,
    private readonly deadlineAt: number,
    private readonly budgetMs: number,
  ) {}

  private nextDelay(retryNumber: number): number {
    if (!this.config.jitter) {
      return Math.min(this.config.maxDelayMs, this.config.initialDelayMs * this.config.multiplier ** (retryNumber - 1));
    }
    // Decorrelated jitter (cockatiel's default generator), so many clients do not retry in step.
    this.jittered = this.jittered
      ? this.jittered.next(undefined)
      : new ExponentialBackoff({ initialDelay: this.config.initialDelayMs, maxDelay: this.config.maxDelayMs, exponent: this.config.multiplier }).next();
    return Math.round(this.jittered.duration);
  }

  /** The retry policy's result filter: true = retry after `pendingDelay`. */
  shouldRetry(value: unknown): boolean {
    if (!isAttempt(value) || !value.retryable) return false;
    if (this.attempts > this.config.maxRetries) return false;
    const delay = this.nextDelay(this.attempts);
    if (performance.now() + delay + MIN_ATTEMPT_MS >= this.deadlineAt) {
      this.stopReason = `no further retry: waiting ${delay} ms would overrun the ${this.budgetMs} ms budget`;
      return false;
    }
    this.pendingDelay = delay;
    return true;
  }

  next(): IBackoff<IRetryBackoffContext<unknown>> {
    return { duration: this.pendingDelay, next: () => this.next() };
  }
}

// ---------------------------------------------------------------------------------------------
// The adapter
// ---------------------------------------------------------------------------------------------

export class BankEngineAdapter {
  private readonly sets = new Map<string, PolicySet>();
  private readonly onCall: BankEngineAdapterOptions['onCall'];

  constructor(options: BankEngineAdapterOptions = {}) {
    this.onCall = options.onCall;
  }

  async call(input: BankEngineCallInput): Promise<BankEngineCallResult> {
    let internal: Internal;
    if (!input.settings.enabled) {
      internal = {
        mapped: null,
        result: {
          outcome: 'NOT_CALLED',
          score: null,
          decision: null,
          reason: null,
          attempts: 0,
          responseTimeMs: 0,
          httpStatus: null,
          detail: 'the bank engine integration is disabled in this configuration',
          request: { method: input.settings.method, url: input.settings.endpointUrl, headers: {}, body: null },
          responseBody: null,
        },
      };
    } else {
      const set = this.policySet(input);
      internal = await this.run(input, set, true);
      if (internal.result.outcome === 'ANSWERED') {
        set.lastSuccessAt = new Date().toISOString();
      } else if (internal.result.outcome !== 'BREAKER_OPEN') {
        // An open breaker is not news about the engine: keep the failure that opened it.
        set.lastError = internal.result.detail;
      }
    }
    if (this.onCall) {
      try {
        this.onCall(input.key, internal.result);
      } catch {
        // metrics must never break an assessment
      }
    }
    return internal.result;
  }

  /** A connectivity test through the same path, with a throwaway policy so the live breaker is untouched. */
  async test(input: BankEngineCallInput): Promise<BankApiTestResult> {
    const throwaway = this.buildSet(input, 'test', false);
    const { result, mapped } = await this.run(input, throwaway, false);
    return {
      ok: result.outcome === 'ANSWERED',
      httpStatus: result.httpStatus,
      latencyMs: result.responseTimeMs,
      attempts: result.attempts,
      message: result.detail,
      mapped,
      breakerState: this.breakerState(input.key),
      request: { method: result.request.method, url: result.request.url, headers: result.request.headers, body: result.request.body },
      responseBody: result.responseBody,
    };
  }

  breakerState(key: string): BreakerState {
    const set = this.sets.get(key);
    if (!set?.breaker) return 'CLOSED';
    switch (set.breaker.state) {
      case CircuitState.Closed:
        return 'CLOSED';
      case CircuitState.HalfOpen:
        return 'HALF_OPEN';
      case CircuitState.Isolated:
        return 'ISOLATED';
      case CircuitState.Open:
        // cockatiel stays "Open" until the next call; past halfOpenAfter that call is the trial.
        return set.openedAt !== null && Date.now() - set.openedAt >= set.breakerConfig.halfOpenAfterMs ? 'HALF_OPEN' : 'OPEN';
    }
  }

  status(): BankEngineStatus[] {
    return [...this.sets.entries()].map(([key, set]) => ({
      key,
      breakerState: this.breakerState(key),
      lastError: set.lastError,
      lastSuccessAt: set.lastSuccessAt,
    }));
  }

  /** Drops a key's policies (e.g. when its configuration version is superseded or deleted). */
  forget(key: string): void {
    this.sets.delete(key);
  }

  private policySet(input: BankEngineCallInput): PolicySet {
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([input.settings, input.credentials, input.timeout, input.retry, input.breaker]))
      .digest('base64url');
    const existing = this.sets.get(input.key);
    if (existing?.fingerprint === fingerprint) return existing;
    // Settings changed (e.g. a draft edited, credentials fixed): start with a fresh breaker, keep the history.
    const set = this.buildSet(input, fingerprint, input.breaker.enabled);
    set.lastError = existing?.lastError ?? null;
    set.lastSuccessAt = existing?.lastSuccessAt ?? null;
    this.sets.set(input.key, set);
    return set;
  }

  private buildSet(input: BankEngineCallInput, fingerprint: string, withBreaker: boolean): PolicySet {
    const set: PolicySet = {
      fingerprint,
      breakerConfig: input.breaker,
      breaker: null,
      attemptTimeout: timeout(input.timeout.bankApiTimeoutMs, TimeoutStrategy.Cooperative),
      openedAt: null,
      consecutiveFailures: 0,
      lastError: null,
      lastSuccessAt: null,
    };
    if (withBreaker) {
      // Counts whole calls (retries included), not attempts: one slow assessment is one failure.
      const breaker = circuitBreaker(
        handleWhenResult((value) => !(isAttempt(value) && value.kind === 'answered')),
        { halfOpenAfter: input.breaker.halfOpenAfterMs, breaker: new ConsecutiveBreaker(input.breaker.failureThreshold) },
      );
      breaker.onBreak(() => {
        set.openedAt = Date.now();
      });
      breaker.onReset(() => {
        set.openedAt = null;
      });
      set.breaker = breaker;
    }
    return set;
  }

  private async run(input: BankEngineCallInput, set: PolicySet, live: boolean): Promise<Internal> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const prepared = prepare(input.settings, input.credentials, input.context);
    const base = { score: null, decision: null, reason: null, responseBody: null, httpStatus: null };
    if ('problem' in prepared) {
      return {
        mapped: null,
        result: { ...base, outcome: 'FAILED', attempts: 0, responseTimeMs: elapsed(), detail: prepared.problem, request: prepared.request },
      };
    }

    const budgetMs = Math.max(1, Math.floor(input.timeout.assessmentTimeoutMs * (1 - DEADLINE_MARGIN)));
    const deadline = new AbortController();
    const plan = new RetryPlan(input.retry, started + budgetMs, budgetMs);
    const retryPolicy = retry(
      handleWhenResult((value) => plan.shouldRetry(value)),
      { maxAttempts: input.retry.maxRetries, backoff: plan },
    );

    const attempt = async (signal: AbortSignal): Promise<Attempt> => {
      // Also guards the re-run cockatiel makes for callers that waited on a half-open trial.
      if (deadline.signal.aborted) return { kind: 'deadline', retryable: false };
      plan.attempts++;
      const result = await set.attemptTimeout.execute(
        ({ signal: attemptSignal }) => attemptOnce(prepared, input.settings, attemptSignal, deadline.signal),
        signal,
      );
      if (result.kind !== 'deadline') plan.last = result;
      return result;
    };
    const withRetries = () => retryPolicy.execute(({ signal }) => attempt(signal), deadline.signal);

    type Settled = { kind: 'done'; attempt: Attempt } | { kind: 'open'; isolated: boolean } | { kind: 'late' } | { kind: 'error'; error: unknown };
    const execution: Promise<Settled> = (set.breaker ? set.breaker.execute(withRetries, deadline.signal) : withRetries()).then(
      (value): Settled => ({ kind: 'done', attempt: value }),
      (error: unknown): Settled => (isBrokenCircuitError(error) ? { kind: 'open', isolated: isIsolatedCircuitError(error) } : { kind: 'error', error }),
    );
    const timers: NodeJS.Timeout[] = [];
    // The hard bound: whatever the policies do, the caller gets an answer shortly after the budget.
    const late = new Promise<Settled>((resolve) => {
      timers.push(setTimeout(() => deadline.abort(), budgetMs));
      timers.push(setTimeout(() => resolve({ kind: 'late' }), budgetMs + DEADLINE_GRACE_MS));
    });
    let settled: Settled;
    try {
      settled = await Promise.race([execution, late]);
    } finally {
      for (const timer of timers) clearTimeout(timer);
    }

    const responseTimeMs = elapsed();
    const attempts = plan.attempts;
    const request = prepared.request;

    if (settled.kind === 'open') {
      const since = set.openedAt !== null ? new Date(set.openedAt).toISOString() : 'recently';
      const trial = set.openedAt !== null ? `; next trial call after ${new Date(set.openedAt + input.breaker.halfOpenAfterMs).toISOString()}` : '';
      const detail = settled.isolated
        ? 'circuit breaker held open by an operator; the engine was not called'
        : `circuit breaker open since ${since} after ${plural(set.consecutiveFailures, 'consecutive failure')}${set.lastError ? ` (last: ${set.lastError})` : ''}${trial}; the engine was not called`;
      return { mapped: null, result: { ...base, outcome: 'BREAKER_OPEN', attempts: 0, responseTimeMs, detail, request } };
    }

    const last = settled.kind === 'done' && settled.attempt.kind !== 'deadline' ? settled.attempt : plan.last;
    const cutOff = settled.kind === 'late' || (settled.kind === 'done' && settled.attempt.kind === 'deadline');
    const result = this.describe(settled, last, cutOff, { attempts, responseTimeMs, budgetMs, input, stopReason: plan.stopReason, request });
    if (live && set.breaker) {
      if (result.result.outcome === 'ANSWERED') set.consecutiveFailures = 0;
      else set.consecutiveFailures++;
    }
    return result;
  }

  private describe(
    settled: { kind: 'done' | 'late' | 'error'; error?: unknown },
    last: Attempt | null,
    cutOff: boolean,
    info: { attempts: number; responseTimeMs: number; budgetMs: number; input: BankEngineCallInput; stopReason: string | null; request: BankEngineRequest },
  ): Internal {
    const { attempts, responseTimeMs, budgetMs, input, stopReason, request } = info;
    const base = { attempts, responseTimeMs, request, score: null, decision: null, reason: null };
    const after = attempts > 1 ? ` after ${attempts} attempts` : '';
    const stop = stopReason ? `; ${stopReason}` : '';

    if (settled.kind === 'error') {
      const error = settled.error;
      if (isTaskCancelledError(error)) {
        return {
          mapped: null,
          result: { ...base, outcome: 'TIMEOUT', httpStatus: null, responseBody: null, detail: `timed out after ${responseTimeMs} ms waiting for the engine` },
        };
      }
      return {
        mapped: null,
        result: { ...base, outcome: 'FAILED', httpStatus: null, responseBody: null, detail: `the call failed unexpectedly: ${errorText(error)}` },
      };
    }

    if (cutOff || last === null || last.kind === 'deadline') {
      const lastStatus = last && 'status' in last ? last.status : null;
      const lastBody = last && 'body' in last ? last.body : null;
      return {
        mapped: null,
        result: {
          ...base,
          outcome: 'TIMEOUT',
          httpStatus: lastStatus,
          responseBody: lastBody,
          detail: `timed out after ${budgetMs} ms, the assessment's time budget (${input.timeout.assessmentTimeoutMs} ms less a ${Math.round(DEADLINE_MARGIN * 100)}% margin)${attempts > 0 ? `, ${plural(attempts, 'attempt')} made` : ''}${last ? `; last attempt: ${this.attemptSummary(last, input)}` : ''}`,
        },
      };
    }

    switch (last.kind) {
      case 'answered': {
        const detail = `answered in ${responseTimeMs} ms${after}${last.note ? `; ${last.note}` : ''}`;
        return { mapped: last.mapped, result: { ...base, ...last.mapped, outcome: 'ANSWERED', httpStatus: last.status, responseBody: last.body, detail } };
      }
      case 'invalid':
        return {
          mapped: last.mapped,
          result: {
            ...base,
            outcome: 'INVALID_ANSWER',
            httpStatus: last.status,
            responseBody: last.body,
            detail: `${last.problem} (answered in ${responseTimeMs} ms${after})`,
          },
        };
      case 'http': {
        const retried = last.retryable ? `${after || ' on the only attempt'}${stop}` : `; not retried${after ? ` (${plural(attempts, 'attempt')})` : ''}`;
        return {
          mapped: null,
          result: { ...base, outcome: 'FAILED', httpStatus: last.status, responseBody: last.body, detail: `${last.problem}${retried}, ${responseTimeMs} ms` },
        };
      }
      case 'network':
        return {
          mapped: null,
          result: {
            ...base,
            outcome: 'FAILED',
            httpStatus: null,
            responseBody: null,
            detail: `could not reach the engine: ${last.problem}${after}${stop}, ${responseTimeMs} ms`,
          },
        };
      case 'timeout': {
        const which = attempts > 1 ? `; the last of ${attempts} attempts timed out` : '';
        return {
          mapped: null,
          result: {
            ...base,
            outcome: 'TIMEOUT',
            httpStatus: null,
            responseBody: null,
            detail: `timed out after ${input.timeout.bankApiTimeoutMs} ms${which}${stop}, ${responseTimeMs} ms in all`,
          },
        };
      }
    }
  }

  private attemptSummary(attempt: Attempt, input: BankEngineCallInput): string {
    switch (attempt.kind) {
      case 'answered':
        return `answered HTTP ${attempt.status}`;
      case 'invalid':
      case 'http':
      case 'network':
        return attempt.problem;
      case 'timeout':
        return `no answer within ${input.timeout.bankApiTimeoutMs} ms`;
      case 'deadline':
        return 'cut off by the budget';
    }
  }
}
