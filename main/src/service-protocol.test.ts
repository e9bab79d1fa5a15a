import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineTail, loopbackServiceOrigin, parseServiceLine, redactSecrets } from './service-protocol.ts';

describe('parseServiceLine', () => {
  it('parses the ready event', () => {
    assert.deepEqual(parseServiceLine('{"event":"ready","url":"http://127.0.0.1:4780","mode":"standalone"}'), {
      event: 'ready',
      url: 'http://127.0.0.1:4780',
      mode: 'standalone',
    });
  });

  it('parses the admin-password event (with surrounding whitespace / CRLF)', () => {
    assert.deepEqual(parseServiceLine('  {"event":"admin-password","username":"admin","password":"x-Y-z"}\r'), {
      event: 'admin-password',
      username: 'admin',
      password: 'x-Y-z',
    });
  });

  it('ignores anything that is not a valid protocol line', () => {
    for (const line of [
      '',
      'Server listening',
      '{"level":30,"msg":"hello"}',
      '{"event":"ready","url":"not a url","mode":"standalone"}',
      '{"event":"ready","url":"http://127.0.0.1:1","mode":"mainframe"}',
      '{"event":"admin-password","username":"admin"}',
      '{"event":"unknown"}',
      '{broken json',
      '[1,2,3]',
      `{"event":"ready","url":"http://127.0.0.1:1","mode":"standalone","pad":"${'x'.repeat(20_000)}"}`,
    ]) {
      assert.equal(parseServiceLine(line), null, line.slice(0, 60));
    }
  });
});

describe('loopbackServiceOrigin', () => {
  it('accepts loopback http URLs with a port', () => {
    assert.equal(loopbackServiceOrigin('http://127.0.0.1:4780'), 'http://127.0.0.1:4780');
    assert.equal(loopbackServiceOrigin('http://127.0.0.1:4780/some/path'), 'http://127.0.0.1:4780');
    assert.equal(loopbackServiceOrigin('http://localhost:5000/'), 'http://localhost:5000');
    assert.equal(loopbackServiceOrigin('http://[::1]:5000/'), 'http://[::1]:5000');
  });

  it('rejects anything else', () => {
    for (const url of [
      'http://10.0.0.5:4780',
      'https://127.0.0.1:4780',
      'http://127.0.0.1',
      'http://user:pw@127.0.0.1:4780',
      'http://127.0.0.1.evil.example:4780',
      'file:///tmp/x',
      'nonsense',
    ]) {
      assert.equal(loopbackServiceOrigin(url), null, url);
    }
  });
});

describe('LineTail', () => {
  it('keeps only the last lines, each clipped', () => {
    const tail = new LineTail(3, 5);
    for (const line of ['one', 'two', 'three', 'four', 'a much longer line']) tail.push(line);
    assert.deepEqual(tail.lines(), ['three', 'four', 'a muc…']);
  });
});

describe('redactSecrets', () => {
  it('masks every occurrence and ignores empty secrets', () => {
    assert.equal(redactSecrets('pw=abc, again abc', ['abc', '']), 'pw=[redacted], again [redacted]');
    assert.equal(redactSecrets('nothing here', []), 'nothing here');
  });

  it('also cleans lines a tail already holds', () => {
    const tail = new LineTail();
    tail.push('password: hunter2');
    tail.redact('hunter2');
    assert.deepEqual(tail.lines(), ['password: [redacted]']);
  });
});
