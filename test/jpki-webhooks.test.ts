// Revocation push end to end: a status change enqueues signed webhooks that a real local HTTP receiver gets, with retries, order and abandonment.
import 'reflect-metadata';
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import { base64url, compactVerify, createLocalJWKSet, type JWK } from 'jose';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { cardKeyPair, newResident } from './support/jpki-fixtures.ts';
import { certificateRequestFor } from '../src/modules/card/index.ts';
import {
  createJpki, createSealedKeyStore, createWebhookDispatcher, enqueueStatusWebhooks, verifyWebhookSignature, webhookPublicJwks,
  webhookRetryDelayMs, WEBHOOK_MAX_ATTEMPTS, type CertificateRecord, type JpkiDeps, type JpkiService, type WebhookDispatcher, type WebhookPayload,
} from '../src/modules/jpki/index.ts';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;

describe('JPKI revocation webhooks', () => {
  let t: TestPlatform;
  let deps: JpkiDeps;
  let jpki: JpkiService;
  let dispatcher: WebhookDispatcher;
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  /** Statuses to answer per path, one per request; 204 once the list is empty. */
  const answers = new Map<string, number[]>();
  const alwaysFailing = new Set<string>();

  before(async () => {
    t = await createTestPlatform();
    // TODO(wiring): once createJpki registers the listener itself, use t.platform.jpki and the platform's dispatcher.
    deps = {
      database: t.platform.database, clock: t.clock, audit: t.platform.audit, logger: t.platform.logger,
      keyStore: createSealedKeyStore(t.platform.database.db, t.clock, randomBytes(32)),
      settings: { crlIntervalMinutes: t.platform.config.jpkiCrlIntervalMinutes, prices: t.platform.config.jpkiPrices },
      statusChangeListeners: [enqueueStatusWebhooks],
    };
    jpki = createJpki(deps);
    await jpki.initCertificateAuthorities();
    dispatcher = createWebhookDispatcher(deps, { timeoutMs: 2000 });
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const path = request.url ?? '';
        received.push({ path, headers: request.headers, body: Buffer.concat(chunks) });
        response.statusCode = alwaysFailing.has(path) ? 500 : answers.get(path)?.shift() ?? 204;
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });

  after(async () => {
    await dispatcher.stop();
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
    await t.close();
  });

  const inbox = (path: string) => received.filter((r) => r.path === path);
  const payloadOf = (r: Received) => JSON.parse(r.body.toString('utf8')) as WebhookPayload;

  /** Until the verifier registration use case is wired in: rows as it would write them. */
  async function addVerifier(options: { path?: string | null; url?: string; active?: boolean } = {}): Promise<string> {
    const id = randomUUID();
    const url = options.url ?? (options.path === null ? null : `${receiverUrl}${options.path ?? `/hooks/${id}`}`);
    await t.platform.database.db.insertInto('jpki.verifiers').values({
      id, name: `検証者 ${id.slice(0, 8)}`, kind: 'signature', credential_hash: randomBytes(32), user_id_salt: randomBytes(32),
      webhook_url: url, active: options.active ?? true, created_at: t.clock.now(),
    }).execute();
    return id;
  }

  async function storeCertificate(verifierId: string, certificateId: string, subscribed = true): Promise<string> {
    const id = randomUUID();
    await t.platform.database.db.insertInto('jpki.stored_certificates').values({
      id, verifier_id: verifierId, certificate_id: certificateId, subscribed, stored_at: t.clock.now(),
    }).execute();
    return id;
  }

  async function issueAuth(): Promise<CertificateRecord> {
    const resident = await newResident(t);
    const { spki } = await cardKeyPair();
    const municipality = await t.registry.getMunicipality(resident.lgCode);
    return jpki.issueCertificate(certificateRequestFor(municipality, resident, 'auth', spki, { actor: '三鷹市 市民課' }));
  }

  async function deliveriesOf(storedCertificateId: string) {
    return t.platform.database.db.selectFrom('jpki.webhook_deliveries').selectAll()
      .where('stored_certificate_id', '=', storedCertificateId).orderBy('created_at').execute();
  }

  test('a revocation sends exactly one webhook, signed by a key of the JWKS, naming the verifier\'s own certificate ID', async () => {
    const verifierId = await addVerifier({ path: '/hooks/revoked' });
    const certificate = await issueAuth();
    const storedId = await storeCertificate(verifierId, certificate.id);
    await jpki.revokeCertificate({ id: certificate.id }, 'keyCompromise', '三鷹市 市民課（紛失）');

    assert.deepEqual(await dispatcher.deliverDue(), { delivered: 1, failed: 0 });
    const [request] = inbox('/hooks/revoked');
    assert.ok(request);
    assert.equal(inbox('/hooks/revoked').length, 1);
    assert.equal(request.headers['content-type'], 'application/json');

    const payload = payloadOf(request);
    assert.deepEqual(payload, {
      type: 'certificate.revoked', deliveryId: payload.deliveryId, certificateId: storedId, serialHex: certificate.serialHex,
      kind: 'auth', status: 'revoked', reason: 'keyCompromise', sequence: 1, occurredAt: t.clock.now().toISOString(),
    });
    assert.notEqual(payload.certificateId, certificate.id, 'JPKI\'s internal id never leaves');
    assert.doesNotMatch(request.body.toString('utf8'), new RegExp(certificate.id));
    assert.equal(request.headers['x-jpki-delivery'], payload.deliveryId);
    const [row] = await deliveriesOf(storedId);
    assert.equal(row?.id, payload.deliveryId);
    assert.ok(row?.delivered_at);
    assert.equal(row?.attempts, 1);

    // The JWKS as a verifier would fetch it, checked with jose directly (RFC 7515 Appendix F: put the body back).
    const jwks = JSON.parse(JSON.stringify(await webhookPublicJwks(deps))) as { keys: JWK[] };
    assert.equal(jwks.keys.length, 1);
    assert.deepEqual(Object.keys(jwks.keys[0]!).sort(), ['alg', 'e', 'kid', 'kty', 'n', 'use']);
    assert.equal(jwks.keys[0]!.alg, 'RS256');
    assert.equal(jwks.keys[0]!.use, 'sig');
    const signature = String(request.headers['x-jpki-signature']);
    const [header, detached, sig] = signature.split('.');
    assert.equal(detached, '', 'the payload is detached');
    const verified = await compactVerify(`${header}.${base64url.encode(request.body)}.${sig}`, createLocalJWKSet(jwks), { algorithms: ['RS256'] });
    assert.equal(verified.protectedHeader.kid, jwks.keys[0]!.kid);
    assert.equal(verified.protectedHeader.alg, 'RS256');

    assert.equal(await verifyWebhookSignature(request.body, signature, jwks), true);
    assert.deepEqual(await dispatcher.deliverDue(), { delivered: 0, failed: 0 }, 'nothing is sent twice');
    assert.equal(inbox('/hooks/revoked').length, 1);
    assert.ok(!t.logLines.some((line) => line.includes(certificate.serialHex) || line.includes(storedId)), 'logs carry ids only, not payload contents');
  });

  test('a tampered body, another key, a broken or missing header all fail verifyWebhookSignature', async () => {
    const request = inbox('/hooks/revoked')[0]!;
    const jwks = await webhookPublicJwks(deps);
    const signature = String(request.headers['x-jpki-signature']);
    const tampered = Buffer.from(request.body.toString('utf8').replace('"keyCompromise"', '"superseded"'));
    assert.notDeepEqual(tampered, request.body);
    assert.equal(await verifyWebhookSignature(tampered, signature, jwks), false);
    const appended = Buffer.concat([request.body, Buffer.from(' ')]);
    assert.equal(await verifyWebhookSignature(appended, signature, jwks), false);
    const otherKey = await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
    const otherJwk = { ...await crypto.subtle.exportKey('jwk', otherKey.publicKey), kid: jwks.keys[0]!.kid } as JWK;
    assert.equal(await verifyWebhookSignature(request.body, signature, { keys: [otherJwk] }), false);
    const [header, , sig] = signature.split('.');
    assert.equal(await verifyWebhookSignature(request.body, `${header}.${base64url.encode(request.body)}.${sig}`, jwks), false, 'only the detached form is accepted');
    assert.equal(await verifyWebhookSignature(request.body, 'garbage', jwks), false);
    assert.equal(await verifyWebhookSignature(request.body, undefined, jwks), false);
    await assert.rejects(verifyWebhookSignature(request.body.toString() as never, signature, jwks), TypeError);
    await assert.rejects(verifyWebhookSignature(request.body, signature, {} as never), TypeError);
  });

  test('a receiver answering 500 gets the same delivery again after the backoff, and only once the clock has moved', async () => {
    const path = '/hooks/flaky';
    answers.set(path, [500, 500]);
    const verifierId = await addVerifier({ path });
    const certificate = await issueAuth();
    const storedId = await storeCertificate(verifierId, certificate.id);
    await jpki.holdCertificate({ id: certificate.id }, '24時間コールセンター');

    assert.deepEqual(await dispatcher.deliverDue(), { delivered: 0, failed: 1 });
    assert.deepEqual(await dispatcher.deliverDue(), { delivered: 0, failed: 0 }, 'not again before the backoff');
    t.clock.advance(23 * SECOND); // the first retry waits 24–30 s
    assert.deepEqual(await dispatcher.deliverDue(), { delivered: 0, failed: 0 });
    t.clock.advance(7 * SECOND);
    assert.deepEqual(await dispatcher.deliverDue(), { delivered: 0, failed: 1 });
    const [failing] = await deliveriesOf(storedId);
    assert.equal(failing?.attempts, 2);
    assert.equal(failing?.last_error, 'HTTP 500');
    assert.equal(failing?.delivered_at, null);
    t.clock.advance(47 * SECOND); // the second retry waits 48–60 s
    assert.deepEqual(await dispatcher.deliverDue(), { delivered: 0, failed: 0 });
    t.clock.advance(13 * SECOND);
    assert.deepEqual(await dispatcher.deliverDue(), { delivered: 1, failed: 0 });

    const requests = inbox(path);
    assert.equal(requests.length, 3);
    assert.equal(new Set(requests.map((r) => r.headers['x-jpki-delivery'])).size, 1, 'one delivery ID across retries');
    assert.equal(new Set(requests.map((r) => r.body.toString('base64'))).size, 1, 'the same body every time');
    assert.equal(payloadOf(requests[0]!).type, 'certificate.held');
    assert.equal(payloadOf(requests[0]!).reason, 'certificateHold');
    const [done] = await deliveriesOf(storedId);
    assert.equal(done?.attempts, 3);
    assert.equal(done?.last_error, null);
    assert.ok(done?.delivered_at);
  });

  test('a refused connection is recorded and retried; nothing is lost until the receiver is reachable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/hooks/down`;
    await new Promise((resolve) => closed.close(resolve));
    const verifierId = await addVerifier({ url: deadUrl });
    const certificate = await issueAuth();
    const storedId = await storeCertificate(verifierId, certificate.id);
    await jpki.revokeCertificate({ id: certificate.id }, 'cessationOfOperation', '住基ネット');

    assert.deepEqual(await dispatcher.deliverDue(), { delivered: 0, failed: 1 });
    const [failed] = await deliveriesOf(storedId);
    assert.equal(failed?.last_error, 'network error ECONNREFUSED');
    // The verifier's endpoint comes back (here: at another address).
    await t.platform.database.db.updateTable('jpki.verifiers').set({ webhook_url: `${receiverUrl}/hooks/back` }).where('id', '=', verifierId).execute();
    t.clock.advance(30 * SECOND);
    assert.deepEqual(await dispatcher.deliverDue(), { delivered: 1, failed: 0 });
    const [request] = inbox('/hooks/back');
    assert.equal(request?.headers['x-jpki-delivery'], failed?.id, 'the delivery ID of the failed attempt');
    assert.equal(payloadOf(request!).certificateId, storedId);
  });

  test('unsubscribed certificates, other verifiers\' certificates, inactive verifiers and verifiers without a URL get nothing', async () => {
    const certificate = await issueAuth();
    const other = await issueAuth();
    const subscribedToOther = await addVerifier({ path: '/hooks/other' });
    await storeCertificate(subscribedToOther, other.id);
    const unsubscribed = await addVerifier({ path: '/hooks/unsubscribed' });
    await storeCertificate(unsubscribed, certificate.id, false);
    const inactive = await addVerifier({ path: '/hooks/inactive', active: false });
    await storeCertificate(inactive, certificate.id);
    const withoutUrl = await addVerifier({ path: null });
    await storeCertificate(withoutUrl, certificate.id);
    const subscriber = await addVerifier({ path: '/hooks/subscriber' });
    const subscriberStoredId = await storeCertificate(subscriber, certificate.id);

    await jpki.revokeCertificate({ id: certificate.id }, 'keyCompromise', '三鷹市 市民課');
    const rows = await t.platform.database.db.selectFrom('jpki.webhook_deliveries as d')
      .innerJoin('jpki.stored_certificates as s', 's.id', 'd.stored_certificate_id').select(['d.verifier_id', 'd.stored_certificate_id'])
      .where('s.certificate_id', 'in', [certificate.id, other.id]).execute();
    assert.deepEqual(rows, [{ verifier_id: subscriber, stored_certificate_id: subscriberStoredId }]);
    assert.deepEqual(await dispatcher.deliverDue(), { delivered: 1, failed: 0 });
    for (const path of ['/hooks/other', '/hooks/unsubscribed', '/hooks/inactive']) assert.equal(inbox(path).length, 0, path);
    assert.equal(inbox('/hooks/subscriber').length, 1);
  });

  test('hold then release arrive as two deliveries in order; the release waits while the hold is failing', async () => {
    const path = '/hooks/ordered';
    answers.set(path, [500, 500]);
    const verifierId = await addVerifier({ path });
    const certificate = await issueAuth();
    const storedId = await storeCertificate(verifierId, certificate.id);
    await jpki.holdCertificate({ id: certificate.id }, '24時間コールセンター');
    await jpki.releaseHold({ id: certificate.id }, '三鷹市 市民課（発見）');

    assert.deepEqual(await dispatcher.deliverDue(), { delivered: 0, failed: 1 });
    t.clock.advance(30 * SECOND);
    assert.deepEqual(await dispatcher.deliverDue(), { delivered: 0, failed: 1 }, 'the hold fails again; its next try is 48–60 s away');
    t.clock.advance(30 * SECOND);
    assert.deepEqual(await dispatcher.deliverDue(), { delivered: 0, failed: 0 }, 'the release is due but waits for the hold');
    assert.equal(inbox(path).length, 2);
    t.clock.advance(30 * SECOND);
    assert.deepEqual(await dispatcher.deliverDue(), { delivered: 2, failed: 0 });

    const payloads = inbox(path).map(payloadOf);
    assert.deepEqual(payloads.map((p) => [p.type, p.status, p.reason, p.sequence]), [
      ['certificate.held', 'hold', 'certificateHold', 1],
      ['certificate.held', 'hold', 'certificateHold', 1],
      ['certificate.held', 'hold', 'certificateHold', 1],
      ['certificate.released', 'good', null, 2],
    ]);
    assert.notEqual(payloads[0]!.deliveryId, payloads[3]!.deliveryId);
    assert.ok(payloads.every((p) => p.certificateId === storedId));
    assert.equal((await deliveriesOf(storedId)).length, 2);
  });

  test(`after ${WEBHOOK_MAX_ATTEMPTS} failed attempts a delivery is abandoned, kept visible, and never sent again`, async () => {
    const path = '/hooks/gone';
    alwaysFailing.add(path);
    const verifierId = await addVerifier({ path });
    const certificate = await issueAuth();
    const storedId = await storeCertificate(verifierId, certificate.id);
    await jpki.revokeCertificate({ id: certificate.id }, 'keyCompromise', '三鷹市 市民課');

    for (let attempt = 1; attempt <= WEBHOOK_MAX_ATTEMPTS; attempt += 1) {
      assert.deepEqual(await dispatcher.deliverDue(), { delivered: 0, failed: 1 }, `attempt ${attempt}`);
      t.clock.advance(6 * HOUR);
    }
    const [abandoned] = await deliveriesOf(storedId);
    assert.equal(abandoned?.attempts, WEBHOOK_MAX_ATTEMPTS);
    assert.equal(abandoned?.delivered_at, null);
    assert.equal(abandoned?.last_error, `abandoned after ${WEBHOOK_MAX_ATTEMPTS} attempts: HTTP 500`);
    t.clock.advance(7 * 24 * HOUR);
    assert.deepEqual(await dispatcher.deliverDue(), { delivered: 0, failed: 0 });
    assert.equal(inbox(path).length, WEBHOOK_MAX_ATTEMPTS);
    assert.ok(t.logLines.some((line) => line.includes('jpki webhook abandoned') && line.includes(abandoned!.id)));
  });

  test('two dispatchers running at once send each delivery once', async () => {
    const paths: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const path = `/hooks/parallel-${i}`;
      paths.push(path);
      const certificate = await issueAuth();
      await storeCertificate(await addVerifier({ path }), certificate.id);
      await jpki.revokeCertificate({ id: certificate.id }, 'keyCompromise', '三鷹市 市民課');
    }
    const second = createWebhookDispatcher(deps, { batch: 2 });
    const results = await Promise.all([createWebhookDispatcher(deps, { batch: 2 }).deliverDue(), second.deliverDue()]);
    assert.equal(results.reduce((sum, r) => sum + r.delivered, 0), 5);
    assert.deepEqual(paths.map((path) => inbox(path).length), [1, 1, 1, 1, 1]);
  });

  test('the retry delay doubles from 30 s up to 6 h, with up to 20 % jitter', () => {
    assert.deepEqual([1, 2, 3, 10, 11, 19].map((n) => webhookRetryDelayMs(n, () => 0)), [30, 60, 120, 15360, 21600, 21600].map((s) => s * SECOND));
    assert.equal(webhookRetryDelayMs(1, () => 1), 24 * SECOND);
    assert.throws(() => webhookRetryDelayMs(0), TypeError);
  });

  test('the background timer delivers what is due, and stop waits for it', async () => {
    const verifierId = await addVerifier({ path: '/hooks/timer' });
    const certificate = await issueAuth();
    await storeCertificate(verifierId, certificate.id);
    await jpki.revokeCertificate({ id: certificate.id }, 'keyCompromise', '三鷹市 市民課');
    dispatcher.start(10);
    for (let i = 0; i < 200 && inbox('/hooks/timer').length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
    await dispatcher.stop();
    assert.equal(inbox('/hooks/timer').length, 1);
  });
});
