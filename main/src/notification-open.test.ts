import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IpcChannel } from './ipc-channels.ts';
import { openNotificationTarget, type NotificationClickWindow } from './notification-open.ts';

const SERVICE = 'http://127.0.0.1:4780';

/** A window that records what the click did (stands in for Electron's BrowserWindow, which cannot run here). */
function windowShowing(url: string | null) {
  const calls: string[] = [];
  const window: NotificationClickWindow = {
    focus: () => calls.push('focus'),
    currentUrl: () => url,
    send: (channel, path) => calls.push(`${channel} ${path}`),
  };
  return { window, calls };
}

describe('openNotificationTarget', { timeout: 5_000 }, () => {
  it('focuses the window and sends it the in-app path of the notification', () => {
    const { window, calls } = windowShowing(`${SERVICE}/overview`);
    assert.equal(openNotificationTarget('/cases/0193a1b2-0000-7000-8000-000000000001', window, SERVICE), 'navigated');
    assert.deepEqual(calls, ['focus', `${IpcChannel.navigate} /cases/0193a1b2-0000-7000-8000-000000000001`]);
  });

  it('only focuses for a notification without a link', () => {
    const { window, calls } = windowShowing(`${SERVICE}/overview`);
    assert.equal(openNotificationTarget(null, window, SERVICE), 'focused');
    assert.deepEqual(calls, ['focus']);
  });

  it('never sends anything that is not an in-app path', () => {
    for (const link of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'cases/1', '/a b', `/${'x'.repeat(600)}`]) {
      const { window, calls } = windowShowing(`${SERVICE}/overview`);
      assert.equal(openNotificationTarget(link, window, SERVICE), 'focused', link);
      assert.deepEqual(calls, ['focus'], link);
    }
  });

  it('does not navigate a window that is not showing the service (first run, crashed renderer)', () => {
    for (const url of [null, 'about:blank', 'http://127.0.0.1:4781/', 'file:///setup.html']) {
      const { window, calls } = windowShowing(url);
      assert.equal(openNotificationTarget('/kris/1', window, SERVICE), 'focused', String(url));
      assert.deepEqual(calls, ['focus']);
    }
    const { window, calls } = windowShowing(`${SERVICE}/`);
    assert.equal(openNotificationTarget('/kris/1', window, null), 'focused', 'no service yet');
    assert.deepEqual(calls, ['focus']);
  });

  it('reports a closed window', () => {
    assert.equal(openNotificationTarget('/kris/1', null, SERVICE), 'no-window');
  });
});
