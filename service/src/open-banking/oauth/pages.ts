import { OB_SCOPE_LABELS, type ObScope } from '../../../../shared/src/open-banking.ts';

/**
 * The customer's pages (issue 14): plain server-rendered HTML and CSS. No script at all (the
 * service's Content-Security-Policy allows none inline), forms carry a CSRF token, labels are
 * tied to their fields, and the layout works on a phone.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a2330;background:#f3f5f8}
main{max-width:38rem;margin:0 auto;padding:1.5rem 1rem 3rem}
header{background:#0b3d5c;color:#fff;padding:.75rem 1rem}
header p{margin:0;max-width:38rem;margin:0 auto;font-weight:600}
h1{font-size:1.5rem;margin:.5rem 0 1rem}
h2{font-size:1.1rem;margin:1.25rem 0 .5rem}
.card{background:#fff;border:1px solid #d5dce4;border-radius:8px;padding:1rem 1.25rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
input[type=text],input[type=password]{width:100%;padding:.6rem;border:1px solid #8a97a6;border-radius:6px;font:inherit}
input:focus,button:focus{outline:3px solid #f2a900;outline-offset:2px}
fieldset{border:1px solid #d5dce4;border-radius:6px;margin:.75rem 0;padding:.5rem .75rem}
legend{font-weight:600;padding:0 .25rem}
.check{display:flex;gap:.6rem;align-items:flex-start;font-weight:400;margin:.5rem 0}
.check input{margin-top:.3rem;width:1.1rem;height:1.1rem}
ul.scopes{padding-left:1.25rem;margin:.25rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:.5rem 0}
dt{font-weight:600}dd{margin:0}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1rem}
button{font:inherit;padding:.65rem 1.25rem;border-radius:6px;border:1px solid #0b3d5c;cursor:pointer;min-height:44px}
button.primary{background:#0b3d5c;color:#fff}
button.secondary{background:#fff;color:#0b3d5c}
button.danger{background:#fff;color:#a4161a;border-color:#a4161a}
.error{background:#fdecea;border:1px solid #a4161a;color:#6b0f12;border-radius:6px;padding:.6rem .8rem}
.muted{color:#4a5868;font-size:.9rem}
.status{display:inline-block;padding:0 .5rem;border-radius:1rem;background:#e6ecf2;font-size:.85rem}
@media (max-width:30rem){dl{grid-template-columns:1fr}dd{margin-bottom:.4rem}}
`;

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${esc(title)} · Wekeza Bank</title>
<style>${STYLE}</style>
</head>
<body>
<header><p>Wekeza Bank</p></header>
<main id="main">
${body}
</main>
</body>
</html>`;
}

const errorBox = (message: string | null | undefined) => (message ? `<p class="error" role="alert">${esc(message)}</p>` : '');

export function errorPage(message: string, title = 'Something went wrong'): string {
  return layout(title, `<h1>${esc(title)}</h1><div class="card">${errorBox(message)}<p class="muted">You can close this page and return to the app.</p></div>`);
}

export interface SignInLabels {
  identifier: string;
  secret: string;
  hint?: string | null;
}

export function signInPage(input: {
  action: string;
  csrf: string;
  heading: string;
  intro: string;
  labels: SignInLabels;
  error?: string | null;
  identifier?: string;
}): string {
  return layout(
    input.heading,
    `<h1>${esc(input.heading)}</h1>
<div class="card">
<p>${esc(input.intro)}</p>
${errorBox(input.error)}
<form method="post" action="${esc(input.action)}" autocomplete="off">
<input type="hidden" name="csrf" value="${esc(input.csrf)}">
<label for="identifier">${esc(input.labels.identifier)}</label>
<input type="text" id="identifier" name="identifier" required maxlength="100" value="${esc(input.identifier ?? '')}" autocomplete="username">
<label for="secret">${esc(input.labels.secret)}</label>
<input type="password" id="secret" name="secret" required maxlength="200" autocomplete="current-password">
${input.labels.hint ? `<p class="muted">${esc(input.labels.hint)}</p>` : ''}
<div class="actions"><button class="primary" type="submit">Sign in</button></div>
</form>
</div>`,
  );
}

export interface ConsentScreenAccount {
  id: string;
  name: string;
  accountNumber: string;
  type: string;
  currency: string;
}

export interface ConsentScreen {
  action: string;
  csrf: string;
  appName: string;
  appKind: string;
  customerName: string;
  permissions: readonly ObScope[];
  accounts: readonly ConsentScreenAccount[];
  expiresAt: string | null;
  transactionFrom: string | null;
  transactionTo: string | null;
  frequencyPerDay: number;
  recurring: boolean;
  error?: string | null;
  selected?: readonly string[];
}

const maskNumber = (n: string) => (n.length > 4 ? `••••${n.slice(-4)}` : n);
export const formatDate = (iso: string | null): string =>
  iso === null ? '' : new Date(iso).toLocaleString('en-GB', { timeZone: 'Africa/Nairobi', dateStyle: 'long', timeStyle: 'short' });

export function consentScreen(input: ConsentScreen): string {
  const selected = new Set(input.selected ?? input.accounts.map((a) => a.id));
  const window =
    input.transactionFrom || input.transactionTo
      ? `${input.transactionFrom ? formatDate(input.transactionFrom) : 'the beginning'} to ${input.transactionTo ? formatDate(input.transactionTo) : 'now'}`
      : 'All your transactions';
  const accounts = input.accounts
    .map(
      (a) =>
        `<label class="check"><input type="checkbox" name="accountIds" value="${esc(a.id)}"${selected.has(a.id) ? ' checked' : ''}><span>${esc(a.name)} <span class="muted">${esc(a.type)} · ${esc(a.currency)} · ${esc(maskNumber(a.accountNumber))}</span></span></label>`,
    )
    .join('\n');
  return layout(
    `${input.appName} asks for access`,
    `<h1>${esc(input.appName)} asks for access to your accounts</h1>
<p class="muted">Signed in as ${esc(input.customerName)}. ${esc(input.appName)} is a ${esc(input.appKind)}.</p>
${errorBox(input.error)}
<form method="post" action="${esc(input.action)}">
<input type="hidden" name="csrf" value="${esc(input.csrf)}">
<div class="card">
<h2 id="what">What ${esc(input.appName)} may do</h2>
<ul class="scopes" aria-labelledby="what">${input.permissions.map((p) => `<li>${esc(OB_SCOPE_LABELS[p])}</li>`).join('')}</ul>
<dl>
<dt>Until</dt><dd>${input.expiresAt ? esc(formatDate(input.expiresAt)) : 'Until you withdraw it'}</dd>
<dt>Transactions</dt><dd>${esc(window)}</dd>
<dt>Without you</dt><dd>${input.frequencyPerDay} time${input.frequencyPerDay === 1 ? '' : 's'} a day at most while you are not using the app</dd>
<dt>Kind</dt><dd>${input.recurring ? 'Ongoing access' : 'One-off access'}</dd>
</dl>
</div>
<fieldset class="card">
<legend>Which accounts</legend>
${accounts || '<p>You have no accounts this app can be given access to.</p>'}
</fieldset>
<p class="muted">You can withdraw this consent at any time under “Your consents”; the app's next request is then refused.</p>
<div class="actions">
<button class="primary" type="submit" name="decision" value="approve">Allow</button>
<button class="secondary" type="submit" name="decision" value="deny">Do not allow</button>
</div>
</form>`,
  );
}

/**
 * Sends the browser on to the authorization endpoint (and from there to the app). A redirect
 * after the form would be blocked by the page's CSP form-action 'self' once it leaves for the
 * app's redirect URI, so the navigation continues from this page instead.
 */
