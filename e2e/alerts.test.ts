// End to end, against the real service and Chromium (issue 15 "Proof"): a risk manager adds an
// EMAIL channel (the bank's relay, played by an SMTP catcher) and a Microsoft Teams channel (an
// HTTP catcher playing the incoming webhook) in the UI, test-sends one, and adds a rule routing
// money-laundering structuring alerts of HIGH and above to both. The payment engine posts a burst
// of payments just below the KES 1,000,000 reporting threshold for one customer: the structuring
// alert appears in an analyst's inbox live, the email and the Teams Adaptive Card arrive with its
// content, and the analyst acknowledges it and opens its case (landing on the case page).
// Forms and filters get pasted text and half-typed dates: field errors, never a broken screen.
// Screenshots at 1366×768 and 1920×1080 land in test-results/screenshots.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page as PwPage } from 'playwright-core';
import { AlertChannelBody, AlertListQuery, AlertRuleBody, PatternThresholds, type AlertDetail, type AlertPage } from '../shared/src/alerts.ts';
import type { Assessment } from '../shared/src/assessments.ts';
import type { Page as ApiPage } from '../shared/src/api.ts';
import { parseAlertParams, toAlertListQuery } from '../renderer/src/alerts/alertParams.ts';
import { channelBody, channelMessages, EMPTY_DRAFT, recipientList } from '../renderer/src/alerts/channels/channelDraft.ts';
import { EMPTY_RULE, ruleBody } from '../renderer/src/alerts/rules/ruleDraft.ts';
import { parseThresholds, thresholdDraftOf } from '../renderer/src/alerts/thresholds/thresholdFields.ts';
import { DEFAULT_PATTERN_THRESHOLDS } from '../shared/src/alert-threshold-defaults.ts';
import { startHttpCatcher, startSmtpCatcher, type HttpCatcher, type SmtpCatcher } from '../service/src/alerts/channels/test-servers.ts';
import { assess, call, flaggedPayment, login, paymentEngineToken } from './support/api.ts';
import { launchChromium } from './support/chromium.ts';
import { startService, type RunningService } from './support/service.ts';
import { markNoReload, openSignedIn, shootSizes, type SignedInPage, SIZES, stillSamePage } from './support/ui.ts';

/**
 * Activates a button from the keyboard. The people notifications' toast (bottom right, paused while
 * the pointer rests on it) can cover a dialog's action buttons at 1366×768 while the demo's SLA
 * notifications keep coming; the keyboard reaches the button as a person would.
 */
async function press(page: PwPage, testId: string): Promise<void> {
  const button = page.getByTestId(testId);
  await button.waitFor();
  await button.focus();
  await page.keyboard.press('Enter');
}

async function pressButton(page: PwPage, name: string): Promise<void> {
  const button = page.getByRole('button', { name, exact: true });
  await button.waitFor();
  await button.focus();
  await page.keyboard.press('Enter');
}

