// コンビニ交付 bad input over HTTP (docs/issuance.md, docs/errors.md `ISSUANCE_*`): a certificate of another CA, a
// municipality that does not take part, a type it does not offer, 0 and 100 copies, an expired session, another
// session's or kiosk's order, underpayment. Each answer is application/problem+json with a stable code and a
// Japanese title, never a 500, and nothing is charged: no settlement row, no refund, no paid order.
import 'reflect-metadata';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { CardClient, digestInfo, inProcessTransport, syntheticPortrait } from '../src/modules/card/index.ts';
import { buildCaCertificate, buildUserAuthCertificate } from '../src/modules/jpki/index.ts';
import type { StaffPrincipal } from '../src/modules/registry/index.ts';

const PINS = { auth: '2580', sign: 'KIOSK2026', kenhojo: '1470', juki: '3690' };
const RSA = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' } as const;
/** 12:00 JST, inside the service hours. */
const NOON = '2026-11-24T03:00:00Z';
const MONTH = '2026-11';
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

/** 渋谷区: takes part, but offers no 所得・課税証明書 (its staff configure the offers in the test). */
const SHIBUYA = { lgCode: '131130', name: '渋谷区', nameKana: 'シブヤク', prefecture: '東京都', population: 230000 };

interface Answer { status: number; contentType: string; body: Record<string, any>; raw: string }