export function continuePage(to: string, message: string): string {
  return layout(
    'Returning to the app',
    `<h1>${esc(message)}</h1><div class="card"><p>Taking you back to the app…</p><p><a href="${esc(to)}">Continue</a></p></div>`,
  ).replace(
    '<meta name="referrer" content="same-origin">',
    `<meta name="referrer" content="same-origin">\n<meta http-equiv="refresh" content="0;url=${esc(to)}">`,
  );
}

export interface CustomerConsentRow {
  id: string;
  appName: string;
  permissions: readonly ObScope[];
  status: string;
  accounts: readonly string[];
  authorisedAt: string | null;
  expiresAt: string | null;
  revocable: boolean;
}

export function customerConsentsPage(input: {
  customerName: string;
  csrf: string;
  consents: readonly CustomerConsentRow[];
  notice?: string | null;
  error?: string | null;
}): string {
  const rows = input.consents
    .map(
      (c) => `<div class="card">
<h2>${esc(c.appName)} <span class="status">${esc(c.status)}</span></h2>
<ul class="scopes">${c.permissions.map((p) => `<li>${esc(OB_SCOPE_LABELS[p])}</li>`).join('')}</ul>
<dl>
<dt>Accounts</dt><dd>${c.accounts.length ? c.accounts.map(esc).join(', ') : '—'}</dd>
<dt>Given</dt><dd>${c.authorisedAt ? esc(formatDate(c.authorisedAt)) : '—'}</dd>
<dt>Until</dt><dd>${c.expiresAt ? esc(formatDate(c.expiresAt)) : 'Until you withdraw it'}</dd>
</dl>
${
  c.revocable
    ? `<form method="post" action="/customer/consents/${esc(c.id)}/revoke"><input type="hidden" name="csrf" value="${esc(input.csrf)}"><div class="actions"><button class="danger" type="submit" aria-label="Withdraw consent for ${esc(c.appName)}">Withdraw consent</button></div></form>`
    : ''
}
</div>`,
    )
    .join('\n');
  return layout(
    'Your consents',
    `<h1>Your consents</h1>
<p class="muted">Signed in as ${esc(input.customerName)}.</p>
${input.notice ? `<p class="card" role="status">${esc(input.notice)}</p>` : ''}
${errorBox(input.error)}
${rows || '<div class="card"><p>You have not given any app access to your accounts.</p></div>'}
<form method="post" action="/customer/sign-out"><input type="hidden" name="csrf" value="${esc(input.csrf)}"><div class="actions"><button class="secondary" type="submit">Sign out</button></div></form>`,
  );
}