describe('alerts screen helpers', { timeout: 10_000 }, () => {
  test('any inbox URL gives a query the contract accepts; bank days are whole Nairobi days', () => {
    for (const search of [
      '',
      'status=Nope&severity=%3Cscript%3E&pattern=x&tenantId=a%20b&assignee=someone&page=-3&pageSize=7',
      'from=2026-02-30&to=12%2F0',
      'from=2026-12-10&to=2026-12-01',
      'from=1999-01-01&to=2100-12-31',
      'from=2026-12-01T10:00:00%2B03:00&to=2026-12-02T00:00:00Z',
      `q=${encodeURIComponent('a\tb\u200b\n'.repeat(80))}`,
      'status=ALL&severity=HIGH&pattern=STRUCTURING&tenantId=WEKEZA-KE&assignee=me&from=2026-12-01&to=2026-12-31&page=2&pageSize=100',
    ]) {
      const query = toAlertListQuery(parseAlertParams(new URLSearchParams(search)));
      const parsed = AlertListQuery.safeParse(query);
      assert.ok(parsed.success, `${search}: ${parsed.success ? '' : parsed.error.message}`);
    }
    assert.equal(toAlertListQuery(parseAlertParams(new URLSearchParams(''))).status, 'UNRESOLVED', 'the inbox starts with what needs someone');
    assert.equal(toAlertListQuery(parseAlertParams(new URLSearchParams('status=ALL'))).status, undefined);
    const days = toAlertListQuery(parseAlertParams(new URLSearchParams('from=2026-12-01&to=2026-12-31')));
    assert.equal(days.from, '2026-12-01T00:00:00+03:00');
    assert.equal(days.to, '2027-01-01T00:00:00+03:00', 'the whole last day is included');
    const inverted = toAlertListQuery(parseAlertParams(new URLSearchParams('from=2026-12-10&to=2026-12-01')));
    assert.equal(inverted.to, undefined, 'an end before the start is not sent');
    const drill = toAlertListQuery(parseAlertParams(new URLSearchParams('from=2026-12-01T10:00:00+03:00')));
    assert.equal(drill.from, '2026-12-01T10:00:00+03:00', 'a drill-down instant is kept as it is');
  });

  test('channel and rule forms build the contract’s requests and name the field at fault', () => {
    assert.deepEqual(recipientList(' a@b.test,\n\n c@d.test ; +254712345678\r\n'), ['a@b.test', 'c@d.test', '+254712345678']);
    const email = channelBody({
      ...EMPTY_DRAFT,
      name: 'Relay',
      kind: 'EMAIL',
      host: '127.0.0.1',
      port: '2525',
      security: 'none',
      from: 'alerts@wekeza.test',
      to: 'x@wekeza.test',
    });
    assert.ok(AlertChannelBody.safeParse(email).success);
    const broken = channelBody({ ...EMPTY_DRAFT, name: 'Relay', kind: 'EMAIL', host: 'h', port: '25x', from: 'nope', to: 'ok@wekeza.test\nnot-an-email' });
    const result = AlertChannelBody.safeParse(broken);
    assert.ok(!result.success);
    const messages = channelMessages(Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message])));
    assert.ok(messages.port && messages.from, JSON.stringify(messages));
    assert.match(messages.to ?? '', /^Recipient 2: /);
    const noKind = AlertChannelBody.safeParse(channelBody({ ...EMPTY_DRAFT, name: 'x' }));
    assert.ok(!noKind.success);
    assert.ok(AlertRuleBody.safeParse(ruleBody({ ...EMPTY_RULE, name: 'Structuring', patterns: ['STRUCTURING'] })).success);
    assert.ok(!AlertRuleBody.safeParse(ruleBody({ ...EMPTY_RULE, name: 'x', dedupWindowMinutes: '1e3' })).success, 'a number typed oddly is refused');
  });

  test('threshold drafts round-trip every default and refuse what is not a number', () => {
    for (const t of Object.values(DEFAULT_PATTERN_THRESHOLDS)) {
      const { value, errors } = parseThresholds(t.pattern, thresholdDraftOf(t));
      assert.deepEqual(errors, {}, t.pattern);
      assert.deepEqual(value, PatternThresholds.parse(t));
    }
    const draft = { ...thresholdDraftOf(DEFAULT_PATTERN_THRESHOLDS.STRUCTURING), minCount: 'three', bandPercent: '90' };
    const { value, errors } = parseThresholds('STRUCTURING', draft);
    assert.equal(value, null);
    assert.ok(errors.minCount && errors.bandPercent, JSON.stringify(errors));
  });
});