describe('コンビニ交付: bad input gets a stable code, a Japanese message, no 500 and no charge', () => {
  let t: TestPlatform;
  let credential = '';
  let otherKioskCredential = '';
  let shibuyaKey = '';
  let shibuyaStaff: StaffPrincipal;
  let household = 0;

  before(async () => {
    t = await createTestPlatform();
    t.clock.set(NOON);
    await t.platform.jpki.initCertificateAuthorities();
    credential = (await t.platform.issuance.setUpDemo(t.lgCode)).kioskCredential;
    otherKioskCredential = (await t.platform.issuance.registerKiosk('store-b', 'コンビニB 三鷹駅前店 マルチコピー機')).credential;
    await t.registry.registerMunicipality(SHIBUYA);
    shibuyaKey = (await t.registry.createApiKey(SHIBUYA.lgCode, '渋谷 窓口次郎')).apiKey;
    shibuyaStaff = await t.registry.authenticate(shibuyaKey);
  });
  after(() => t.close());

  // ── helpers ───────────────────────────────────────────────────────────────────────────────────

  async function call(method: 'GET' | 'POST' | 'PUT', path: string, options: { body?: unknown; credential?: string | null; base?: string; apiKey?: string } = {}): Promise<Answer> {
    const bearer = options.apiKey ?? (options.credential === null ? undefined : options.credential ?? credential);
    const response = await t.app.inject({
      method, url: `${options.base ?? '/issuance/centre/v1'}${path}`,
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(method === 'POST' ? { 'idempotency-key': `test-${randomUUID()}` } : {}),
      },
      ...(options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
    });
    let body: Record<string, any> = {};
    try {
      body = response.json() as Record<string, any>;
    } catch { /* a PDF or an empty 204 */ }
    return { status: response.statusCode, contentType: String(response.headers['content-type'] ?? ''), body, raw: response.body };
  }

  /** A problem document with this status and code, a Japanese title, never a 5xx. */
  function assertProblem(answer: Answer, status: number, code: string | RegExp, what: string): void {
    assert.ok(answer.status < 500, `${what}: never a ${answer.status}: ${answer.raw}`);
    assert.equal(answer.status, status, `${what}: HTTP ${status}: ${answer.raw}`);
    assert.match(answer.contentType, /^application\/problem\+json/, `${what}: problem+json`);
    if (typeof code === 'string') assert.equal(answer.body['code'], code, `${what}: ${answer.raw}`);
    else assert.match(String(answer.body['code']), code, `${what}: ${answer.raw}`);
    assert.equal(answer.body['status'], status);
    assert.match(String(answer.body['title']), JAPANESE, `${what}: a Japanese title`);
  }

  /** Everything money-related the centre has recorded: the month's statement, the rows behind it, paid orders. */
  async function ledger() {
    const db = t.platform.database.db;
    const count = async (table: string) => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const paid = await db.selectFrom('issuance.orders').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '!=', 'ready').executeTakeFirstOrThrow();
    return {
      statement: await t.platform.issuance.settlement(MONTH),
      settlementRows: await count('issuance.settlement_rows'),
      refunds: await count('issuance.refunds'),
      paidOrders: Number(paid.n),
    };
  }

  /** Runs `work` and asserts that nothing was charged or settled meanwhile. */
  async function noCharge(what: string, work: () => Promise<void>): Promise<void> {
    const before = await ledger();
    await work();
    assert.deepEqual(await ledger(), before, `${what}: nothing charged, settled or refunded`);
  }

  /** A resident of `staff`'s municipality (head of a new household) with an active card whose PINs are PINS. */
  async function cardHolder(staff: StaffPrincipal, place: { street: string; postalCode: string }) {
    const n = ++household;
    const resident = await t.registry.recordMoveIn(staff, {
      person: {
        relationship: '世帯主', familyName: '試験', givenName: `太郎${n}`, familyNameKana: 'シケン', givenNameKana: 'タロウ',
        birthDate: '1980-02-03', sex: 'male', honseki: '東京都三鷹市野崎一丁目1番地', hittosha: '試験太郎',
        nationality: null, residenceStatus: null, residenceExpiry: null, residenceCardNumber: null, aliasName: null,
      },
      relationship: '世帯主', occurredOn: '2021-04-01',
      target: { newHousehold: { address: `${place.street}${n}番1号`, postalCode: place.postalCode } },
    });
    const application = await t.platform.card.apply(staff, { residentId: resident.id, channel: 'online', photo: { bytes: syntheticPortrait(`bad-${n}`), type: 'image/jpeg' } });
    const produced = await t.platform.card.produce(application.id);
    const card = await t.platform.card.handOver(staff, produced.id, { identityCheck: { documents: ['運転免許証'], checkedBy: '窓口' }, pins: PINS });
    const client = new CardClient(inProcessTransport(await t.platform.card.openChip(card.id)));
    return {
      resident, card,
      certificate: () => client.readCertificate('auth'),
      sign: (challenge: Uint8Array) => client.sign('auth', digestInfo(challenge), PINS.auth),
    };
  }
  const mitaka = () => cardHolder(t.staff, { street: '東京都三鷹市野崎二丁目', postalCode: '1810014' });
  const chiyoda = () => cardHolder(t.otherStaff, { street: '東京都千代田区千代田一丁目', postalCode: '1000001' });
  const shibuya = () => cardHolder(shibuyaStaff, { street: '東京都渋谷区神南一丁目', postalCode: '1500041' });
  type Holder = Awaited<ReturnType<typeof mitaka>>;

  async function openSession(kiosk = credential): Promise<{ sessionId: string; challenge: Uint8Array; expiresAt: string }> {
    const answer = await call('POST', '/sessions', { body: {}, credential: kiosk });
    assert.equal(answer.status, 201, answer.raw);
    return { sessionId: answer.body['sessionId'], challenge: new Uint8Array(Buffer.from(answer.body['challenge'], 'base64url')), expiresAt: answer.body['expiresAt'] };
  }

  function authenticate(sessionId: string, certificate: Uint8Array, signature: Uint8Array, kiosk = credential): Promise<Answer> {
    return call('POST', `/sessions/${sessionId}/authentication`, {
      credential: kiosk, body: { certificate: Buffer.from(certificate).toString('base64'), signature: Buffer.from(signature).toString('base64') },
    });
  }

  /** A session in which `holder`'s card has authenticated (200). */
  async function authenticated(holder: Holder, kiosk = credential): Promise<{ sessionId: string; offers: { type: string; available: boolean }[] }> {
    const session = await openSession(kiosk);
    const answer = await authenticate(session.sessionId, await holder.certificate(), await holder.sign(session.challenge), kiosk);
    assert.equal(answer.status, 200, answer.raw);
    return { sessionId: session.sessionId, offers: answer.body['offers'] };
  }

  async function order(sessionId: string, body: Record<string, unknown>, kiosk = credential): Promise<Answer> {
    return call('POST', `/sessions/${sessionId}/orders`, { body, credential: kiosk });
  }

  /** A placed 住民票の写し order (201). */
  async function juminhyoOrder(sessionId: string, copies = 1): Promise<{ orderId: string; totalYen: number }> {
    const answer = await order(sessionId, { type: 'juminhyo', copies });
    assert.equal(answer.status, 201, answer.raw);
    return { orderId: answer.body['orderId'], totalYen: answer.body['totalYen'] };
  }

  // ── card authentication ───────────────────────────────────────────────────────────────────────

  test('a certificate of another CA (same subject shape, even the same issuer name and serial) signing the real challenge → ISSUANCE_CERTIFICATE_UNTRUSTED', async () => {
    const genuine = await mitaka();
    const genuineCertificate = new x509.X509Certificate(await genuine.certificate());
    const card = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
    const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', card.publicKey));
    const notBefore = new Date('2026-01-01T00:00:00Z');
    const notAfter = new Date('2030-12-31T14:59:59Z');
    const serial = Uint8Array.from(Buffer.from(genuineCertificate.serialNumber, 'hex'));
    const commonName = genuineCertificate.subjectName.getField('CN')[0]!;

    // 1. A CA with the real JPKI auth CA's name but its own key: the user certificate looks exactly like the card's.
    const impostorKeys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
    const impostor = await buildCaCertificate({ kind: 'auth', keys: impostorKeys, serialNumber: Uint8Array.of(1), notBefore: new Date('2023-07-16T00:00:00Z'), notAfter: new Date('2033-07-15T14:59:59Z') });
    const lookalike = await buildUserAuthCertificate({ issuer: { certificate: impostor, privateKey: impostorKeys.privateKey }, subjectPublicKeyInfo: spki, serialNumber: serial, notBefore, notAfter, commonName });
    assert.equal(new x509.X509Certificate(lookalike).subject, genuineCertificate.subject, 'the same subject');
    assert.equal(new x509.X509Certificate(lookalike).issuer, genuineCertificate.issuer, 'the same issuer name');

    // 2. A self-made CA with a name of its own.
    const ownKeys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
    const ownCa = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01', name: 'C=JP, O=Example, OU=Not JPKI, CN=Self-made CA', notBefore, notAfter, keys: ownKeys,
      extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
    }, webcrypto);
    const selfMade = await buildUserAuthCertificate({ issuer: { certificate: ownCa, privateKey: ownKeys.privateKey }, subjectPublicKeyInfo: spki, serialNumber: Uint8Array.of(0x42), notBefore, notAfter, commonName });

    // 3. Self-signed, no CA at all.
    const selfSigned = await x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '07', name: `C=JP, CN=${commonName}`, notBefore, notAfter, keys: card }, webcrypto);

    for (const [what, der] of [['an impostor CA with the JPKI name', lookalike], ['a self-made CA', selfMade], ['a self-signed certificate', new Uint8Array(selfSigned.rawData)]] as const) {
      await noCharge(what, async () => {
        const session = await openSession();
        const signature = new Uint8Array(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', card.privateKey, session.challenge));
        const answer = await authenticate(session.sessionId, der, signature);
        assertProblem(answer, 422, 'ISSUANCE_CERTIFICATE_UNTRUSTED', what);
        // The session goes no further: no order without an authenticated card.
        assertProblem(await order(session.sessionId, { type: 'juminhyo', copies: 1 }), 409, /^ISSUANCE_(SESSION_STATE|CHALLENGE_USED)$/, `${what}: order afterwards`);
      });
    }
  });

  test('not a certificate, the signing certificate instead of the auth one, a signature by another key → 4xx, never a 500', async () => {
    const holder = await mitaka();
    await noCharge('bad certificates', async () => {
      let session = await openSession();
      assertProblem(await authenticate(session.sessionId, Buffer.from('not a certificate'), await holder.sign(session.challenge)), 422, 'ISSUANCE_CERTIFICATE_UNTRUSTED', 'garbage DER');

      session = await openSession();
      const client = new CardClient(inProcessTransport(await t.platform.card.openChip(holder.card.id)));
      const signCertificate = await client.readCertificate('sign', PINS.sign);
      const signedWithSignKey = await client.sign('sign', digestInfo(session.challenge), PINS.sign);
      assertProblem(await authenticate(session.sessionId, signCertificate, signedWithSignKey), 422, 'ISSUANCE_CERTIFICATE_UNTRUSTED', 'the signing certificate');

      session = await openSession();
      const other = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
      const wrongKey = new Uint8Array(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', other.privateKey, session.challenge));
      assertProblem(await authenticate(session.sessionId, await holder.certificate(), wrongKey), 422, 'ISSUANCE_SIGNATURE_INVALID', 'a signature by another key');

      session = await openSession();
      const stale = await openSession();
      assertProblem(await authenticate(session.sessionId, await holder.certificate(), await holder.sign(stale.challenge)), 422, 'ISSUANCE_SIGNATURE_INVALID', 'a signature over another session\'s challenge');

      session = await openSession();
      const notBase64 = await call('POST', `/sessions/${session.sessionId}/authentication`, { body: { certificate: '%%%', signature: '' } });
      assertProblem(notBase64, 422, 'ISSUANCE_CERTIFICATE_UNTRUSTED', 'not base64');
    });
  });

  test('a card reported lost (certificates revoked) → ISSUANCE_CARD_REVOKED; suspended → ISSUANCE_CARD_SUSPENDED', async () => {
    const lost = await mitaka();
    const suspended = await mitaka();
    await t.platform.card.reportLost(lost.card.id, { actor: { system: 'test' }, reportedBy: '本人（電話）' });
    await t.platform.card.suspend(suspended.card.id, { actor: { system: 'test' }, reportedBy: '本人（電話）' });
    await noCharge('revoked and suspended', async () => {
      for (const [what, holder, code] of [['lost', lost, 'ISSUANCE_CARD_REVOKED'], ['suspended', suspended, 'ISSUANCE_CARD_SUSPENDED']] as const) {
        const session = await openSession();
        assertProblem(await authenticate(session.sessionId, await holder.certificate(), await holder.sign(session.challenge)), 422, code, what);
      }
    });
  });

  test('a resident of a municipality that does not take part → ISSUANCE_MUNICIPALITY_NOT_PARTICIPATING; the session goes no further', async () => {
    const holder = await chiyoda();
    await noCharge('千代田区 (never configured offers)', async () => {
      const session = await openSession();
      const answer = await authenticate(session.sessionId, await holder.certificate(), await holder.sign(session.challenge));
      assertProblem(answer, 422, 'ISSUANCE_MUNICIPALITY_NOT_PARTICIPATING', 'not participating');
      assert.equal(answer.body['offers'], undefined, 'no menu');
      assertProblem(await order(session.sessionId, { type: 'juminhyo', copies: 1 }), 409, 'ISSUANCE_SESSION_STATE', 'an order anyway');
    });
  });

  test('an unknown municipality at the certificate-server API → ISSUANCE_MUNICIPALITY_NOT_PARTICIPATING; another municipality\'s offers cannot be changed', async () => {
    const token = await t.platform.issuance.centreToken();
    const base = '/issuance/municipal/v1';
    assertProblem(await call('POST', '/999999/offers', { base, apiKey: token, body: { residentCode: '12345678901', target: 'residence' } }), 422, 'ISSUANCE_MUNICIPALITY_NOT_PARTICIPATING', 'unknown municipality');
    assertProblem(await call('POST', `/${t.otherLgCode}/documents`, {
      base, apiKey: token, body: { orderId: randomUUID(), residentCode: '12345678901', type: 'juminhyo', options: {}, copies: 1 },
    }), 422, 'ISSUANCE_MUNICIPALITY_NOT_PARTICIPATING', 'documents of a municipality that does not take part');
    assertProblem(await call('PUT', `/${t.lgCode}/offers`, { base, apiKey: shibuyaKey, body: { offers: [] } }), 401, 'ISSUANCE_CENTRE_UNAUTHORISED', '渋谷区 staff changing 三鷹市');
    assertProblem(await call('POST', '/abc/offers', { base, apiKey: token, body: { residentCode: '12345678901', target: 'residence' } }), 400, 'KERNEL_REQUEST_INVALID', 'not an LG code');
    const offers = () => t.platform.database.db.selectFrom('issuance.offers').select(['type', 'fee_yen']).where('lg_code', '=', t.lgCode).orderBy('type').execute();
    const before = await offers();
    const twice = await call('PUT', `/${t.lgCode}/offers`, { base, apiKey: t.apiKey, body: { offers: [{ type: 'juminhyo', feeYen: 200 }, { type: 'juminhyo', feeYen: 300 }] } });
    assertProblem(twice, 400, 'ISSUANCE_REQUEST_INVALID', 'the same type twice');
    assert.match(String(twice.body['detail']), /住民票の写し」が2回/);
    assert.deepEqual(await offers(), before, 'the offers are unchanged');
  });

  // ── the order ─────────────────────────────────────────────────────────────────────────────────

  test('a type the municipality does not offer → ISSUANCE_TYPE_NOT_OFFERED; an unknown type → 400 naming the field', async () => {
    const configured = await call('PUT', `/${SHIBUYA.lgCode}/offers`, {
      base: '/issuance/municipal/v1', apiKey: shibuyaKey,
      body: { offers: [{ type: 'juminhyo', feeYen: 150 }, { type: 'juminhyo_kisai_jiko', feeYen: 150 }, { type: 'inkan', feeYen: 150 }] },
    });
    assert.equal(configured.status, 204, configured.raw);
    const holder = await shibuya();
    await noCharge('types not offered', async () => {
      const { sessionId, offers } = await authenticated(holder);
      assert.deepEqual(offers.map((o) => o.type), ['juminhyo', 'juminhyo_kisai_jiko', 'inkan'], 'the menu lists only what 渋谷区 offers');
      assertProblem(await order(sessionId, { type: 'tax', copies: 1 }), 422, 'ISSUANCE_TYPE_NOT_OFFERED', '所得・課税証明書 not offered');
      assertProblem(await order(sessionId, { type: 'koseki', target: 'honseki', copies: 1 }), 422, 'ISSUANCE_TYPE_NOT_OFFERED', '戸籍 without a 本籍地 registration');
      const unknown = await order(sessionId, { type: 'passport', copies: 1 });
      assertProblem(unknown, 400, 'KERNEL_REQUEST_INVALID', 'an unknown type');
      assert.ok((unknown.body['problems'] as { field: string }[]).some((p) => p.field === 'type'), `the problem names the field: ${unknown.raw}`);
      // The session is still usable: the offered type can be ordered.
      const ok = await order(sessionId, { type: 'juminhyo', copies: 1 });
      assert.equal(ok.status, 201, ok.raw);
      assert.equal(ok.body['feePerCopyYen'], 150);
    });
  });

  test('0 and 100 copies → ISSUANCE_COPIES_INVALID; 1.5 or a word → 400', async () => {
    const holder = await mitaka();
    await noCharge('copies', async () => {
      const { sessionId } = await authenticated(holder);
      for (const copies of [0, 100, -1, 11, 1e9]) {
        assertProblem(await order(sessionId, { type: 'juminhyo', copies }), 400, 'ISSUANCE_COPIES_INVALID', `${copies} copies`);
      }
      for (const copies of [1.5, 'two']) {
        assertProblem(await order(sessionId, { type: 'juminhyo', copies }), 400, 'KERNEL_REQUEST_INVALID', `copies ${JSON.stringify(copies)}`);
      }
      assertProblem(await order(sessionId, { type: 'juminhyo' }), 400, 'KERNEL_REQUEST_INVALID', 'no copies');
      const pending = await t.platform.database.db.selectFrom('issuance.orders').select('id').where('session_id', '=', sessionId).execute();
      assert.equal(pending.length, 0, 'no order recorded');
    });
  });

  // ── the session's time ────────────────────────────────────────────────────────────────────────

  test('an expired session (10 minutes) → ISSUANCE_SESSION_EXPIRED at authentication, order and payment; nothing charged', async () => {
    const holder = await mitaka();
    try {
      await noCharge('expired', async () => {
        // Authentication after the 10 minutes.
        const session = await openSession();
        assert.equal(new Date(session.expiresAt).getTime() - t.clock.now().getTime(), 10 * 60_000, 'valid 10 minutes');
        const signature = await holder.sign(session.challenge);
        t.clock.advance(10 * 60_000);
        assertProblem(await authenticate(session.sessionId, await holder.certificate(), signature), 409, 'ISSUANCE_SESSION_EXPIRED', 'authentication at 10:00');

        // An order after the 10 minutes.
        t.clock.set(NOON);
        const { sessionId } = await authenticated(holder);
        t.clock.advance(10 * 60_000 + 1);
        assertProblem(await order(sessionId, { type: 'juminhyo', copies: 1 }), 409, 'ISSUANCE_SESSION_EXPIRED', 'order');

        // The money, after the 10 minutes: refused, the order stays unpaid, no document is handed out.
        t.clock.set(NOON);
        const late = await authenticated(holder);
        const placed = await juminhyoOrder(late.sessionId, 2);
        t.clock.advance(11 * 60_000);
        assertProblem(await call('POST', `/sessions/${late.sessionId}/orders/${placed.orderId}/payment`, { body: { method: 'cash', amountYen: placed.totalYen } }), 409, 'ISSUANCE_SESSION_EXPIRED', 'payment');
        assertProblem(await call('GET', `/sessions/${late.sessionId}/orders/${placed.orderId}/documents/1`), 409, 'ISSUANCE_SESSION_EXPIRED', 'document');
        assertProblem(await call('POST', `/sessions/${late.sessionId}/orders/${placed.orderId}/print-results`, { body: { copies: [{ copy: 1, printed: true }, { copy: 2, printed: true }] } }), 409, 'ISSUANCE_SESSION_EXPIRED', 'print results of an unpaid order');
        const row = await t.platform.database.db.selectFrom('issuance.orders').select(['status', 'paid_yen']).where('id', '=', placed.orderId).executeTakeFirstOrThrow();
        assert.equal(row.status, 'ready', 'unpaid');
        // Ending it still works (the kiosk always ends its session) and drops the unpaid order's documents.
        assert.equal((await call('POST', `/sessions/${late.sessionId}/end`)).status, 204);
        const documents = await t.platform.database.db.selectFrom('issuance.pending_documents').select('copy').where('order_id', '=', placed.orderId).execute();
        assert.equal(documents.length, 0);
      });
    } finally {
      t.clock.set(NOON);
    }
  });

  test('a paid order is still printed and settled after its session expired or ended (a kiosk reconciling after a crash)', async () => {
    const holder = await mitaka();
    const before = await ledger();
    try {
      const { sessionId } = await authenticated(holder);
      const placed = await juminhyoOrder(sessionId, 2);
      const paid = await call('POST', `/sessions/${sessionId}/orders/${placed.orderId}/payment`, { body: { method: 'cash', amountYen: placed.totalYen } });
      assert.equal(paid.status, 200, paid.raw);
      t.clock.advance(11 * 60_000);
      // A kiosk that crashed while printing reconciles later (docs/issuance.md: unfinished-orders, then print-results).
      const unfinished = await call('GET', '/unfinished-orders');
      assert.ok((unfinished.body as unknown as { orderId: string }[]).some((o) => o.orderId === placed.orderId), unfinished.raw);
      const document = await call('GET', `/sessions/${sessionId}/orders/${placed.orderId}/documents/1`);
      assert.equal(document.status, 200, `the paid copy can still be printed: ${document.raw.slice(0, 300)}`);
      assert.equal((await call('POST', `/sessions/${sessionId}/end`)).status, 204);
      assertProblem(await order(sessionId, { type: 'juminhyo', copies: 1 }), 409, 'ISSUANCE_SESSION_STATE', 'a new order in the ended session');
      const receipt = await call('POST', `/sessions/${sessionId}/orders/${placed.orderId}/print-results`, { body: { copies: [{ copy: 1, printed: true }, { copy: 2, printed: false, error: '用紙切れ' }] } });
      assert.equal(receipt.status, 200, receipt.raw);
      assert.equal(receipt.body['refundedYen'], placed.totalYen / 2);
    } finally {
      t.clock.set(NOON);
    }
    const now = await ledger();
    assert.equal(now.settlementRows - before.settlementRows, 1, 'the printed copy is settled');
    assert.equal(now.refunds - before.refunds, 1, 'the failed copy is refunded');
  });

  // ── payment, documents and print results of another session ────────────────────────────────────

  test('payment, documents and print results with another session\'s order id, or from another kiosk → not found; nothing charged', async () => {
    const a = await mitaka();
    const b = await mitaka();
    const sessionA = await authenticated(a);
    const orderA = await juminhyoOrder(sessionA.sessionId);
    const sessionB = await authenticated(b);
    const orderB = await juminhyoOrder(sessionB.sessionId);
    const pay = (sessionId: string, orderId: string, kiosk = credential) => call('POST', `/sessions/${sessionId}/orders/${orderId}/payment`, { body: { method: 'cash', amountYen: 1000 }, credential: kiosk });
    const documentOf = (sessionId: string, orderId: string, kiosk = credential) => call('GET', `/sessions/${sessionId}/orders/${orderId}/documents/1`, { credential: kiosk });
    const report = (sessionId: string, orderId: string, kiosk = credential) => call('POST', `/sessions/${sessionId}/orders/${orderId}/print-results`, { body: { copies: [{ copy: 1, printed: true }] }, credential: kiosk });

    await noCharge('another session\'s order', async () => {
      // Session A's order under session B (same kiosk).
      assertProblem(await pay(sessionB.sessionId, orderA.orderId), 404, 'ISSUANCE_ORDER_NOT_FOUND', 'payment under session B');
      assertProblem(await documentOf(sessionB.sessionId, orderA.orderId), 404, 'ISSUANCE_ORDER_NOT_FOUND', 'document under session B');
      assertProblem(await report(sessionB.sessionId, orderA.orderId), 404, 'ISSUANCE_ORDER_NOT_FOUND', 'print results under session B');
      // Session A and its order from another kiosk's credential.
      assertProblem(await pay(sessionA.sessionId, orderA.orderId, otherKioskCredential), 404, 'ISSUANCE_SESSION_NOT_FOUND', 'payment from another kiosk');
      assertProblem(await documentOf(sessionA.sessionId, orderA.orderId, otherKioskCredential), 404, 'ISSUANCE_SESSION_NOT_FOUND', 'document from another kiosk');
      assertProblem(await report(sessionA.sessionId, orderA.orderId, otherKioskCredential), 404, 'ISSUANCE_SESSION_NOT_FOUND', 'print results from another kiosk');
      // The other kiosk's own session with session A's order id.
      const otherSession = await openSession(otherKioskCredential);
      assertProblem(await pay(otherSession.sessionId, orderA.orderId, otherKioskCredential), 404, 'ISSUANCE_ORDER_NOT_FOUND', 'payment in a session of the other kiosk');
      assertProblem(await report(otherSession.sessionId, orderA.orderId, otherKioskCredential), 404, 'ISSUANCE_ORDER_NOT_FOUND', 'print results in a session of the other kiosk');
      // Made-up and malformed ids; no credential; an unknown credential.
      assertProblem(await pay(sessionA.sessionId, randomUUID()), 404, 'ISSUANCE_ORDER_NOT_FOUND', 'a made-up order id');
      assertProblem(await pay(sessionA.sessionId, 'not-a-uuid'), 404, 'ISSUANCE_ORDER_NOT_FOUND', 'a malformed order id');
      assertProblem(await pay(randomUUID(), orderA.orderId), 404, 'ISSUANCE_SESSION_NOT_FOUND', 'a made-up session id');
      assertProblem(await pay('x'.repeat(64), orderA.orderId), 404, 'ISSUANCE_SESSION_NOT_FOUND', 'a malformed session id');
      assertProblem(await call('POST', `/sessions/${sessionA.sessionId}/orders/${orderA.orderId}/payment`, { body: { method: 'cash', amountYen: 1000 }, credential: null }), 401, 'ISSUANCE_KIOSK_UNKNOWN', 'no credential');
      assertProblem(await pay(sessionA.sessionId, orderA.orderId, 'kio_unknown'), 401, 'ISSUANCE_KIOSK_UNKNOWN', 'an unknown credential');
      // Session B's own order cannot be paid with session A's id either.
      assertProblem(await pay(sessionA.sessionId, orderB.orderId), 404, 'ISSUANCE_ORDER_NOT_FOUND', 'B\'s order under session A');
    });
    // Each session can still pay its own order afterwards.
    assert.equal((await pay(sessionA.sessionId, orderA.orderId)).status, 200);
    assert.equal((await pay(sessionB.sessionId, orderB.orderId)).status, 200);
  });

  test('underpayment → ISSUANCE_PAYMENT_INSUFFICIENT with the shortfall; a bad amount or method → 400; documents stay locked', async () => {
    const holder = await mitaka();
    const { sessionId } = await authenticated(holder);
    const placed = await juminhyoOrder(sessionId, 2);
    assert.equal(placed.totalYen, 400);
    const pay = (body: unknown) => call('POST', `/sessions/${sessionId}/orders/${placed.orderId}/payment`, { body });
    await noCharge('underpayment', async () => {
      const short = await pay({ method: 'cash', amountYen: 399 });
      assertProblem(short, 422, 'ISSUANCE_PAYMENT_INSUFFICIENT', '399 of 400 yen');
      assert.match(String(short.body['detail']), /400円に1円足りません/);
      assertProblem(await pay({ method: 'cash', amountYen: 0 }), 422, 'ISSUANCE_PAYMENT_INSUFFICIENT', '0 yen');
      assertProblem(await pay({ method: 'cash', amountYen: -500 }), 400, 'ISSUANCE_REQUEST_INVALID', 'a negative amount');
      assertProblem(await pay({ method: 'cash', amountYen: 400.5 }), 400, 'KERNEL_REQUEST_INVALID', 'a fraction of a yen');
      assertProblem(await pay({ method: 'card', amountYen: 400 }), 400, 'KERNEL_REQUEST_INVALID', 'another method');
      assertProblem(await call('GET', `/sessions/${sessionId}/orders/${placed.orderId}/documents/1`), 409, 'ISSUANCE_NOT_PAID', 'a document before payment');
      assertProblem(await call('POST', `/sessions/${sessionId}/orders/${placed.orderId}/print-results`, { body: { copies: [{ copy: 1, printed: true }] } }), 409, 'ISSUANCE_NOT_PAID', 'print results before payment');
    });
    const paid = await pay({ method: 'cash', amountYen: 1000 });
    assert.equal(paid.status, 200, paid.raw);
    assert.deepEqual(paid.body, { paidYen: 1000, changeYen: 600 });
  });

  test('the server logged no failed request (no 5xx) for any of the above', () => {
    const failed = t.logLines.filter((line) => /"msg":"request failed"/.test(line) || /"level":(50|60)/.test(line));
    assert.deepEqual(failed, []);
  });
});
