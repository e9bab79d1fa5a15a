// End to end (issue 15 "desktop notifications open the item"), in Chromium. Electron itself cannot
// run here, so the desktop case runs the real preload bundle (dist/main/preload.cjs) in the page
// with a stand-in for Electron's contextBridge/ipcRenderer: the renderer's notify call arrives at
// "main" with the notification's link, and "main" sending `desktop:navigate` (what
// main/src/notification-open.ts does on a click, unit-tested there) opens the item through the
// preload's onNavigate and the renderer's one navigation guard. The browser case uses Chromium's
// real Notification API: a click on the notification the tab raised opens the item.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { call, login } from './support/api.ts';
import { launchChromium } from './support/chromium.ts';
import { SERVICE_ENTRY, startService, type RunningService } from './support/service.ts';
import { newPage, shoot, signIn, type SignedInPage } from './support/ui.ts';
import { createPerson } from './support/hub-seed.ts';
import type { Risk } from '../shared/src/risk-register.ts';

const TENANT = 'WEKEZA-KE';
const PRELOAD = path.join(path.dirname(path.dirname(SERVICE_ENTRY)), 'main/preload.cjs');

/** Runs the real preload with a stand-in Electron; `window.__desktop` is what main would see and do. */
function desktopShell(serviceUrl: string): string {
  const preload = fs.readFileSync(PRELOAD, 'utf8');
  const bootstrap = {
    serviceUrl,
    mode: 'standalone',
    appVersion: 'e2e',
    platform: 'linux',
    theme: 'light',
    firstRun: false,
    deployment: { kind: 'standalone-empty' },
  };
  return `(() => {
    const listeners = new Map();
    const desktop = { notified: [], invoked: [], send(channel, ...args) { for (const l of listeners.get(channel) ?? []) l({ sender: 'main' }, ...args); } };
    window.__desktop = desktop;
    const ipcRenderer = {
      invoke(channel, payload) {
        desktop.invoked.push(channel);
        if (channel === 'desktop:bootstrap') return Promise.resolve(${JSON.stringify(bootstrap)});
        if (channel === 'desktop:notify') desktop.notified.push(payload);
        return Promise.resolve(undefined);
      },
      on(channel, listener) { listeners.set(channel, [...(listeners.get(channel) ?? []), listener]); },
      removeListener(channel, listener) { listeners.set(channel, (listeners.get(channel) ?? []).filter((l) => l !== listener)); },
    };
    const contextBridge = { exposeInMainWorld(key, api) { window[key] = api; } };
    const require = (id) => { if (id !== 'electron') throw new Error('a sandboxed preload requires only electron'); return { contextBridge, ipcRenderer }; };
    const module = { exports: {} };
    (function (require, module, exports) { ${preload}\n })(require, module, module.exports);
  })();`;
}

