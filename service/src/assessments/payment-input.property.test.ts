import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { DIALECTS, stopTestPostgres } from '../testing/databases.ts';
import { startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';
import { samplePayment } from '../testing/fixtures.ts';
import { ApiErrorBody } from '../../../shared/src/api.ts';
import { Assessment } from '../../../shared/src/assessments.ts';
import { PaymentInputShape } from '../../../shared/src/payments.ts';
import { ManualClock } from '../clock.ts';

after(stopTestPostgres);

const ASSESSMENTS = '/api/v1/fraud-risk/assessments';
const RUNS = Number(process.env.WEKEZA_PROPERTY_RUNS ?? 120);
const FIELDS = Object.keys(PaymentInputShape.shape);
const IDENTIFIERS = [
  'transactionReference',
  'tenantId',
  'paymentType',
  'localInstrumentationCode',
  'clearingSystemCode',
  'customerId',
  'debtorAccount',
  'creditorAccount',
  'deviceId',
] as const;

/** Values a hostile or broken payment engine might send in any field. */
const control = fc
  .integer({ min: 0, max: 0x9f })
  .filter((c) => c < 0x20 || c >= 0x7f)
  .map((c) => String.fromCharCode(c));
const hostileString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.tuple(fc.string({ maxLength: 10 }), control, fc.string({ maxLength: 10 })).map(([a, c, b]) => `${a}${c}${b}`),
  fc.constantFrom('', ' ', 'A\u0000B', 'X\u202EY', 'line\nbreak', '\uD800', 'a'.repeat(600), 'KES', 'NOTPROVIDED'),
);
const hostileNumber = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(1.5e-300, 5e-324, -0, 0, -5, 10.001, 0.1 + 0.2, 1e13, 1e13 + 0.02, 1e300, 123.45, Number.MAX_SAFE_INTEGER),
);
const hostileTimestamp = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '0000-01-01T00:00:00Z',
    '1999-12-31T23:59:59Z',
    '2101-01-01T00:00:00Z',
    '2100-12-31T23:59:59+03:00',
    '2026-02-30T10:00:00Z',
    '2026-11-20T10:15:00',
    '2026-11-20T25:00:00Z',
    '+275760-09-13T00:00:00Z',
  ),
);
const value = fc.oneof(
  hostileString,
  hostileNumber,
  hostileTimestamp,
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
  fc.constant(undefined),
);
const mutations = fc.array(fc.record({ field: fc.constantFrom(...FIELDS), value }), { minLength: 1, maxLength: 3 });

const CONTROL_OR_INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/u;

for (const dialect of DIALECTS) {
  describe(`PaymentInput mutations against the running service on ${dialect}`, { timeout: 600_000 }, () => {
    let svc: TestService;
    let apiKey: string;
    let admin: string;
    before(async () => {
      svc = await startTestService(dialect, { clock: new ManualClock('2026-11-20T12:00:00Z') });
      admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
      apiKey = (
        (
          await svc.request('POST', '/api/v1/api-clients', {
            token: admin,
            body: { name: 'Core payment engine', role: 'PAYMENT_ENGINE', tenantIds: ['WEKEZA-KE'] },
          })
        ).body as { apiKey: string }
      ).apiKey;
    });
    after(async () => svc?.stop());

    it(`answers ${RUNS} mutated payments with no 5xx; every refusal names a field (400, or 403 for another tenant); what is accepted is clean`, async () => {
      const problems: string[] = [];
      await fc.assert(
        fc.asyncProperty(mutations, async (changes) => {
          const payment: Record<string, unknown> = { ...samplePayment({ transactionReference: `PROP-${randomBytes(6).toString('hex')}` }) };
          for (const { field, value: v } of changes) payment[field] = v;
          const res = await svc.request('POST', ASSESSMENTS, {
            rawBody: JSON.stringify(payment),
            headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
          });
          const shown = `${JSON.stringify(changes).slice(0, 200)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
          if (res.status >= 500) problems.push(shown);
          else if (res.status === 400) {
            const error = ApiErrorBody.safeParse(res.body);
            const fields = error.success ? (error.data.error.fields ?? []) : [];
            if (fields.length === 0 || fields.some((f) => !/^body(\.|$)/.test(f.path))) problems.push(`400 without a named field: ${shown}`);
          } else if (res.status === 201 || res.status === 200) {
            const reference = (res.body as { transactionReference: string }).transactionReference;
            const stored = await svc.request('GET', `${ASSESSMENTS}/${(res.body as { assessmentId: string }).assessmentId}`, { token: admin });
            const a = Assessment.safeParse(stored.body);
            if (!a.success) problems.push(`stored payment unreadable: ${shown}`);
            else if (IDENTIFIERS.some((f) => CONTROL_OR_INVISIBLE.test(String(a.data.payment[f] ?? ''))))
              problems.push(`identifier with a control character accepted: ${shown}`);
            else if (Date.parse(a.data.payment.timestamp) < Date.parse('2000-01-01T00:00:00Z')) problems.push(`implausible timestamp accepted: ${shown}`);
            if (typeof reference !== 'string') problems.push(`no reference: ${shown}`);
          } else if (res.status === 403) {
            // A well-formed tenant this client does not act for is refused before the rest is judged.
            const error = ApiErrorBody.safeParse(res.body);
            if (!error.success || error.data.error.fields?.[0]?.path !== 'body.tenantId') problems.push(`403 not about the tenant: ${shown}`);
          } else if (res.status !== 409 && res.status !== 202) problems.push(`unexpected status: ${shown}`);
        }),
        { numRuns: RUNS, seed: 20_261_204, endOnFailure: true },
      );
      assert.deepEqual(problems, []);
    });
  });
}
