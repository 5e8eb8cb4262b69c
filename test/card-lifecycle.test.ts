// The card lifecycle through the card service: application channels, production, hand-over, the hotline, endings, 券面記載事項変更.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { verify, X509Certificate } from 'node:crypto';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { newResident } from './support/jpki-fixtures.ts';
import { relayResidentChanges } from '../src/platform/resident-change-relay.ts';
import { CardClient, digestInfo, inProcessTransport, syntheticPortrait, type CardPins } from '../src/modules/card/index.ts';

const PINS: CardPins = { auth: '1234', sign: 'MITAKA2026', kenhojo: '5678', juki: '9012' };
const identityCheck = { documents: ['運転免許証'], checkedBy: '三鷹 窓口一郎' };
const photo = () => ({ bytes: syntheticPortrait('test'), type: 'image/jpeg' as const });

describe('card lifecycle', () => {
  let t: TestPlatform;
  before(async () => {
    t = await createTestPlatform();
    await t.platform.jpki.initCertificateAuthorities();
  });
  after(() => t.close());

  async function issuedCard(person = {}) {
    const resident = await newResident(t, person);
    const application = await t.platform.card.apply(t.staff, { residentId: resident.id, channel: 'online', photo: photo() });
    const produced = await t.platform.card.produce(application.id);
    const card = await t.platform.card.handOver(t.staff, produced.id, { identityCheck, pins: PINS });
    return { resident, card, client: new CardClient(inProcessTransport(await t.platform.card.openChip(card.id))) };
  }

  test('online application → production → hand-over: the chip holds the issued certificates and the resident data', async () => {
    const { resident, card, client } = await issuedCard();
    assert.equal(card.status, 'active');
    assert.equal(card.expiresOn, '2036-06-15', '10th birthday after the issue date 2026-11-24');
    assert.match(card.serial, /^MN\d{11}$/);
    const authDer = await client.readCertificate('auth');
    const auth = await t.platform.jpki.getCertificate({ id: card.authCertificateId! });
    assert.deepEqual(Buffer.from(authDer), Buffer.from(auth.der));
    const signDer = await client.readCertificate('sign', PINS.sign);
    assert.equal(new X509Certificate(signDer).subject.includes('Mitaka-shi'), true);
    assert.equal(new X509Certificate(authDer).checkIssued(new X509Certificate(await client.readCertificate('auth-ca'))), true);
    assert.equal(await client.tokenLabel(), 'JPKIAPICCTOKEN2');
    assert.equal(await client.readIndividualNumber(PINS.kenhojo), resident.individualNumber);
    assert.deepEqual(await client.readAttributes(PINS.kenhojo), {
      name: `${resident.familyName}　${resident.givenName}`, address: resident.address, birthDate: '1985-06-15', sexCode: '1',
    });
    // The certificate's key is the chip's: a signature made by the card verifies with it.
    const message = Buffer.from('ログイン要求 nonce=42');
    const signature = await client.sign('auth', digestInfo(message), PINS.auth);
    assert.ok(verify('sha256', message, new X509Certificate(authDer).publicKey, signature));
    const face = await client.readCardFace(resident.individualNumber);
    assert.equal(face.expiresOn, card.expiresOn);
    assert.equal(face.photo[0], 0xff, 'JPEG photo');
    assert.ok(face.myNumberImage && face.myNumberImage[1] === 0x50, 'PNG number image with 照合番号A');
    assert.deepEqual(await client.pinStatus(), { auth: 3, sign: 5, kenhojo: 3, juki: 3, collationA: 10, collationB: 10 });
  });

  test('wrong PINs count down and persist across chip sessions; a blocked PIN stays blocked', async () => {
    const { card, client } = await issuedCard();
    await assert.rejects(client.sign('auth', digestInfo(Buffer.from('x')), '0000'), { code: 'CARD_PIN_INCORRECT' });
    await assert.rejects(client.sign('auth', digestInfo(Buffer.from('x')), '0000'), { code: 'CARD_PIN_INCORRECT' });
    const stored = await t.platform.database.db.selectFrom('card.chips').select('image').where('card_id', '=', card.id).executeTakeFirstOrThrow();
    const image = (typeof stored.image === 'string' ? JSON.parse(stored.image) : stored.image) as { applications: { name: string; files: { fid: number; triesLeft?: number }[] }[] };
    assert.equal(image.applications.find((a) => a.name === 'jpki')!.files.find((f) => f.fid === 0x18)!.triesLeft, 1, 'the counter is saved');
    await assert.rejects(client.sign('auth', digestInfo(Buffer.from('x')), '0000'), { code: 'CARD_PIN_BLOCKED' });
    await assert.rejects(client.sign('auth', digestInfo(Buffer.from('x')), PINS.auth), { code: 'CARD_PIN_BLOCKED' });
    assert.equal((await client.pinStatus()).auth, 0);
  });

  test('no signing certificate and no signing PIN under 15', async () => {
    const resident = await newResident(t, { birthDate: '2015-01-10', familyName: '鷹野', givenName: '次郎' });
    const application = await t.platform.card.apply(t.staff, { residentId: resident.id, channel: 'mail', photo: photo() });
    const produced = await t.platform.card.produce(application.id);
    assert.equal(produced.signCertificateId, null);
    assert.equal(produced.expiresOn, '2031-01-10', 'minors: 5th birthday after the issue date');
    await assert.rejects(t.platform.card.handOver(t.staff, produced.id, { identityCheck, pins: PINS }), { code: 'CARD_PIN_FORMAT' });
    const { sign: _unused, ...withoutSign } = PINS;
    const card = await t.platform.card.handOver(t.staff, produced.id, { identityCheck, pins: withoutSign });
    const client = new CardClient(inProcessTransport(await t.platform.card.openChip(card.id)));
    await assert.rejects(client.readCertificate('sign', 'ABCDEF'), { code: 'CARD_PIN_NOT_SET' });
  });

  test('申請時来庁方式: PINs set at the visit, the card comes out of production active', async () => {
    const resident = await newResident(t);
    await assert.rejects(t.platform.card.apply(t.staff, { residentId: resident.id, channel: 'visit_at_application', photo: photo(), pins: PINS }), { code: 'CARD_APPLICATION_INVALID' });
    const application = await t.platform.card.apply(t.staff, { residentId: resident.id, channel: 'visit_at_application', photo: photo(), pins: PINS, identityCheck });
    const card = await t.platform.card.produce(application.id);
    assert.equal(card.status, 'active');
    const again = await t.platform.card.produce(application.id);
    assert.equal(again.id, card.id, 'production is idempotent');
    const client = new CardClient(inProcessTransport(await t.platform.card.openChip(card.id)));
    assert.equal((await client.sign('auth', digestInfo(Buffer.from('x')), PINS.auth)).length, 256);
    const row = await t.platform.database.db.selectFrom('card.applications').select(['pins_sealed', 'status']).where('id', '=', application.id).executeTakeFirstOrThrow();
    assert.equal(row.pins_sealed, null, 'the sealed PINs are erased once on the chip');
    assert.equal(row.status, 'completed');
  });

  test('企業一括申請 is all or nothing; one open application per person', async () => {
    const a = await newResident(t);
    const b = await newResident(t);
    const moved = await newResident(t);
    await t.registry.recordMoveOut(t.staff, moved.id, { destination: '大阪府大阪市', plannedOn: '2026-12-01' });
    await assert.rejects(t.platform.card.applyBatch(t.staff, { employer: { name: '株式会社三鷹製作所' }, applications: [
      { residentId: a.id, photo: photo(), identityCheck }, { residentId: moved.id, photo: photo(), identityCheck },
    ] }), { code: 'CARD_RESIDENT_NOT_ELIGIBLE' });
    assert.equal((await t.platform.card.listApplications(t.lgCode)).filter((x) => x.residentCode === a.residentCode).length, 0, 'rolled back');
    const batch = await t.platform.card.applyBatch(t.staff, { employer: { name: '株式会社三鷹製作所' }, place: '本社会議室', applications: [
      { residentId: a.id, photo: photo(), identityCheck }, { residentId: b.id, photo: photo(), identityCheck },
    ] });
    assert.deepEqual(batch.map((x) => [x.channel, x.employer?.name]), [['employer_batch', '株式会社三鷹製作所'], ['employer_batch', '株式会社三鷹製作所']]);
    await assert.rejects(t.platform.card.apply(t.staff, { residentId: a.id, channel: 'mail', photo: photo() }), { code: 'CARD_APPLICATION_PENDING' });
  });

  test('hotline: suspend puts both certificates on hold, resume releases them; loss revokes and allows a new card', async () => {
    const { resident, card } = await issuedCard();
    const actor = { system: 'J-LIS 一時停止コールセンター' };
    const suspended = await t.platform.card.suspend(card.id, { actor, reportedBy: '本人（電話）' });
    assert.equal(suspended.status, 'suspended');
    assert.equal((await t.platform.jpki.getCertificate({ id: card.authCertificateId! })).status, 'hold');
    assert.equal((await t.platform.card.suspend(card.id, { actor, reportedBy: '本人（電話）' })).status, 'suspended', 'idempotent');
    assert.equal((await t.platform.card.resume(card.id, { actor, reportedBy: '本人（電話）' })).status, 'active');
    assert.equal((await t.platform.jpki.getCertificate({ id: card.signCertificateId! })).status, 'good');
    await assert.rejects(t.platform.card.apply(t.staff, { residentId: resident.id, channel: 'mail', photo: photo() }), { code: 'CARD_ALREADY_HELD' });
    const lost = await t.platform.card.reportLost(card.id, { actor, reportedBy: '本人（電話）' });
    assert.deepEqual([lost.status, lost.invalidReason], ['invalid', 'lost']);
    const auth = await t.platform.jpki.getCertificate({ id: card.authCertificateId! });
    assert.deepEqual([auth.status, auth.revocationReason], ['revoked', 'keyCompromise']);
    await assert.rejects(t.platform.card.resume(card.id, { actor, reportedBy: 'x' }), { code: 'CARD_STATE_CONFLICT' });
    const next = await t.platform.card.apply(t.staff, { residentId: resident.id, channel: 'mail', photo: photo(), renewalOf: card.id });
    assert.equal(next.status, 'received');
    await assert.rejects(t.platform.card.suspend('00000000-0000-4000-8000-000000000000', { actor, reportedBy: 'x' }), { code: 'CARD_NOT_FOUND' });
    const history = await t.platform.card.cardHistory(card.id);
    assert.deepEqual(history.map((e) => e.kind), ['card.produced', 'card.handed_over', 'card.suspended', 'card.resumed', 'card.invalidated']);
  });

  test('death (registry notice) ends the card; 国外転出 at the counter too', async () => {
    const { resident, card } = await issuedCard();
    await t.registry.recordDeath(t.staff, resident.id, { diedOn: '2026-11-20' });
    await relayResidentChanges(t.registry, t.platform.jpki, t.platform.card);
    const ended = await t.platform.card.getCard(card.id);
    assert.deepEqual([ended.status, ended.invalidReason], ['invalid', 'deceased']);
    assert.equal((await t.platform.jpki.getCertificate({ id: card.authCertificateId! })).status, 'revoked');
    const abroad = await issuedCard();
    const moved = await t.platform.card.invalidate(abroad.card.id, { actor: { staff: t.staff }, reason: 'moved_abroad' });
    assert.deepEqual([moved.status, moved.invalidReason], ['invalid', 'moved_abroad']);
    await assert.rejects(t.platform.card.apply(t.staff, { residentId: resident.id, channel: 'mail', photo: photo() }), { code: 'CARD_RESIDENT_NOT_ELIGIBLE' });
  });

  test('a name change marks the card; the counter rewrites the chip and reissues the signing certificate', async () => {
    const { resident, card, client } = await issuedCard();
    await t.registry.changeName(t.staff, resident.id, { familyName: '三鷹', givenName: resident.givenName, familyNameKana: 'ミタカ', givenNameKana: resident.givenNameKana, occurredOn: '2026-11-23', reason: '婚姻' });
    await relayResidentChanges(t.registry, t.platform.jpki, t.platform.card);
    assert.equal((await t.platform.card.getCard(card.id)).attributesOutdated, true);
    assert.equal((await t.platform.jpki.getCertificate({ id: card.signCertificateId! })).revocationReason, 'affiliationChanged');
    const updated = await t.platform.card.updateAttributes(t.staff, card.id, { identityCheck, signPin: 'NEWPASS99' });
    assert.equal(updated.attributesOutdated, false);
    assert.notEqual(updated.signCertificateId, card.signCertificateId);
    const fresh = new CardClient(inProcessTransport(await t.platform.card.openChip(card.id)));
    assert.equal((await fresh.readAttributes(PINS.kenhojo)).name, `三鷹　${resident.givenName}`);
    const signDer = await fresh.readCertificate('sign', 'NEWPASS99');
    assert.equal(new X509Certificate(signDer).serialNumber.toLowerCase(), (await t.platform.jpki.getCertificate({ id: updated.signCertificateId! })).serialHex.toLowerCase());
    const message = Buffer.from('契約書');
    assert.ok(verify('sha256', message, new X509Certificate(signDer).publicKey, await fresh.sign('sign', digestInfo(message), 'NEWPASS99')));
    void client;
  });

  test('空き領域: a municipality installs its own applications; a PIN guards the data when set', async () => {
    const { card } = await issuedCard();
    const library = { name: '三鷹市立図書館', aid: 'F0000001320470001', type: 'C' as const, data: Buffer.from('LIB-00012345') };
    await assert.rejects(t.platform.card.installFreeArea(t.staff, card.id, { ...library, aid: 'F00000013204700' }), { code: 'CARD_FREE_AREA_INVALID' });
    await assert.rejects(t.platform.card.installFreeArea(t.staff, card.id, { ...library, aid: 'D392F000260100000001' }), { code: 'CARD_FREE_AREA_INVALID' }, 'the JPKI AID is reserved');
    await assert.rejects(t.platform.card.installFreeArea(t.staff, card.id, { ...library, pin: '1111' }), { code: 'CARD_FREE_AREA_INVALID' }, 'type C has no PIN');
    await assert.rejects(t.platform.card.installFreeArea(t.otherStaff, card.id, { ...library, aid: 'F000000132047001' }), { code: 'CARD_NOT_FOUND' });
    await t.platform.card.installFreeArea(t.staff, card.id, { ...library, aid: 'F000000132047001' });
    await t.platform.card.installFreeArea(t.staff, card.id, { name: '三鷹市職員証', aid: 'F000000132047002', type: 'A', data: Buffer.from('STAFF-0042'), pin: '2468' });
    await assert.rejects(t.platform.card.installFreeArea(t.staff, card.id, { name: '大きすぎる', aid: 'F000000132047003', type: 'C', data: Buffer.alloc(9000) }), { code: 'CARD_FREE_AREA_FULL' });
    const chip = await t.platform.card.openChip(card.id);
    const hx = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
    const send = async (text: string) => hx(await chip.transmit(Buffer.from(text.replace(/ /g, ''), 'hex')));
    assert.equal(await send('00 A4 04 0C 08 F0 00 00 01 32 04 70 01'), '9000');
    assert.equal(await send('00 A4 02 0C 02 00 01'), '9000');
    assert.equal(await send('00 B0 00 00 00'), `${Buffer.from('LIB-00012345').toString('hex').toUpperCase()}9000`);
    assert.equal(await send('00 A4 04 0C 08 F0 00 00 01 32 04 70 02'), '9000');
    assert.equal(await send('00 B0 81 00 00'), '6982');
    assert.equal(await send('00 20 00 91 04 31 31 31 31'), '63C2');
    assert.equal(await send('00 20 00 91 04 32 34 36 38'), '9000');
    assert.equal(await send('00 B0 81 00 00'), `${Buffer.from('STAFF-0042').toString('hex').toUpperCase()}9000`);
    assert.deepEqual((await t.platform.card.cardHistory(card.id)).filter((e) => e.kind === 'card.free_area_installed').map((e) => e.detail.name), ['三鷹市立図書館', '三鷹市職員証']);
  });

  test('renewal: refused before the 3-month window, then the new card retires the old one at hand-over', async () => {
    const { resident, card } = await issuedCard();
    await assert.rejects(t.platform.card.apply(t.staff, { residentId: resident.id, channel: 'mail', photo: photo(), renewalOf: card.id }), { code: 'CARD_ALREADY_HELD' });
    try {
      t.clock.set('2036-04-01T01:00:00Z'); // the card expires 2036-06-15
      const application = await t.platform.card.apply(t.staff, { residentId: resident.id, channel: 'mail', photo: photo(), renewalOf: card.id });
      const produced = await t.platform.card.produce(application.id);
      assert.equal(produced.replacesCardId, card.id);
      assert.equal((await t.platform.card.getCard(card.id)).status, 'active', 'the old card works until the new one is handed over');
      const renewed = await t.platform.card.handOver(t.staff, produced.id, { identityCheck, pins: PINS });
      assert.equal(renewed.expiresOn, '2045-06-15', '10th birthday after 2036-04-01');
      const old = await t.platform.card.getCard(card.id);
      assert.deepEqual([old.status, old.invalidReason], ['invalid', 'replaced']);
      assert.equal((await t.platform.jpki.getCertificate({ id: card.authCertificateId! })).revocationReason, 'superseded');
    } finally {
      t.clock.set('2026-11-24T01:00:00Z');
    }
  });

  test('bad input: unknown card, moved-out resident, double hand-over, bad photo; nothing half-written', async () => {
    const resident = await newResident(t);
    await assert.rejects(t.platform.card.apply(t.staff, { residentId: resident.id, channel: 'online', photo: { bytes: Buffer.from('not an image'), type: 'image/jpeg' } }), { code: 'CARD_APPLICATION_INVALID' });
    await assert.rejects(t.platform.card.apply(t.staff, { residentId: resident.id, channel: 'online' }), { code: 'CARD_APPLICATION_INVALID' });
    const { card } = await issuedCard();
    await assert.rejects(t.platform.card.handOver(t.staff, card.id, { identityCheck, pins: PINS }), { code: 'CARD_STATE_CONFLICT' });
    await assert.rejects(t.platform.card.handOver(t.otherStaff, card.id, { identityCheck, pins: PINS }), { code: 'CARD_NOT_FOUND' }, 'another municipality sees no card');
    await assert.rejects(t.platform.card.openChip('00000000-0000-4000-8000-000000000000'), { code: 'CARD_NOT_FOUND' });
    const application = await t.platform.card.apply(t.staff, { residentId: resident.id, channel: 'online', photo: photo() });
    const produced = await t.platform.card.produce(application.id);
    await assert.rejects(t.platform.card.handOver(t.staff, produced.id, { identityCheck: { documents: [], checkedBy: '' }, pins: PINS }), { code: 'CARD_IDENTITY_CHECK_REQUIRED' });
    await assert.rejects(t.platform.card.handOver(t.staff, produced.id, { identityCheck, pins: { ...PINS, auth: '12345' } }), (error: Error & { problems?: { field: string }[] }) => {
      assert.equal((error as { code?: string }).code, 'CARD_PIN_FORMAT');
      assert.deepEqual(error.problems?.map((p) => p.field), ['pins.auth']);
      assert.ok(!JSON.stringify(error).includes('12345'), 'the PIN value is not in the error');
      return true;
    });
    assert.equal((await t.platform.card.getCard(produced.id)).status, 'produced');
    assert.ok(!t.logLines.some((line) => line.includes(PINS.sign!) || line.includes(resident.individualNumber)), 'no PIN or number in the logs');
  });
});