describe('a clicked notification opens its item', { timeout: 10 * 60_000 }, () => {
  let service: RunningService;
  let browser: Browser;
  let adminToken: string;
  const pages: SignedInPage[] = [];
  const faith = { username: 'faith.wambui', displayName: 'Faith Wambui', role: 'RISK_MANAGER' as const, tenantIds: [], password: 'Faith-Risk-Manager-2026!' };
  const ruth = { username: 'ruth.mutua', displayName: 'Ruth Mutua', role: 'RISK_OFFICER' as const, tenantIds: [TENANT], password: 'Ruth-Risk-Officer-2026!' };
  let ruthToken: string;
  let ruthId: string;

  before(async () => {
    browser = await launchChromium();
    service = await startService({ demo: false });
    adminToken = (await login(service.url, 'admin', service.adminPassword)).token;
    await createPerson(service.url, adminToken, faith);
    ruthId = (await createPerson(service.url, adminToken, ruth)).id;
    ruthToken = (await login(service.url, ruth.username, ruth.password)).token;
  });
  after(async () => {
    for (const opened of pages) await opened.context.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await service?.stop();
  });

  /** A risk acceptance request waits for faith (risk:approve): its notification links the risk. */
  async function acceptanceRequest(title: string): Promise<Risk> {
    const risk = await call<Risk>(service.url, 'POST', '/api/v1/risks', {
      token: ruthToken,
      body: { tenantId: TENANT, title, category: 'MARKET', businessUnit: 'Treasury', ownerId: ruthId },
    });
    await call(service.url, 'POST', `/api/v1/risks/${risk.id}/assessments`, {
      token: ruthToken,
      body: { inherentLikelihood: 2, inherentImpact: 2, expectedVersion: risk.version },
    });
    await call(service.url, 'POST', `/api/v1/risks/${risk.id}/acceptances`, {
      token: ruthToken,
      body: { justification: 'Exposure is within appetite for one quarter', expiresAt: '2030-01-01T00:00:00Z' },
    });
    return risk;
  }

  test('desktop app: the OS notification carries the link; a click sent by main opens it, nothing else gets through', async () => {
    const opened = await newPage(browser);
    pages.push(opened);
    const { page, context, problems } = opened;
    await context.addInitScript({ content: desktopShell(service.url) });
    await signIn(page, service.url, faith.username, faith.password);
    await page.goto(`${service.url}/kris`);
    await page.getByTestId('notification-bell').waitFor();
    await page.evaluate(() => {
      (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
    });

    await call(service.url, 'PUT', '/api/v1/fraud-api-toggle/settings', { token: adminToken, body: { fourEyesForTenantDisable: true } });
    await call(service.url, 'POST', '/api/v1/fraud-api-toggle/disable', {
      token: adminToken,
      body: { tenantId: TENANT, reason: 'Suspected engine compromise', disabledBehaviour: 'LOCAL_RULES_ONLY' },
    });
    const notified = await page.waitForFunction(
      () => (window as unknown as { __desktop: { notified: Array<{ title: string; link?: string | null }> } }).__desktop.notified[0] ?? null,
      undefined,
      { timeout: 30_000 },
    );
    const shown = (await notified.jsonValue()) as { title: string; body: string; link: string | null };
    assert.match(shown.title, /Four-eyes: disabling the fraud API for WEKEZA-KE/);
    assert.equal(shown.link, '/fraud-api-toggles');
    assert.equal(await page.getByTestId('notification-toast').count(), 0, 'the desktop app shows the OS notification, not the toast');

    // What main does on a click (notification-open.ts): send the in-app path to the window.
    const send = (link: string) =>
      page.evaluate((l) => (window as unknown as { __desktop: { send(c: string, p: string): void } }).__desktop.send('desktop:navigate', l), link);
    await send(shown.link!);
    // The toggles screen opens on its first tab (/fraud-api-toggles/configurations).
    await page.waitForURL(`${service.url}/fraud-api-toggles/configurations`);
    await page.getByTestId('approvals-banner').first().waitFor({ timeout: 15_000 });
    await page.getByTestId('notification-bell').waitFor();
    const landed = page.url();
    assert.equal(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument), true, 'opened in place, no reload');
    await shoot(page, 'notification-open-desktop.png');

    for (const bad of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)']) {
      await send(bad);
      await page.waitForTimeout(150);
      assert.equal(page.url(), landed, `not followed: ${bad}`);
    }
    assert.deepEqual(problems, []);
  });

  test('queue settings: a supervisor sets the SLA warning point and the escalate-on-breach rule', async () => {
    const opened = await newPage(browser);
    pages.push(opened);
    const { page, problems } = opened;
    await signIn(page, service.url, faith.username, faith.password);
    await page.goto(`${service.url}/queues`);
    await page.getByTestId('queue-edit-Priority review').click();
    const warn = page.getByTestId('queue-sla-warn-percent');
    await warn.fill('');
    await warn.pressSequentially('75');
    await page.getByTestId('queue-sla-on-breach').click();
    await page.getByRole('option', { name: 'Notify and move to an escalation queue' }).click();
    await page.getByTestId('queue-sla-escalate-to').click();
    await page.getByRole('option', { name: 'Escalations' }).click();
    await page.getByTestId('queue-sla-escalate-to').scrollIntoViewIfNeeded();
    await shoot(page, 'queue-sla-escalation-form.png');
    await page.getByTestId('queue-form-save').click();
    await page.getByTestId('queue-notice').waitFor();
    const queues = await call<Array<{ id: string; name: string; slaEscalation: unknown }>>(service.url, 'GET', '/api/v1/case-queues', { token: adminToken });
    assert.deepEqual(queues.find((q) => q.name === 'Priority review')?.slaEscalation, {
      warnAtPercent: 75,
      onBreach: 'ESCALATE',
      escalateToQueueId: queues.find((q) => q.name === 'Escalations')?.id,
    });
    // A value out of range is named on the field and not saved.
    await page.getByTestId('queue-edit-Priority review').click();
    await page.getByTestId('queue-sla-warn-percent').fill('120');
    await page.getByTestId('queue-form-save').click();
    await page.locator('[data-testid="queue-sla-warn-percent"][aria-invalid="true"]').waitFor({ timeout: 5_000 });
    const after = await call<Array<{ name: string; slaEscalation: { warnAtPercent: number } }>>(service.url, 'GET', '/api/v1/case-queues', {
      token: adminToken,
    });
    assert.equal(after.find((q) => q.name === 'Priority review')?.slaEscalation.warnAtPercent, 75, 'nothing saved');
    assert.deepEqual(problems, []);
  });

  test('browser tab: the Notification API notification opens the item when clicked', async () => {
    const opened = await newPage(browser);
    pages.push(opened);
    const { page, context, problems } = opened;
    await context.grantPermissions(['notifications'], { origin: service.url });
    // Keeps each real Notification the tab gives a click handler reachable, so the test can click it
    // as the OS would (window.Notification itself cannot be replaced: the property is not configurable).
    await context.addInitScript(() => {
      const shown: Notification[] = [];
      (window as unknown as { __shown: Notification[] }).__shown = shown;
      const onclick = Object.getOwnPropertyDescriptor(Notification.prototype, 'onclick')!;
      Object.defineProperty(Notification.prototype, 'onclick', {
        configurable: true,
        get(this: Notification) {
          return onclick.get!.call(this);
        },
        set(this: Notification, handler: unknown) {
          shown.push(this);
          onclick.set!.call(this, handler);
        },
      });
    });
    await signIn(page, service.url, faith.username, faith.password);
    await page.goto(`${service.url}/kris`);
    await page.getByTestId('notification-bell').waitFor();
    assert.equal(await page.evaluate(() => Notification.permission), 'granted');
    const probe = await page.evaluate(() => {
      try {
        new Notification('probe').close();
        return 'ok';
      } catch (error) {
        return String(error);
      }
    });
    assert.equal(probe, 'ok');

    const risk = await acceptanceRequest('Small FX open position');
    await page.getByTestId('notification-toast').waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => (window as unknown as { __shown: Notification[] }).__shown.length > 0, undefined, { timeout: 5_000 });
    const title = await page.evaluate(() => (window as unknown as { __shown: Notification[] }).__shown.at(-1)!.title);
    assert.match(title, /accepting risk RSK-.* waits for your approval/);
    await page.evaluate(() => {
      const n = (window as unknown as { __shown: Notification[] }).__shown.at(-1)!;
      n.onclick?.(new Event('click'));
    });
    await page.waitForURL(`${service.url}/risks/${risk.id}`);
    await page.getByTestId('risk-header').filter({ hasText: 'Small FX open position' }).waitFor({ timeout: 15_000 });
    await shoot(page, 'notification-open-browser.png');

    // The in-app toast of the next one sits at the bottom left, clear of the page's header and its
    // buttons (top right it hid them, for good while the pointer rested on it); Dismiss closes it.
    await acceptanceRequest('Second FX open position');
    const toast = page.getByTestId('notification-toast');
    await toast.filter({ hasText: /waits for your approval/ }).waitFor({ timeout: 30_000 });
    // Measured once its grow-in transition has finished.
    await page.waitForFunction(() => document.querySelector('[data-testid="notification-toast"]')?.getAnimations({ subtree: true }).length === 0, undefined, {
      timeout: 5_000,
    });
    const box = await toast.boundingBox();
    const header = await page.getByTestId('risk-header').boundingBox();
    assert.ok(box && header, 'toast and header are on screen');
    assert.ok(box.y > header.y + header.height, `the toast (top ${box.y}) is below the header (bottom ${header.y + header.height})`);
    assert.ok(box.x < 40, `the toast is at the left (x ${box.x})`);
    await page.getByTestId('notification-toast-dismiss').click();
    await toast.waitFor({ state: 'detached', timeout: 5_000 });

    // One whose item the user opens another way (the register's row) has done its job and closes.
    const third = await acceptanceRequest('Third FX open position');
    await toast.filter({ hasText: /waits for your approval/ }).waitFor({ timeout: 30_000 });
    await page.getByTestId('nav-risks').click();
    await page.getByTestId('risk-search').fill('Third FX open position');
    const row = page.getByRole('gridcell', { name: 'Third FX open position' });
    await row.waitFor({ timeout: 15_000 });
    assert.ok(await toast.isVisible(), 'the toast is still up when the row is clicked (it would stay 10 s)');
    await row.click();
    await page.waitForURL(`${service.url}/risks/${third.id}`);
    // Well inside the 10 s it would otherwise stay.
    await toast.waitFor({ state: 'detached', timeout: 2_000 });
    assert.deepEqual(problems, []);
  });
});
