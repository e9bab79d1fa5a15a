import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BankApiCredentials, BankApiSettings, CircuitBreakerConfig, RetryConfig, TimeoutConfig } from '../../../shared/src/decision-engine.ts';
import { BankApiTestResult } from '../../../shared/src/decision-engine.ts';
import { EXAMPLE_BANK_API } from '../../../shared/src/decision-engine-defaults.ts';
import { BankEngineAdapter, MASK } from './adapter.ts';
import type { BankEngineCallInput, BankEngineCallResult } from './adapter.ts';
import { readJsonPath, renderRequestTemplate, sampleTemplateContext, validateRequestTemplate } from './template.ts';
import type { TemplateContext } from './template.ts';
import { scoreSimulatedPayment, startBankEngineSimulator } from './simulator.ts';
import type { BankEngineSimulator, SimulatorOptions } from './simulator.ts';

/**
 * Everything here runs against the real simulator over loopback HTTP: no part of the adapter is
 * mocked, so auth, templates, retries, timeouts and the breaker are exercised as in production.
 */

/** Generous upper bound over a deadline: a call that overruns by more than this is a real bug. */
const TOLERANCE_MS = 250;

const TEMPLATE = JSON.stringify({
  requestId: '{{assessmentId}}',
  transaction: {
    reference: '{{payment.transactionReference}}',
    amount: '{{payment.amount}}',
    currency: '{{payment.currency}}',
    amountKes: '{{amountKes}}',
    channel: '{{payment.channel}}',
    country: '{{payment.country}}',
    customerId: '{{payment.customerId}}',
    timestamp: '{{payment.timestamp}}',
    ip: '{{payment.ipAddress}}',
    narrative: 'Payment {{payment.transactionReference}} of {{payment.amount}} {{payment.currency}}',
  },
  local: { score: '{{local.riskScore}}', level: '{{local.riskLevel}}' },
});

function settingsFor(sim: BankEngineSimulator, overrides: Partial<BankApiSettings> = {}): BankApiSettings {
  return {
    enabled: true,
    name: 'Test bank engine',
    endpointUrl: sim.scoreUrl,
    method: 'POST',
    auth: { kind: 'NONE' },
    headers: { 'X-Source-System': 'wekeza-tests' },
    requestTemplate: TEMPLATE,
    responseMapping: {
      scorePath: 'result.riskScore',
      scoreScale: 1000,
      decisionPath: 'result.decision',
      reasonPath: 'result.reasons[0]',
      decisionMap: { ALLOW: 'APPROVE', REVIEW: 'MANUAL_REVIEW', HOLD: 'HOLD', DECLINE: 'REJECT' },
    },
    combination: { mode: 'HIGHEST_RISK', engineWeight: 0.5 },
    ...overrides,
  };
}

let keyCounter = 0;
interface InputOptions {
  settings?: Partial<BankApiSettings>;
  credentials?: BankApiCredentials;
  timeout?: Partial<TimeoutConfig>;
  retry?: Partial<RetryConfig>;
  breaker?: Partial<CircuitBreakerConfig>;
  context?: TemplateContext;
  key?: string;
}
function inputFor(sim: BankEngineSimulator, options: InputOptions = {}): BankEngineCallInput {
  return {
    key: options.key ?? `cfg-${++keyCounter}:1`,
    settings: settingsFor(sim, options.settings),
    credentials: options.credentials ?? {},
    timeout: { assessmentTimeoutMs: 1500, bankApiTimeoutMs: 500, ...options.timeout },
    retry: { maxRetries: 2, initialDelayMs: 20, maxDelayMs: 200, multiplier: 2, jitter: false, ...options.retry },
    breaker: { enabled: false, failureThreshold: 5, halfOpenAfterMs: 200, ...options.breaker },
    context: options.context ?? sampleTemplateContext(),
  };
}

/** A clearly risky payment: KES 20M to North Korea at 02:30 Nairobi time over the web. */
function riskyContext(): TemplateContext {
  const context = sampleTemplateContext();
  return {
    ...context,
    payment: { ...context.payment, amount: 20_000_000, country: 'KP', channel: 'WEB', timestamp: '2026-01-15T02:30:00+03:00' },
    amountKes: 20_000_000,
  };
}

async function withSimulator<T>(options: SimulatorOptions, body: (sim: BankEngineSimulator) => Promise<T>): Promise<T> {
  const sim = await startBankEngineSimulator({ port: 0, ...options });
  try {
    return await body(sim);
  } finally {
    await sim.close();
  }
}

