import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { stopTestPostgres } from '../testing/databases.ts';
import { startTestService, TEST_ADMIN_PASSWORD, type TestService } from '../testing/service.ts';
import { ApiErrorBody } from '../../../shared/src/api.ts';

/**
 * Hostile XML at the real HTTP endpoint: external entities (file:// and http://, the latter aimed
 * at a small server this test runs, which must never be contacted), entity expansion (billion
 * laughs, quadratic blowup), deep nesting, element floods and an oversized body. Each is a quick
 * 400 (413 for the size), never a hang, a memory blowup or a request to anywhere.
 */

after(stopTestPostgres);

const ASSESSMENTS = '/api/v1/fraud-risk/assessments';
const SAMPLE = fs.readFileSync(fileURLToPath(new URL('../../test-data/iso20022/nexus-pacs.008.001.08-SGD.xml', import.meta.url)), 'utf8');
/** The real sample with a DOCTYPE put in front of its Document and `reference` as the debtor's name. */
const withDoctype = (doctype: string, reference: string) =>
  SAMPLE.replace('<Document', `${doctype}\n<Document`).replace('<Nm>John Doe</Nm>', `<Nm>${reference}</Nm>`);

describe('hostile XML at POST /assessments', { timeout: 120_000 }, () => {
  let svc: TestService;
  let apiKey: string;
  let bait: http.Server;
  let baitHits = 0;
  let baitUrl = '';

  before(async () => {
    bait = http.createServer((_req, res) => {
      baitHits += 1;
      res.end('<!ENTITY leak "contacted">');
    });
    await new Promise<void>((resolve) => bait.listen(0, '127.0.0.1', resolve));
    baitUrl = `http://127.0.0.1:${(bait.address() as AddressInfo).port}`;
    svc = await startTestService('sqlite');
    const admin = (await svc.login('admin', TEST_ADMIN_PASSWORD)).token;
    const client = await svc.request('POST', '/api/v1/api-clients', {
      token: admin,
      body: { name: 'Hostile sender', role: 'PAYMENT_ENGINE', tenantIds: ['WEKEZA-KE'] },
    });
    apiKey = (client.body as { apiKey: string }).apiKey;
  });
  after(async () => {
    await svc.stop();
    await new Promise<void>((resolve) => bait.close(() => resolve()));
  });

  const send = async (xml: string) => {
    const started = performance.now();
    const res = await svc.request('POST', `${ASSESSMENTS}?tenantId=WEKEZA-KE`, {
      rawBody: xml,
      headers: { 'x-api-key': apiKey, 'content-type': 'application/xml' },
    });
    return { ...res, ms: performance.now() - started };
  };
  const refused = async (xml: string, message: RegExp) => {
    const res = await send(xml);
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.match(ApiErrorBody.parse(res.body).error.message, message);
    assert.ok(res.ms < 2_000, `answered in ${Math.round(res.ms)} ms`);
    return res;
  };

  it('the unmodified sample is accepted (so the refusals below are about the attack)', async () => {
    assert.equal((await send(SAMPLE)).status, 201);
  });

  it('never reads a file through an external entity', async () => {
    const res = await refused(withDoctype('<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', '&xxe;'), /DOCTYPE is not allowed/);
    assert.doesNotMatch(JSON.stringify(res.body), /root:/);
  });

  it('never contacts a server through an external or parameter entity', async () => {
    await refused(withDoctype(`<!DOCTYPE Document [<!ENTITY xxe SYSTEM "${baitUrl}/general">]>`, '&xxe;'), /DOCTYPE/);
    await refused(withDoctype(`<!DOCTYPE Document [<!ENTITY % remote SYSTEM "${baitUrl}/parameter"> %remote;]>`, '&leak;'), /DOCTYPE/);
    await refused(withDoctype(`<!DOCTYPE Document SYSTEM "${baitUrl}/dtd">`, 'John Doe'), /DOCTYPE/);
    // An entity reference without any DOCTYPE is simply undefined.
    await refused(SAMPLE.replace('<Nm>John Doe</Nm>', '<Nm>&leak;</Nm>'), /undefined entity/);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(baitHits, 0, 'the bait server was never contacted');
    // The bait is reachable: a zero above means the parser did not try, not that it could not.
    await fetch(`${baitUrl}/probe`);
    assert.equal(baitHits, 1);
  });

  it('refuses entity expansion: billion laughs and quadratic blowup', async () => {
    const laughs = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i <= 9; i++) laughs.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    await refused(withDoctype(`<!DOCTYPE Document [${laughs.join('')}]>`, '&lol9;'), /DOCTYPE/);
    const big = 'a'.repeat(50_000);
    await refused(withDoctype(`<!DOCTYPE Document [<!ENTITY a "${big}">]>`, '&a;'.repeat(20_000)), /DOCTYPE/);
  });

  it('refuses deep nesting and element floods quickly', async () => {
    const deep = SAMPLE.replace('<Purp>', `${'<x>'.repeat(50_000)}${'</x>'.repeat(50_000)}<Purp>`);
    await refused(deep, /nested deeper than 64/);
    const flood = SAMPLE.replace('<Purp>', `${'<x/>'.repeat(150_000)}<Purp>`);
    await refused(flood, /more than 100000 elements/);
  });

  it('answers 413 for a body over the limit, without parsing it', async () => {
    const huge = SAMPLE.replace('<Purp>', `<!--${'x'.repeat(1_200_000)}--><Purp>`);
    const res = await send(huge);
    assert.equal(res.status, 413);
  });
});
