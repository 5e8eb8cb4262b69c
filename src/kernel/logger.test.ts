// The logger never writes an individual number, PIN or private key, wherever it appears in a log call.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createLogger } from './logger.ts';
import { PlatformError } from './errors.ts';

function capture() {
  const lines: string[] = [];
  const log = createLogger({ level: 'trace', destination: { write: (l: string) => { lines.push(l); } } });
  return { log, text: () => lines.join('') };
}

const NUMBER = '123456789018';

test('masks individual numbers in messages, fields, nested objects and arrays', () => {
  const { log, text } = capture();
  log.info(`照会 ${NUMBER} を受付`);
  log.info({ query: { note: `番号は${NUMBER}です`, list: [NUMBER, '1234-5678-9018'] } }, 'search');
  log.warn({ value: 123456789018 }, 'numeric');
  const out = text();
  assert.ok(!out.includes(NUMBER), out);
  assert.ok(!out.includes('1234-5678-9018'));
  assert.ok(!out.includes('123456789018'));
  assert.match(out, /\[個人番号\]/);
});

test('masks secret fields by name whatever their value', () => {
  const { log, text } = capture();
  log.info({ pin: '1234', userPin: '5678', signingPassword: 'abcdef12', individualNumber: 'x', 'x-api-key': 'mnk_secret', nested: { privateKey: 'k' } }, 'secrets');
  const out = JSON.parse(text());
  assert.equal(out.pin, '[REDACTED]');
  assert.equal(out.userPin, '[REDACTED]');
  assert.equal(out.signingPassword, '[REDACTED]');
  assert.equal(out.individualNumber, '[REDACTED]');
  assert.equal(out['x-api-key'], '[REDACTED]');
  assert.equal(out.nested.privateKey, '[REDACTED]');
});

test('does not mask ordinary fields that merely contain secret-looking letters', () => {
  const { log, text } = capture();
  log.info({ spinner: 'on', mapping: 'a', count: 12 }, 'ordinary');
  const out = JSON.parse(text());
  assert.equal(out.spinner, 'on');
  assert.equal(out.mapping, 'a');
  assert.equal(out.count, 12);
});

test('masks PEM private keys and numbers inside error messages and stacks', () => {
  const { log, text } = capture();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  log.error({ err: new Error(`failed for ${NUMBER}`) }, 'boom');
  log.error(new PlatformError('X_Y_Z', 400, `bad ${NUMBER}`));
  log.info({ blob: pem }, 'key');
  const out = text();
  assert.ok(!out.includes(NUMBER));
  assert.ok(!out.includes('PRIVATE KEY-----\n'), 'PEM body leaked');
  assert.ok(!out.includes(pem.split('\n')[1]!), 'PEM base64 leaked');
  assert.match(out, /\[秘密鍵\]/);
});

test('masks individual numbers in request URLs, percent-encoded or not', () => {
  const { log, text } = capture();
  const urls = [
    `/registry/v1/residents/${NUMBER}`,
    `/search?q=%5B%22${NUMBER}%22%5D`,
    `/search?n%3D${NUMBER}&x=1`,
    '/search?n=1234%205678%209018',
    '/search?n=1234+5678+9018',
    '/search?n=1234%2D5678%2D9018',
    `/search?n=${encodeURIComponent(NUMBER.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))))}`,
  ];
  for (const url of urls) log.info({ req: { method: 'GET', url } }, 'incoming request');
  const out = text();
  assert.ok(!/123456789018|1234(%20|\+|%2D)5678|%EF%BC%91/.test(out), out);
  assert.equal(out.match(/\[個人番号\]/g)?.length, urls.length, out);
});

test('leaves longer digit runs (e.g. 13-digit corporate numbers) alone', () => {
  const { log, text } = capture();
  log.info('法人番号 7123456789012');
  log.info('/path?%201234567890123');
  assert.match(text(), /7123456789012/);
  assert.match(text(), /%201234567890123/, 'a 13-digit run after an escape is not a number');
});