async function timed(run: () => Promise<BankEngineCallResult>): Promise<{ result: BankEngineCallResult; ms: number }> {
  const started = performance.now();
  const result = await run();
  return { result, ms: performance.now() - started };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------

describe('request template', () => {
  test('whole-value placeholders keep their type, longer strings interpolate, absent optional fields become null', () => {
    const context = sampleTemplateContext();
    context.payment = { ...context.payment, amount: 1234.5, ipAddress: undefined };
    const rendered = renderRequestTemplate(TEMPLATE, context);
    assert.deepEqual(readJsonPath(rendered, 'transaction.amount'), 1234.5);
    assert.equal(typeof readJsonPath(rendered, 'transaction.amountKes'), 'number');
    assert.equal(readJsonPath(rendered, 'transaction.ip'), null);
    assert.equal(readJsonPath(rendered, 'transaction.narrative'), `Payment ${context.payment.transactionReference} of 1234.5 KES`);
    assert.equal(readJsonPath(rendered, 'local.score'), context.local.riskScore);
    assert.equal(readJsonPath(rendered, 'local.level'), 'LOW');
    assert.equal(readJsonPath(rendered, 'requestId'), context.assessmentId);
  });

  test('bare (unquoted) placeholders render as JSON values; placeholders work in keys and arrays', () => {
    const rendered = renderRequestTemplate(
      '{"amount": {{payment.amount}}, "tags": ["{{payment.channel}}", "x-{{ payment.country }}"], "by_{{payment.country}}": {{payment.deviceId}}, "text": "a } and { stay"}',
      sampleTemplateContext(),
    );
    assert.deepEqual(rendered, { amount: 4500, tags: ['MOBILE', 'x-KE'], by_KE: 'dev-sample', text: 'a } and { stay' });
  });

  test('an unknown placeholder is an error naming it, wherever it appears', () => {
    const context = sampleTemplateContext();
    assert.throws(() => renderRequestTemplate('{"a": "{{payment.amout}}"}', context), /unknown placeholder \{\{payment\.amout\}\}/);
    assert.throws(() => renderRequestTemplate('{"a": "ref {{payment.reference}}"}', context), /\{\{payment\.reference\}\}/);
    assert.throws(() => renderRequestTemplate('{"a": {{riskScore}}}', context), /\{\{riskScore\}\}/);
    assert.match(validateRequestTemplate('{"a": "{{local.score}}"}') ?? '', /unknown placeholder \{\{local\.score\}\}.*local\.riskScore/);
    assert.match(validateRequestTemplate('{"a": ') ?? '', /not valid JSON/);
    assert.equal(validateRequestTemplate(TEMPLATE), null);
    assert.equal(validateRequestTemplate(EXAMPLE_BANK_API.requestTemplate), null, 'the shipped example template must validate');
  });

  test('readJsonPath follows dots and [n] indexes, and never the prototype chain', () => {
    const value = {
      result: {
        reasons: ['first', 'second'],
        grid: [
          [1, 2],
          [3, 4],
        ],
      },
      a$: { _b: true },
    };
    assert.equal(readJsonPath(value, 'result.reasons[0]'), 'first');
    assert.equal(readJsonPath(value, 'result.reasons[1]'), 'second');
    assert.equal(readJsonPath(value, 'result.grid[1][0]'), 3);
    assert.equal(readJsonPath(value, 'a$._b'), true);
    assert.equal(readJsonPath(value, 'result.reasons[2]'), undefined);
    assert.equal(readJsonPath(value, 'result.missing.deeper'), undefined);
    assert.equal(readJsonPath(value, 'result.constructor'), undefined);
    assert.equal(readJsonPath(value, 'result.reasons.length'), undefined);
    assert.throws(() => readJsonPath(value, 'result..reasons'), /not a JSON path/);
    assert.throws(() => readJsonPath(value, 'result.'), /not a JSON path/);
  });
});

describe('authentication', () => {
  const cases: Array<{
    name: string;
    sim: SimulatorOptions['auth'];
    auth: BankApiSettings['auth'];
    good: BankApiCredentials;
    bad: BankApiCredentials;
    secret: string;
    header: string;
  }> = [
    {
      name: 'API key',
      sim: { kind: 'API_KEY', headerName: 'X-Api-Key', apiKey: 'k-123' },
      auth: { kind: 'API_KEY', headerName: 'X-Api-Key' },
      good: { apiKey: 'k-123' },
      bad: { apiKey: 'k-999' },
      secret: 'k-123',
      header: 'X-Api-Key',
    },
    {
      name: 'Basic',
      sim: { kind: 'BASIC', username: 'wekeza', password: 'pa:ss wörd' },
      auth: { kind: 'BASIC', username: 'wekeza' },
      good: { password: 'pa:ss wörd' },
      bad: { password: 'nope' },
      secret: Buffer.from('wekeza:pa:ss wörd').toString('base64'),
      header: 'Authorization',
    },
    {
      name: 'Bearer',
      sim: { kind: 'BEARER', token: 'tok-abc' },
      auth: { kind: 'BEARER' },
      good: { token: 'tok-abc' },
      bad: { token: 'tok-xyz' },
      secret: 'tok-abc',
      header: 'Authorization',
    },
    {
      name: 'custom headers',
      sim: { kind: 'CUSTOM_HEADERS', headers: { 'X-Client-Id': 'wekeza', 'X-Client-Secret': 's3cret' } },
      auth: { kind: 'CUSTOM_HEADERS', headerNames: ['X-Client-Id', 'X-Client-Secret'] },
      good: { headerValues: { 'X-Client-Id': 'wekeza', 'X-Client-Secret': 's3cret' } },
      bad: { headerValues: { 'X-Client-Id': 'wekeza', 'X-Client-Secret': 'wrong' } },
      secret: 's3cret',
      header: 'X-Client-Secret',
    },
  ];

  for (const c of cases) {
    test(`${c.name}: right credentials are answered, wrong ones fail at once with the 401 and are not retried`, async () => {
      await withSimulator({ auth: c.sim }, async (sim) => {
        const adapter = new BankEngineAdapter();
        const ok = await adapter.call(inputFor(sim, { settings: { auth: c.auth }, credentials: c.good }));
        assert.equal(ok.outcome, 'ANSWERED', ok.detail);
        assert.equal(ok.attempts, 1);
        assert.equal(ok.httpStatus, 200);

        // Secrets are masked in what we keep, but the engine got the real value.
        assert.equal(ok.request.headers[c.header], MASK);
        assert.equal(ok.request.headers['X-Source-System'], 'wekeza-tests', 'plain headers are shown');
        assert.ok(!JSON.stringify(ok).includes(c.secret), 'the secret must not appear anywhere in the result');
        const seen = sim.received().at(-1)!.headers[c.header.toLowerCase()]!;
        assert.ok(seen.includes(c.secret), `the engine should have received the real ${c.header}`);

        sim.resetStats();
        const denied = await adapter.call(inputFor(sim, { settings: { auth: c.auth }, credentials: c.bad, retry: { maxRetries: 3 } }));
        assert.equal(denied.outcome, 'FAILED');
        assert.equal(denied.httpStatus, 401);
        assert.match(denied.detail, /401/);
        assert.match(denied.detail, /not retried/);
        assert.equal(denied.attempts, 1);
        assert.equal(sim.stats().requests, 1, '4xx must not be retried');
      });
    });
  }

  test('a missing credential fails without calling and says which one', async () => {
    await withSimulator({ auth: { kind: 'API_KEY', headerName: 'X-Api-Key', apiKey: 'k' } }, async (sim) => {
      const adapter = new BankEngineAdapter();
      const apiKey = await adapter.call(inputFor(sim, { settings: { auth: { kind: 'API_KEY', headerName: 'X-Api-Key' } } }));
      assert.equal(apiKey.outcome, 'FAILED');
      assert.match(apiKey.detail, /API key is not set.*X-Api-Key/);
      assert.equal(apiKey.attempts, 0);
      const custom = await adapter.call(
        inputFor(sim, { settings: { auth: { kind: 'CUSTOM_HEADERS', headerNames: ['X-A', 'X-B'] } }, credentials: { headerValues: { 'X-A': '1' } } }),
      );
      assert.equal(custom.outcome, 'FAILED');
      assert.match(custom.detail, /X-B/);
      assert.doesNotMatch(custom.detail, /X-A/);
      const bearer = await adapter.call(inputFor(sim, { settings: { auth: { kind: 'BEARER' } } }));
      assert.match(bearer.detail, /bearer token is not set/);
      assert.equal(sim.stats().requests, 0, 'no call may be made without the credential');
    });
  });
});

describe('request and response', () => {
  test('the engine receives the rendered body; score, decision and reason are mapped from its answer', async () => {
    await withSimulator({}, async (sim) => {
      const adapter = new BankEngineAdapter();
      const calm = await adapter.call(inputFor(sim));
      assert.equal(calm.outcome, 'ANSWERED', calm.detail);
      const received = sim.received();
      assert.equal(received.length, 1);
      assert.deepEqual(received[0]!.body, calm.request.body);
      assert.equal(readJsonPath(received[0]!.body, 'transaction.amount'), 4500, 'typed placeholder arrives as a JSON number');
      assert.equal(received[0]!.headers['content-type'], 'application/json');

      const engineScore = readJsonPath(calm.responseBody, 'result.riskScore');
      assert.equal(typeof engineScore, 'number');
      assert.equal(calm.score, Number(engineScore) / 1000);
      assert.equal(calm.decision, 'APPROVE');
      assert.equal(calm.reason, readJsonPath(calm.responseBody, 'result.reasons[0]'));
      assert.match(calm.detail, /^answered in \d+ ms$/);

      const risky = await adapter.call(inputFor(sim, { context: riskyContext() }));
      assert.equal(risky.outcome, 'ANSWERED');
      assert.equal(readJsonPath(risky.responseBody, 'result.decision'), 'DECLINE');
      assert.equal(risky.decision, 'REJECT');
      assert.ok(risky.score! >= 0.8 && risky.score! <= 1, `score ${risky.score}`);
      assert.match(risky.reason ?? '', /amount|KP|night/);
      assert.equal(readJsonPath(risky.request.body, 'transaction.country'), 'KP');
    });
  });

  test('an engine decision missing from the decision map leaves the decision empty and says so; scores are clamped to 1', async () => {
    await withSimulator({}, async (sim) => {
      const adapter = new BankEngineAdapter();
      const mapping = { ...settingsFor(sim).responseMapping, scoreScale: 100, decisionMap: { ALLOW: 'APPROVE' as const } };
      const result = await adapter.call(inputFor(sim, { context: riskyContext(), settings: { responseMapping: mapping } }));
      assert.equal(result.outcome, 'ANSWERED');
      assert.equal(result.decision, null);
      assert.match(result.detail, /"DECLINE" is not in the decision map/);
      assert.equal(result.score, 1, 'a score above the scale is clamped');
    });
  });

  test('a 2xx answer without the score, or that is not JSON, is INVALID_ANSWER and counts against the breaker', async () => {
    await withSimulator({}, async (sim) => {
      const adapter = new BankEngineAdapter();
      const mapping = { ...settingsFor(sim).responseMapping, scorePath: 'result.probability' };
      const input = inputFor(sim, { settings: { responseMapping: mapping }, breaker: { enabled: true, failureThreshold: 2, halfOpenAfterMs: 60_000 } });
      const first = await adapter.call(input);
      assert.equal(first.outcome, 'INVALID_ANSWER');
      assert.match(first.detail, /no score at result\.probability/);
      assert.equal(first.attempts, 1, 'an invalid answer is not retried');
      assert.notEqual(first.responseBody, null);
      await adapter.call(input);
      const third = await adapter.call(input);
      assert.equal(third.outcome, 'BREAKER_OPEN');
      assert.equal(sim.stats().requests, 2);
    });

    const plain = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>maintenance page</html>');
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      await withSimulator({}, async (sim) => {
        const url = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/score`;
        const result = await new BankEngineAdapter().call(inputFor(sim, { settings: { endpointUrl: url } }));
        assert.equal(result.outcome, 'INVALID_ANSWER');
        assert.match(result.detail, /not JSON/);
        assert.equal(result.responseBody, '<html>maintenance page</html>');
      });
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  test('the shipped example settings work against the simulator (demo path), with PUT too', async () => {
    await withSimulator({ auth: { kind: 'API_KEY', headerName: 'X-Api-Key', apiKey: 'demo-key' } }, async (sim) => {
      const adapter = new BankEngineAdapter();
      const { credentials: _unused, ...example } = EXAMPLE_BANK_API;
      for (const method of ['POST', 'PUT'] as const) {
        const input = inputFor(sim, { settings: { ...example, endpointUrl: sim.scoreUrl, method }, credentials: { apiKey: 'demo-key' } });
        const result = await adapter.call(input);
        assert.equal(result.outcome, 'ANSWERED', result.detail);
        assert.equal(result.request.method, method);
        assert.equal(sim.received().at(-1)!.method, method);
      }
    });
  });

  test('a disabled integration is not called', async () => {
    await withSimulator({}, async (sim) => {
      const result = await new BankEngineAdapter().call(inputFor(sim, { settings: { enabled: false } }));
      assert.equal(result.outcome, 'NOT_CALLED');
      assert.equal(sim.stats().requests, 0);
    });
  });
});

describe('retries', () => {
  test('5xx is retried with exponential backoff and every attempt is counted', async () => {
    await withSimulator({ errorRate: 1 }, async (sim) => {
      const adapter = new BankEngineAdapter();
      const { result, ms } = await timed(() =>
        adapter.call(inputFor(sim, { retry: { maxRetries: 3, initialDelayMs: 30, multiplier: 2, maxDelayMs: 1000 }, timeout: { assessmentTimeoutMs: 5000 } })),
      );
      assert.equal(result.outcome, 'FAILED');
      assert.equal(result.httpStatus, 503);
      assert.equal(result.attempts, 4);
      assert.match(result.detail, /HTTP 503.*after 4 attempts/);
      assert.equal(sim.stats().requests, 4);
      assert.ok(ms >= 30 + 60 + 120, `backoff 30+60+120 ms must be waited, took ${ms.toFixed(0)} ms`);
    });
  });

  test('an engine that recovers while we back off is answered on a later attempt', async () => {
    await withSimulator({ errorRate: 1 }, async (sim) => {
      const adapter = new BankEngineAdapter();
      const recovery = setTimeout(() => sim.setBehaviour({ errorRate: 0 }), 60);
      try {
        const result = await adapter.call(
          inputFor(sim, { retry: { maxRetries: 5, initialDelayMs: 40, multiplier: 2, maxDelayMs: 200 }, timeout: { assessmentTimeoutMs: 5000 } }),
        );
        assert.equal(result.outcome, 'ANSWERED', result.detail);
        assert.ok(result.attempts >= 2, `attempts ${result.attempts}`);
        assert.match(result.detail, new RegExp(`after ${result.attempts} attempts`));
        assert.equal(sim.stats().requests, result.attempts);
        assert.equal(sim.stats().answered, 1);
      } finally {
        clearTimeout(recovery);
      }
    });
  });

  test('with jitter the attempts still happen and stay within maxDelay', async () => {
    await withSimulator({ errorRate: 1 }, async (sim) => {
      const { result, ms } = await timed(() =>
        new BankEngineAdapter().call(inputFor(sim, { retry: { maxRetries: 3, initialDelayMs: 20, maxDelayMs: 60, multiplier: 2, jitter: true } })),
      );
      assert.equal(result.attempts, 4);
      assert.ok(ms < 3 * 60 + TOLERANCE_MS, `took ${ms.toFixed(0)} ms`);
    });
  });

  test('other 4xx are not retried', async () => {
    await withSimulator({}, async (sim) => {
      const result = await new BankEngineAdapter().call(inputFor(sim, { settings: { endpointUrl: `${sim.url}/v1/nowhere` }, retry: { maxRetries: 4 } }));
      assert.equal(result.outcome, 'FAILED');
      assert.equal(result.httpStatus, 404);
      assert.equal(result.attempts, 1);
      assert.equal(sim.stats().requests, 1);
    });
  });

  test('network errors (connection reset, nothing listening) are retried and reported', async () => {
    await withSimulator({ outage: 'refuse' }, async (sim) => {
      const result = await new BankEngineAdapter().call(inputFor(sim));
      assert.equal(result.outcome, 'FAILED');
      assert.equal(result.attempts, 3);
      assert.match(result.detail, /could not reach the engine/);
      assert.equal(sim.stats().requests, 3);
    });
    const sim = await startBankEngineSimulator({ port: 0 });
    await sim.close();
    const result = await new BankEngineAdapter().call(inputFor(sim));
    assert.equal(result.outcome, 'FAILED');
    assert.equal(result.attempts, 3);
    assert.match(result.detail, /ECONNREFUSED/);
  });

  test('no retry is started when its delay would overrun the budget', async () => {
    await withSimulator({ errorRate: 1 }, async (sim) => {
      // Budget 450 ms: the 200 ms delay fits, the following 400 ms one does not.
      const { result, ms } = await timed(() =>
        new BankEngineAdapter().call(
          inputFor(sim, { timeout: { assessmentTimeoutMs: 500 }, retry: { maxRetries: 10, initialDelayMs: 200, multiplier: 2, maxDelayMs: 5000 } }),
        ),
      );
      assert.equal(result.outcome, 'FAILED');
      assert.equal(result.attempts, 2);
      assert.match(result.detail, /would overrun the 450 ms budget/);
      assert.ok(ms < 450, `gave up early, took ${ms.toFixed(0)} ms`);
    });
  });
});

describe('timeouts', () => {
  test('each attempt is bounded by bankApiTimeoutMs', async () => {
    await withSimulator({ outage: 'hang' }, async (sim) => {
      const { result, ms } = await timed(() =>
        new BankEngineAdapter().call(
          inputFor(sim, { timeout: { assessmentTimeoutMs: 3000, bankApiTimeoutMs: 100 }, retry: { maxRetries: 1, initialDelayMs: 10 } }),
        ),
      );
      assert.equal(result.outcome, 'TIMEOUT');
      assert.equal(result.attempts, 2);
      assert.match(result.detail, /timed out after 100 ms/);
      assert.ok(ms >= 200, `two 100 ms attempts, took ${ms.toFixed(0)} ms`);
      assert.ok(ms < 210 + TOLERANCE_MS, `took ${ms.toFixed(0)} ms`);
      assert.equal(sim.stats().requests, 2);
    });
  });

  test('the whole call, retries included, ends within the assessment timeout', async () => {
    await withSimulator({ outage: 'hang' }, async (sim) => {
      const adapter = new BankEngineAdapter();
      const { result, ms } = await timed(() =>
        adapter.call(inputFor(sim, { timeout: { assessmentTimeoutMs: 600, bankApiTimeoutMs: 400 }, retry: { maxRetries: 5, initialDelayMs: 50 } })),
      );
      assert.equal(result.outcome, 'TIMEOUT');
      assert.match(result.detail, /540 ms, the assessment's time budget/);
      assert.ok(ms >= 500, `used the budget, took ${ms.toFixed(0)} ms`);
      assert.ok(ms <= 600 + TOLERANCE_MS, `took ${ms.toFixed(0)} ms`);
    });
  });

  test('every call returns within the deadline under slow, hanging and flaky engines, also concurrently', async () => {
    const scenarios: Array<{ sim: SimulatorOptions; timeout: TimeoutConfig; retry: Partial<RetryConfig> }> = [
      { sim: { latencyMs: 300 }, timeout: { assessmentTimeoutMs: 400, bankApiTimeoutMs: 250 }, retry: { maxRetries: 3, initialDelayMs: 10 } },
      { sim: { latencyMs: 150, jitterMs: 200 }, timeout: { assessmentTimeoutMs: 300, bankApiTimeoutMs: 300 }, retry: { maxRetries: 10, initialDelayMs: 1 } },
      { sim: { outage: 'hang' }, timeout: { assessmentTimeoutMs: 250, bankApiTimeoutMs: 1000 }, retry: { maxRetries: 2, initialDelayMs: 5 } },
      {
        sim: { errorRate: 0.7, latencyMs: 40 },
        timeout: { assessmentTimeoutMs: 200, bankApiTimeoutMs: 100 },
        retry: { maxRetries: 10, initialDelayMs: 5, jitter: true },
      },
    ];
    for (const scenario of scenarios) {
      await withSimulator({ ...scenario.sim, seed: 7 }, async (sim) => {
        const adapter = new BankEngineAdapter();
        const runs = await Promise.all(
          Array.from({ length: 8 }, () => timed(() => adapter.call(inputFor(sim, { timeout: scenario.timeout, retry: scenario.retry })))),
        );
        for (const { result, ms } of runs) {
          assert.ok(
            ms <= scenario.timeout.assessmentTimeoutMs + TOLERANCE_MS,
            `${JSON.stringify(scenario.sim)}: ${result.outcome} took ${ms.toFixed(0)} ms (${result.detail})`,
          );
          assert.ok(result.responseTimeMs <= scenario.timeout.assessmentTimeoutMs + TOLERANCE_MS);
        }
      });
    }
  });
});

describe('circuit breaker', () => {
  test('opens after failureThreshold consecutive failures, then answers BREAKER_OPEN without calling; half-opens and closes on success', async () => {
    await withSimulator({ errorRate: 1 }, async (sim) => {
      const adapter = new BankEngineAdapter();
      const input = inputFor(sim, { retry: { maxRetries: 0 }, breaker: { enabled: true, failureThreshold: 3, halfOpenAfterMs: 200 } });
      for (let i = 0; i < 3; i++) {
        assert.equal(adapter.breakerState(input.key), 'CLOSED');
        assert.equal((await adapter.call(input)).outcome, 'FAILED');
      }
      assert.equal(adapter.breakerState(input.key), 'OPEN');
      assert.equal(sim.stats().requests, 3);

      for (let i = 0; i < 5; i++) {
        const { result, ms } = await timed(() => adapter.call(input));
        assert.equal(result.outcome, 'BREAKER_OPEN');
        assert.equal(result.attempts, 0);
        assert.match(result.detail, /^circuit breaker open since \d{4}-\d\d-\d\dT.*3 consecutive failures.*HTTP 503/);
        assert.equal(result.detail.split('circuit breaker open').length, 2, `the detail names the last engine failure, not itself: ${result.detail}`);
        assert.ok(ms < 100, `BREAKER_OPEN must be immediate, took ${ms.toFixed(1)} ms`);
      }
      assert.equal(sim.stats().requests, 3, 'an open breaker must not call the engine');
      const [status] = adapter.status();
      assert.equal(status!.key, input.key);
      assert.equal(status!.breakerState, 'OPEN');
      assert.match(status!.lastError ?? '', /^HTTP 503/);
      assert.equal(status!.lastSuccessAt, null);

      sim.setBehaviour({ errorRate: 0 });
      await sleep(250);
      assert.equal(adapter.breakerState(input.key), 'HALF_OPEN');
      const trial = await adapter.call(input);
      assert.equal(trial.outcome, 'ANSWERED', trial.detail);
      assert.equal(adapter.breakerState(input.key), 'CLOSED');
      assert.equal(sim.stats().requests, 4);
      assert.notEqual(adapter.status()[0]!.lastSuccessAt, null);
    });
  });

  test('a failed half-open trial opens the breaker again', async () => {
    await withSimulator({ outage: 'error' }, async (sim) => {
      const adapter = new BankEngineAdapter();
      const input = inputFor(sim, { retry: { maxRetries: 0 }, breaker: { enabled: true, failureThreshold: 1, halfOpenAfterMs: 150 } });
      assert.equal((await adapter.call(input)).httpStatus, 500);
      assert.equal((await adapter.call(input)).outcome, 'BREAKER_OPEN');
      await sleep(200);
      const trial = await adapter.call(input);
      assert.equal(trial.outcome, 'FAILED');
      assert.equal(sim.stats().requests, 2);
      assert.equal(adapter.breakerState(input.key), 'OPEN');
      assert.equal((await adapter.call(input)).outcome, 'BREAKER_OPEN');
    });
  });

  test('timeouts count as failures; changed settings and forget() start a fresh breaker; a disabled breaker never opens', async () => {
    await withSimulator({ outage: 'hang' }, async (sim) => {
      const adapter = new BankEngineAdapter();
      const input = inputFor(sim, {
        timeout: { bankApiTimeoutMs: 30 },
        retry: { maxRetries: 0 },
        breaker: { enabled: true, failureThreshold: 2, halfOpenAfterMs: 60_000 },
      });
      assert.equal((await adapter.call(input)).outcome, 'TIMEOUT');
      assert.equal((await adapter.call(input)).outcome, 'TIMEOUT');
      assert.equal((await adapter.call(input)).outcome, 'BREAKER_OPEN');

      const edited = { ...input, settings: { ...input.settings, headers: { 'X-Source-System': 'edited' } } };
      assert.equal((await adapter.call(edited)).outcome, 'TIMEOUT', 'new settings, new breaker');
      assert.equal((await adapter.call(edited)).outcome, 'TIMEOUT');
      assert.equal(adapter.breakerState(edited.key), 'OPEN');
      adapter.forget(edited.key);
      assert.equal(adapter.breakerState(edited.key), 'CLOSED');
      assert.deepEqual(adapter.status(), []);

      const noBreaker = inputFor(sim, { timeout: { bankApiTimeoutMs: 20 }, retry: { maxRetries: 0 }, breaker: { enabled: false, failureThreshold: 1 } });
      for (let i = 0; i < 3; i++) assert.equal((await adapter.call(noBreaker)).outcome, 'TIMEOUT');
      assert.equal(adapter.breakerState(noBreaker.key), 'CLOSED');
    });
  });
});

describe('connectivity test', () => {
  test('test() reports what the mapping read and leaves the live breaker alone', async () => {
    await withSimulator({ errorRate: 1, auth: { kind: 'BEARER', token: 't' } }, async (sim) => {
      const adapter = new BankEngineAdapter();
      const input = inputFor(sim, {
        settings: { auth: { kind: 'BEARER' } },
        credentials: { token: 't' },
        retry: { maxRetries: 0 },
        breaker: { enabled: true, failureThreshold: 1, halfOpenAfterMs: 60_000 },
      });

      // Failing tests do not open a closed live breaker.
      for (let i = 0; i < 3; i++) {
        const failed = await adapter.test(input);
        assert.equal(failed.ok, false);
        assert.equal(failed.httpStatus, 503);
      }
      assert.equal(adapter.breakerState(input.key), 'CLOSED');

      // Open the live breaker, then a passing test neither closes it nor is blocked by it.
      assert.equal((await adapter.call(input)).outcome, 'FAILED');
      assert.equal(adapter.breakerState(input.key), 'OPEN');
      sim.setBehaviour({ errorRate: 0 });
      const passed = await adapter.test(input);
      BankApiTestResult.parse(passed);
      assert.equal(passed.ok, true, passed.message);
      assert.equal(passed.attempts, 1);
      assert.equal(passed.breakerState, 'OPEN', 'reports the live breaker');
      assert.ok(passed.mapped);
      assert.equal(passed.mapped.decision, 'APPROVE');
      assert.equal(passed.mapped.score, Number(readJsonPath(passed.responseBody, 'result.riskScore')) / 1000);
      assert.equal(passed.request.headers.Authorization, MASK);
      assert.match(passed.message, /^answered in \d+ ms$/);
      assert.equal((await adapter.call(input)).outcome, 'BREAKER_OPEN', 'the live breaker is still open');
    });
  });

  test('test() on an invalid answer still shows what the mapping could read', async () => {
    await withSimulator({}, async (sim) => {
      const mapping = { ...settingsFor(sim).responseMapping, scorePath: 'result.nothing' };
      const result = await new BankEngineAdapter().test(inputFor(sim, { settings: { responseMapping: mapping } }));
      assert.equal(result.ok, false);
      assert.match(result.message, /no score at result\.nothing/);
      assert.deepEqual(result.mapped && { score: result.mapped.score, decision: result.mapped.decision }, { score: null, decision: 'APPROVE' });
    });
  });
});

describe('metrics hook and simulator', () => {
  test('onCall sees every live call but not tests, and a throwing hook does not break calls', async () => {
    await withSimulator({}, async (sim) => {
      const seen: string[] = [];
      const adapter = new BankEngineAdapter({
        onCall: (key, result) => {
          seen.push(`${key}:${result.outcome}`);
          throw new Error('metrics exploded');
        },
      });
      const input = inputFor(sim, { key: 'cfg-metrics:3' });
      assert.equal((await adapter.call(input)).outcome, 'ANSWERED');
      await adapter.test(input);
      assert.deepEqual(seen, ['cfg-metrics:3:ANSWERED']);
    });
  });

  test('the simulator scores deterministically and plausibly and exposes its control API over HTTP', async () => {
    const calm = scoreSimulatedPayment({ transaction: { amountKes: 2500, country: 'KE', channel: 'BRANCH', timestamp: '2026-01-15T11:00:00+03:00' } });
    assert.equal(calm.decision, 'ALLOW');
    const risky = scoreSimulatedPayment({ transaction: { amountKes: 25_000_000, country: 'IR', channel: 'WEB', timestamp: '2026-01-15T01:00:00+03:00' } });
    assert.equal(risky.decision, 'DECLINE');
    assert.deepEqual(
      scoreSimulatedPayment({ transaction: { amount: '750000', country: 'NG' } }),
      scoreSimulatedPayment({ transaction: { amount: 750000, country: 'NG' } }),
    );
    const mid = scoreSimulatedPayment({ transaction: { amount: 750000, country: 'NG' } });
    assert.ok(mid.riskScore > calm.riskScore && mid.riskScore < risky.riskScore);

    await withSimulator({}, async (sim) => {
      assert.equal((await fetch(`${sim.url}/health`)).status, 200);
      const control = await fetch(`${sim.url}/__control`, { method: 'POST', body: JSON.stringify({ outage: 'error', latencyMs: 5 }) });
      assert.equal(control.status, 200);
      assert.equal(sim.behaviour().outage, 'error');
      assert.equal((await fetch(sim.scoreUrl, { method: 'POST', body: '{}' })).status, 500);
      assert.equal((await fetch(`${sim.url}/__control`, { method: 'POST', body: '{"outage":"sideways"}' })).status, 400);
      const stats = (await (await fetch(`${sim.url}/__stats`)).json()) as { requests: number; failed: number; byPath: Record<string, number> };
      assert.deepEqual(stats, { requests: 2, answered: 0, failed: 1, byPath: { '/health': 1, '/v1/score': 1 } });
    });
  });

  test('close() ends promptly even with requests hanging', async () => {
    const sim = await startBankEngineSimulator({ port: 0, outage: 'hang' });
    const pending = fetch(sim.scoreUrl, { method: 'POST', body: '{}' }).then(
      () => 'answered',
      () => 'dropped',
    );
    await sleep(50);
    const started = performance.now();
    await sim.close();
    assert.ok(performance.now() - started < 500);
    assert.equal(await pending, 'dropped');
  });
});