describe('alerts end to end: channels, rule, a structuring burst, inbox, case', { timeout: 25 * 60_000 }, () => {
  let service: RunningService;
  let browser: Browser;
  let smtp: SmtpCatcher;
  let hooks: HttpCatcher;
  const pages: SignedInPage[] = [];
  before(async () => {
    browser = await launchChromium();
    smtp = await startSmtpCatcher();
    hooks = await startHttpCatcher({ okBody: '1' });
    service = await startService({ demo: true });
  });
  after(async () => {
    for (const opened of pages) await opened.context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await smtp?.stop().catch(() => undefined);
    await hooks?.stop().catch(() => undefined);
    await service?.stop();
  });

  test('a structuring burst reaches email, Teams and the inbox; the analyst acknowledges it and opens its case', async () => {
    const admin = await openSignedIn(browser, service.url, 'faith.wambui', service.demoPassword);
    pages.push(admin);
    const a = admin.page;
    await a.setViewportSize(SIZES[0]);

    // --- The risk manager adds the EMAIL channel: the form names what is wrong, pasted text is tamed.
    await a.getByTestId('nav-alert-channels').click();
    await a.getByTestId('alert-channels-page').waitFor();
    await a.getByTestId('channel-new').click();
    await press(a, 'channel-form-save');
    await a.getByText('Choose how alerts reach people').waitFor();
    await a.getByTestId('channel-form-kind').click();
    await a.getByTestId('channel-form-kind-EMAIL').click();
    await a.getByTestId('channel-form-name').fill('Compliance\tmailbox\n\u200b');
    await a.getByTestId('channel-form-host').fill(smtp.host);
    await a.getByTestId('channel-form-port').fill('25 25');
    await a.getByTestId('channel-form-security').click();
    await a.getByTestId('channel-form-security-none').click();
    await a.getByTestId('channel-form-from').fill('fraud-alerts@wekeza.test');
    await a.getByTestId('channel-form-to').fill('mlro@wekeza.test\nnot an address');
    await press(a, 'channel-form-save');
    await a.getByText('A port number, 1–65535').waitFor();
    await a.getByText(/^Recipient 2: /).waitFor();
    await a.getByTestId('channel-form-port').fill(String(smtp.port));
    await a.getByTestId('channel-form-to').fill('mlro@wekeza.test, compliance@wekeza.test');
    await shootSizes(a, 'alert-channel-form');
    await press(a, 'channel-form-save');
    await a.getByTestId('channel-form').waitFor({ state: 'detached' });
    await a.getByTestId('channel-row-Compliance mailbox').waitFor();

    // Test send: queued through the outbox, delivered to the relay, followed in the delivery log.
    await a.getByTestId('channel-row-Compliance mailbox').click();
    await a.getByTestId('alert-channel-detail').waitFor();
    await a.getByTestId('channel-test').click();
    await smtp.waitFor(1, 30_000);
    const testMail = smtp.messages[0];
    assert.ok(testMail);
    assert.deepEqual([...testMail.rcptTo].sort(), ['compliance@wekeza.test', 'mlro@wekeza.test']);
    await a.getByTestId('channel-deliveries').getByTestId('alert-delivery-status-DELIVERED').first().waitFor({ timeout: 30_000 });
    await shootSizes(a, 'alert-channel-detail');

    // --- The Teams channel: its incoming-webhook URL is a write-only secret.
    await a.getByTestId('nav-alert-channels').click();
    await a.getByTestId('channel-new').click();
    await a.getByTestId('channel-form-kind').click();
    await a.getByTestId('channel-form-kind-TEAMS').click();
    await a.getByTestId('channel-form-name').fill('AML Teams channel');
    await press(a, 'channel-form-save');
    await a.getByText('The incoming webhook url is required').waitFor();
    await a.getByTestId('channel-form-secret').fill(hooks.url('/teams/hook'));
    await press(a, 'channel-form-save');
    await a.getByTestId('channel-row-AML Teams channel').waitFor();
    assert.ok(!(await a.locator('body').innerText()).includes(hooks.url('/teams/hook')), 'the webhook URL is not shown back');
    await shootSizes(a, 'alert-channels');

    // --- The rule: structuring, HIGH and above, to both channels.
    await a.getByTestId('nav-alert-rules').click();
    await a.getByTestId('alert-rules-page').waitFor();
    await a.getByTestId('rule-new').click();
    await a.getByTestId('rule-form-name').fill('Structuring to the MLRO');
    await a.getByTestId('rule-form-pattern-STRUCTURING').check();
    await a.getByTestId('rule-form-severity').click();
    await a.getByTestId('rule-form-severity-HIGH').click();
    await a.getByTestId('rule-form-dedup').fill('two hours');
    await press(a, 'rule-form-save');
    await a.getByText('Minutes from 0 to 10,080 (a week)').waitFor();
    await a.getByTestId('rule-form-dedup').fill('120');
    await a.getByTestId('rule-form-channel-Compliance mailbox').check();
    await a.getByTestId('rule-form-channel-AML Teams channel').check();
    await a.getByTestId('rule-form-role-COMPLIANCE_OFFICER').check();
    await shootSizes(a, 'alert-rule-form');
    await press(a, 'rule-form-save');
    await a.getByTestId('rule-row-Structuring to the MLRO').waitFor();
    await shootSizes(a, 'alert-rules');

    // --- Detector thresholds: a word where a number goes is a field error; the backtest draws its chart.
    await a.getByTestId('nav-alert-thresholds').click();
    await a.getByTestId('threshold-row-STRUCTURING').click();
    await a.getByTestId('threshold-dialog').waitFor();
    await a.getByTestId('threshold-minCount').fill('three');
    await a.getByText('A number').first().waitFor();
    await a.getByTestId('threshold-minCount').fill('2');
    // A day box emptied of its day is a half-typed date.
    await a.getByTestId('backtest-from-field').getByRole('spinbutton').first().click();
    await a.keyboard.press('Backspace');
    await a.getByTestId('threshold-minCount').click();
    await a.getByText('Incomplete date: finish or clear it').waitFor();
    // Closing forgets the draft: opened again, the stored thresholds and a whole default period.
    await pressButton(a, 'Cancel');
    await a.getByTestId('threshold-dialog').waitFor({ state: 'detached' });
    await a.getByTestId('threshold-row-STRUCTURING').click();
    await a.getByTestId('threshold-dialog').waitFor();
    await press(a, 'backtest-run');
    await a.getByTestId('backtest-result').waitFor({ timeout: 120_000 });
    await shootSizes(a, 'alert-threshold-backtest');
    await pressButton(a, 'Cancel');
    await a.getByTestId('threshold-dialog').waitFor({ state: 'detached' });
    await shootSizes(a, 'alert-thresholds');

    // --- The analyst's inbox, open before the burst: the alert must arrive without a reload.
    const analyst = await openSignedIn(browser, service.url, 'amina.otieno', service.demoPassword);
    pages.push(analyst);
    const o = analyst.page;
    await o.setViewportSize(SIZES[0]);
    await o.getByTestId('nav-alerts').click();
    await o.getByTestId('alerts-page').waitFor();
    await o.getByTestId('alert-count').waitFor();
    // Pasted text and a half-typed day in the filters: a field error, the grid keeps working.
    await o.getByTestId('alert-filter-q').fill('ALT-\u200b\t<script>alert(1)</script>'.repeat(3));
    await o.getByTestId('alert-filter-from-field').getByRole('spinbutton').first().click();
    await o.keyboard.type('12/0');
    await o.getByTestId('alert-filter-pattern').click();
    await o.keyboard.press('Escape');
    await o.getByText('Incomplete date: finish or clear it').waitFor();
    await o.getByTestId('alert-count').waitFor();
    await shootSizes(o, 'alerts-inbox-filters');
    await o.getByTestId('alert-filters-clear').click();
    await markNoReload(o);

    // --- The payment engine: three payments just below KES 1,000,000 by one demo customer within an hour.
    const root = await login(service.url, 'admin', service.adminPassword);
    const engineToken = await paymentEngineToken(service.url, root.token);
    const recent = await call<ApiPage<Assessment>>(service.url, 'GET', '/api/v1/fraud-risk/assessments?page=0&pageSize=100&channel=WEB&tenantId=WEKEZA-KE', {
      token: root.token,
    });
    // A customer with no structuring alert yet: a second one within the dedup window would only add an occurrence.
    const analystToken = (await login(service.url, 'amina.otieno', service.demoPassword)).token;
    let sample: Assessment | undefined;
    for (const candidate of recent.items.filter((x) => x.payment.paymentSource !== 'CLEARING_SYSTEM' && x.payment.currency === 'KES')) {
      const existing = await call<AlertPage>(service.url, 'GET', `/api/v1/alerts?pattern=STRUCTURING&q=${encodeURIComponent(candidate.payment.customerId)}`, {
        token: analystToken,
      });
      if (existing.total === 0) {
        sample = candidate;
        break;
      }
    }
    assert.ok(sample, 'the demo has a web payment in KES by a customer without a structuring alert');
    const customerRef = sample.payment.customerId;
    const now = Date.now();
    const references: string[] = [];
    for (const [i, amount] of [955_000, 982_500, 999_000].entries()) {
      const base = flaggedPayment(sample);
      const payment = {
        ...base,
        transactionReference: `E2E-STRUCT-${now.toString(36).toUpperCase()}-${i}`,
        amount,
        timestamp: new Date(now - (30 - i * 10) * 60_000).toISOString(),
        deviceId: sample.payment.deviceId ?? base.deviceId,
        ipAddress: sample.payment.ipAddress ?? base.ipAddress,
        description: `Supplier instalment ${i + 1}`,
      };
      references.push(payment.transactionReference);
      await assess(service.url, engineToken, payment);
    }

    // The structuring alert arrives in the open inbox, live.
    const row = o.locator(`[data-testid^="alert-row-"][data-pattern="STRUCTURING"][data-entity="${customerRef}"]`).first();
    await row.waitFor({ timeout: 60_000 });
    assert.ok(await stillSamePage(o), 'the alert arrived without a reload');
    const testId = (await row.getAttribute('data-testid')) ?? '';
    const reference = testId.replace('alert-row-', '');
    assert.match(reference, /^ALT-\d{6}$/);
    await shootSizes(o, 'alerts-inbox');

    // --- Email and Teams got it, with its content.
    await smtp.waitFor(2, 60_000);
    const mail = smtp.messages.find((m) => m.subject.includes(reference));
    assert.ok(mail, `an email for ${reference}: ${smtp.messages.map((m) => m.subject).join(' | ')}`);
    assert.match(mail.subject, /^\[HIGH\]/);
    assert.match(mail.subject, /Structuring/);
    assert.ok(mail.text?.includes(customerRef), 'the email names the customer');
    for (const ref of references) assert.ok(mail.text?.includes(ref) || mail.html?.includes(ref), `the email lists ${ref}`);
    await hooks.waitFor(1, 60_000, '/teams/hook');
    const card = JSON.parse(hooks.at('/teams/hook').at(-1)?.body ?? '{}') as {
      type?: string;
      attachments?: Array<{ contentType: string; content: { type: string; version: string; body: Array<{ text?: string }> } }>;
    };
    assert.equal(card.type, 'message');
    assert.equal(card.attachments?.[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.equal(card.attachments?.[0]?.content.type, 'AdaptiveCard');
    const cardText = JSON.stringify(card.attachments?.[0]?.content.body);
    assert.ok(cardText.includes(reference) && cardText.includes(customerRef), 'the card names the alert and the customer');

    // --- The analyst opens it: evidence, delivery story; acknowledges; opens the case.
    await row.click();
    await o.getByTestId('alert-detail').waitFor();
    assert.equal(await o.getByTestId('alert-reference').innerText(), reference);
    for (const ref of references) await o.getByTestId(`alert-payment-${ref}`).waitFor();
    await o.getByTestId('alert-route-Compliance mailbox').waitFor();
    await o.getByTestId('alert-route-AML Teams channel').waitFor();
    await shootSizes(o, 'alert-detail');
    await o.getByTestId('alert-acknowledge').click();
    await o.locator('[data-testid="alert-detail"][data-alert-status="ACKNOWLEDGED"]').waitFor();
    await o.getByTestId('alert-open-case').click();
    await o.getByTestId('alert-case-dialog').waitFor();
    await o.getByTestId('alert-case-note').fill('Three transfers just under the threshold in half an hour.\r\n\u200bCheck the source of funds.');
    await shootSizes(o, 'alert-open-case');
    await press(o, 'alert-case-confirm');
    await o.waitForURL(/\/cases\/[0-9a-f-]{36}$/, { timeout: 30_000 });
    await o.getByTestId('case-detail').waitFor();
    const caseId = await o.getByTestId('case-detail').getAttribute('data-case-id');

    const page = await call<AlertPage>(service.url, 'GET', `/api/v1/alerts?q=${reference}`, { token: analystToken });
    const alertId = page.items.find((x) => x.reference === reference)?.id;
    assert.ok(alertId);
    const detail = await call<AlertDetail>(service.url, 'GET', `/api/v1/alerts/${alertId}`, { token: analystToken });
    assert.equal(detail.status, 'ACKNOWLEDGED');
    assert.equal(detail.caseId, caseId, 'the alert is linked to the case the analyst landed on');
    assert.equal(detail.pattern, 'STRUCTURING');
    assert.ok(detail.evidence.payments.length >= 3);

    assert.deepEqual(analyst.problems, [], 'no console or page errors (analyst)');
    assert.deepEqual(admin.problems, [], 'no console or page errors (risk manager)');
  });
});
