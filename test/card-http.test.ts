// The card API over HTTP: the counter's flow, the hotline, problem+json errors, and the virtual card reader driven by the card SDK.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { newResident } from './support/jpki-fixtures.ts';
import { CardClient, syntheticPortrait, virtualReaderTransport } from '../src/modules/card/index.ts';

const PINS = { auth: '4321', sign: 'HTTPTEST1', kenhojo: '1111', juki: '2222' };
const identityCheck = { documents: ['マイナンバーカード（旧カード）'], checkedBy: '三鷹 窓口一郎' };

describe('card HTTP API', () => {
  let t: TestPlatform;
  const headers = () => ({ authorization: `Bearer ${t.apiKey}` });
  before(async () => {
    t = await createTestPlatform();
    await t.platform.jpki.initCertificateAuthorities();
  });
  after(() => t.close());

  /** fetch() over app.inject, so the SDK's HTTP transport runs unchanged against the test app. */
  const injectFetch = (async (url: string, init: RequestInit = {}) => {
    const res = await t.app.inject({ method: (init.method ?? 'GET') as 'POST', url: new URL(url).pathname, headers: init.headers as Record<string, string>, payload: init.body as string });
    return new Response(res.body, { status: res.statusCode, headers: { 'content-type': String(res.headers['content-type']) } });
  }) as typeof fetch;

  test('application → production → hand-over over HTTP, then the SDK reads the card through the virtual reader', async () => {
    const resident = await newResident(t);
    const photo = { base64: Buffer.from(syntheticPortrait('http')).toString('base64'), type: 'image/jpeg' };
    const applied = await t.app.inject({ method: 'POST', url: '/card/v1/applications', headers: headers(), payload: { residentId: resident.id, channel: 'online', photo } });
    assert.equal(applied.statusCode, 201, applied.body);
    const application = applied.json();
    const produced = await t.app.inject({ method: 'POST', url: `/card/v1/applications/${application.id}/production`, headers: headers() });
    assert.equal(produced.statusCode, 201, produced.body);
    const cardId = produced.json().id;
    const handed = await t.app.inject({ method: 'POST', url: `/card/v1/cards/${cardId}/hand-over`, headers: headers(), payload: { identityCheck, pins: PINS } });
    assert.equal(handed.json().status, 'active');

    const client = new CardClient(virtualReaderTransport('http://platform.test', cardId, injectFetch));
    assert.equal(await client.readIndividualNumber(PINS.kenhojo), resident.individualNumber);
    await assert.rejects(client.sign('auth', new Uint8Array(51), '0000'), { code: 'CARD_PIN_INCORRECT' });
    assert.equal((await client.pinStatus()).auth, 2, 'the wrong try counted');

    const listed = await t.app.inject({ method: 'GET', url: '/card/virtual/v1/cards' });
    assert.equal(listed.statusCode, 200);

    const suspended = await t.app.inject({ method: 'POST', url: `/card/v1/cards/${cardId}/suspension`, headers: headers(), payload: { reportedBy: '本人（電話）' } });
    assert.equal(suspended.json().status, 'suspended');
    const history = await t.app.inject({ method: 'GET', url: `/card/v1/cards/${cardId}/history`, headers: headers() });
    assert.deepEqual(history.json().map((e: { kind: string }) => e.kind), ['card.produced', 'card.handed_over', 'card.suspended']);
  });

  test('errors are problem+json with stable codes; another municipality sees nothing', async () => {
    const badApdu = await t.app.inject({ method: 'POST', url: '/card/virtual/v1/cards/00000000-0000-4000-8000-000000000000/transmit', payload: { apdu: 'XYZ' } });
    assert.equal(badApdu.statusCode, 400);
    assert.match(String(badApdu.headers['content-type']), /^application\/problem\+json/);
    const unknown = await t.app.inject({ method: 'POST', url: '/card/virtual/v1/cards/00000000-0000-4000-8000-000000000000/transmit', payload: { apdu: '00A4040C' } });
    assert.equal(unknown.json().code, 'CARD_NOT_FOUND');
    const noKey = await t.app.inject({ method: 'GET', url: '/card/v1/cards' });
    assert.equal(noKey.statusCode, 401);
    const [mine] = await t.platform.card.listCards({ lgCode: t.lgCode, limit: 1 });
    const other = await t.app.inject({ method: 'POST', url: `/card/v1/cards/${mine!.id}/suspension`, headers: { authorization: `Bearer ${t.otherApiKey}` }, payload: { reportedBy: 'x' } });
    assert.equal(other.json().code, 'CARD_NOT_FOUND');
    const resident = await newResident(t);
    const noPhoto = await t.app.inject({ method: 'POST', url: '/card/v1/applications', headers: headers(), payload: { residentId: resident.id, channel: 'online' } });
    assert.equal(noPhoto.statusCode, 400);
    const badPin = await t.app.inject({ method: 'POST', url: '/card/v1/applications', headers: headers(), payload: {
      residentId: resident.id, channel: 'visit_at_application', identityCheck, pins: { ...PINS, auth: 'abcd' },
      photo: { base64: Buffer.from(syntheticPortrait('p')).toString('base64'), type: 'image/jpeg' } } });
    assert.equal(badPin.json().code, 'CARD_PIN_FORMAT');
    assert.ok(!badPin.body.includes('abcd'), 'the rejected PIN is not echoed');
  });
});
