// The APDU engine against the byte sequences real readers send (spec/card-apdu.md §3–§12).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { createVirtualCard } from './virtual-card.ts';
import { blankCardImage, FID } from './card-layout.ts';
import { advanceChipPhase, generateChipKeyPair, setChipPin, writeChipFile } from './chip-personalisation.ts';
import { basicAttributesFile, myNumberFile } from './kenhojo-files.ts';

const h = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s/g, ''), 'hex'));
const hx = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const sw = (bytes: Uint8Array) => hx(bytes.subarray(bytes.length - 2));

const CERT = new Uint8Array(Buffer.concat([Buffer.from([0x30, 0x82, 0x03, 0x06]), Buffer.alloc(0x306, 0xab)]));

async function issuedCard() {
  const image = blankCardImage();
  const spki = await generateChipKeyPair(image, 'auth');
  await generateChipKeyPair(image, 'sign');
  writeChipFile(image, 'jpki', FID.jpki.authCertificate, CERT);
  writeChipFile(image, 'jpki', FID.jpki.signCertificate, CERT);
  writeChipFile(image, 'kenhojo', FID.kenhojo.myNumber, myNumberFile('123456789018'));
  writeChipFile(image, 'kenhojo', FID.kenhojo.basicAttributes, basicAttributesFile({ name: '山田太郎', address: '東京都千代田区霞が関二丁目１番２号', birthDate: '1990-01-02', sex: 'male' }));
  advanceChipPhase(image, 'personalised');
  setChipPin(image, 'jpki', FID.jpki.authPin, '1234');
  setChipPin(image, 'jpki', FID.jpki.signPin, 'ABC123');
  setChipPin(image, 'kenhojo', FID.kenhojo.pin, '1234');
  advanceChipPhase(image, 'issued');
  return { image, spki, card: createVirtualCard(image) };
}

const SELECT_JPKI = h('00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01');

test('OpenSC bind: SELECT AP, SELECT PIN EF, status queries answer 63 Cx', async () => {
  const { card } = await issuedCard();
  assert.equal(hx(card.transmit(SELECT_JPKI)), '9000');
  assert.equal(hx(card.transmit(h('00 A4 02 0C 02 00 18'))), '9000');
  assert.equal(hx(card.transmit(h('00 20 00 80'))), '63C3');
  assert.equal(hx(card.transmit(h('00 A4 02 0C 02 00 1B'))), '9000');
  assert.equal(hx(card.transmit(h('00 20 00 80'))), '63C5');
});

test('certificate read as OpenSC does it: 4-byte header, 256-byte chunks, exact last Le', async () => {
  const { card } = await issuedCard();
  card.transmit(SELECT_JPKI);
  card.transmit(h('00 A4 02 0C 02 00 0A'));
  assert.equal(hx(card.transmit(h('00 B0 00 00 04'))), '308203069000');
  const chunks = [h('00 B0 00 00 00'), h('00 B0 01 00 00'), h('00 B0 02 00 00'), h('00 B0 03 00 0A')].map((c) => card.transmit(c));
  for (const c of chunks) assert.equal(sw(c), '9000');
  assert.deepEqual(chunks.map((c) => c.length - 2), [256, 256, 256, 10]);
  assert.deepEqual(Buffer.concat(chunks.map((c) => c.subarray(0, -2))), Buffer.from(CERT));
  // Extended Le reads the whole file at once (jsapdu / pymyna), SFI addressing too (MBX).
  assert.equal(card.transmit(h('00 B0 00 00 00 00 00')).length, CERT.length + 2);
  assert.deepEqual(card.transmit(h('00 B0 8A 00 00 00 00')).subarray(0, -2), CERT);
  assert.equal(sw(card.transmit(h('00 B0 10 00 01'))), '6B00');
});

test('the signing certificate needs the signing password; a wrong one counts down, case is not folded', async () => {
  const { card } = await issuedCard();
  card.transmit(SELECT_JPKI);
  card.transmit(h('00 A4 02 0C 02 00 01'));
  assert.equal(hx(card.transmit(h('00 B0 00 00 04'))), '6982');
  card.transmit(h('00 A4 02 0C 02 00 1B'));
  assert.equal(hx(card.transmit(h('00 20 00 80 06 61 62 63 31 32 33'))), '63C4'); // abc123
  assert.equal(hx(card.transmit(h('00 20 00 80 06 41 42 43 31 32 33'))), '9000');
  assert.equal(hx(card.transmit(h('00 20 00 80'))), '63C5');
  card.transmit(h('00 A4 02 0C 02 00 01'));
  assert.equal(hx(card.transmit(h('00 B0 00 00 04'))), '308203069000');
  // SELECT of the AP is a logout (OpenSC), and so is a reset.
  card.transmit(SELECT_JPKI);
  card.transmit(h('00 A4 02 0C 02 00 01'));
  assert.equal(hx(card.transmit(h('00 B0 00 00 04'))), '6982');
});

test('a blocked PIN never verifies and its status stays 63 C0', async () => {
  const { card } = await issuedCard();
  card.transmit(SELECT_JPKI);
  card.transmit(h('00 A4 02 0C 02 00 18'));
  assert.equal(hx(card.transmit(h('00 20 00 80 04 30 30 30 30'))), '63C2');
  assert.equal(hx(card.transmit(h('00 20 00 80 04 30 30 30 30'))), '63C1');
  assert.equal(hx(card.transmit(h('00 20 00 80 04 30 30 30 30'))), '63C0');
  assert.equal(hx(card.transmit(h('00 20 00 80 04 31 32 33 34'))), '6983');
  assert.equal(hx(card.transmit(h('00 20 00 80'))), '63C0');
  assert.equal(hx(card.transmit(h('00 20 00 98 04 31 32 33 34'))), '6983');
});

test('signing pads PKCS#1 v1.5 inside the card, deterministically, only after the PIN', async () => {
  const { card, spki } = await issuedCard();
  const digestInfo = Buffer.concat([h('30 31 30 0D 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20'), createHash('sha256').update('hello').digest()]);
  const command = Buffer.concat([h('80 2A 00 80 33'), digestInfo, h('00')]);
  card.transmit(SELECT_JPKI);
  card.transmit(h('00 A4 02 0C 02 00 17'));
  assert.equal(hx(card.transmit(command)), '6982');
  card.transmit(h('00 A4 02 0C 02 00 18'));
  assert.equal(hx(card.transmit(h('00 20 00 80 04 31 32 33 34'))), '9000');
  card.transmit(h('00 A4 02 0C 02 00 17'));
  const first = card.transmit(command);
  assert.equal(first.length, 258);
  assert.equal(sw(first), '9000');
  assert.deepEqual(card.transmit(command), first);
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  assert.ok(verify('sha256', Buffer.from('hello'), key, first.subarray(0, 256)));
  // Short-id addressing (MBX): 80 2A 00 97 without SELECT of the key EF; raw input is padded too.
  const raw = card.transmit(h('80 2A 00 97 05 68 65 6C 6C 6F 00'));
  assert.equal(sw(raw), '9000');
  assert.equal(hx(card.transmit(h('80 2A 00 9A 05 68 65 6C 6C 6F 00'))), '6982');
  assert.equal(hx(card.transmit(Buffer.concat([h('80 2A 00 97 F6'), Buffer.alloc(246, 1), h('00')]))), '6700');
});

test('Kenhojo: individual number and attributes need the 4-digit PIN; the files have the real layout', async () => {
  const { card } = await issuedCard();
  card.transmit(h('00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08'));
  card.transmit(h('00 A4 02 0C 02 00 01'));
  assert.equal(hx(card.transmit(h('00 B0 00 00 00'))), '6982');
  assert.equal(hx(card.transmit(h('00 20 00 91 04 31 32 33 34'))), '9000');
  assert.equal(hx(card.transmit(h('00 B0 00 00 00'))), 'FF100C313233343536373839303138FFFF9000');
  const attrs = card.transmit(h('00 B0 82 00 00 00 00')).subarray(0, -2);
  assert.equal(attrs[0], 0xff);
  assert.equal(attrs[1], 0x20);
  const nameAt = (attrs[attrs[2]! < 0x80 ? 6 : 7]! << 8) | attrs[attrs[2]! < 0x80 ? 7 : 8]!;
  assert.equal(hx(attrs.subarray(nameAt, nameAt + 2)), 'DF22');
  assert.equal(Buffer.from(attrs.subarray(nameAt + 3, nameAt + 3 + attrs[nameAt + 2]!)).toString('utf8'), '山田太郎');
});

test('foreign AIDs, unknown instructions and malformed APDUs are errors, never 90 00; nothing changes', async () => {
  const { card, image } = await issuedCard();
  const before = JSON.stringify(image.applications.map((a) => a.files.map((f) => (f.type === 'pin' ? f.triesLeft : 0))));
  for (const probe of ['00 A4 04 00 07 62 76 01 FF 00 00 00', '00 A4 04 00 06 A0 00 00 00 01 01', '00 CA DF 30 05', '00 CB 3F FF 03 5C 01 7E 08', '00 A4 04 00 09 A0 00 00 03 08 00 00 10 00 00']) {
    assert.notEqual(sw(card.transmit(h(probe))), '9000', probe);
  }
  assert.equal(hx(card.transmit(h('00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00'))), '6700'); // Lc says 10, 9 bytes follow
  assert.equal(hx(card.transmit(h('00 A4 04'))), '6700');
  assert.equal(hx(card.transmit(h('00 A4 04 0C 05 D3 92 F0 00 26 01 00'))), '6700');
  assert.equal(hx(card.transmit(h('00 B0 00 00'))), '6700');
  assert.equal(hx(card.transmit(h('00 A4 09 0C 02 00 0A'))), '6A86');
  card.transmit(SELECT_JPKI);
  assert.equal(hx(card.transmit(h('00 20 00 80 04 31 32 33 34'))), '6A82'); // no PIN EF selected
  assert.equal(hx(card.transmit(h('00 D6 00 00 01 00'))), '6D00');
  assert.equal(JSON.stringify(image.applications.map((a) => a.files.map((f) => (f.type === 'pin' ? f.triesLeft : 0)))), before);
});

test('CHANGE REFERENCE DATA after VERIFY, with the PIN rule enforced', async () => {
  const { card } = await issuedCard();
  card.transmit(SELECT_JPKI);
  card.transmit(h('00 A4 02 0C 02 00 18'));
  assert.equal(hx(card.transmit(h('00 24 01 80 04 35 36 37 38'))), '6982');
  card.transmit(h('00 20 00 80 04 31 32 33 34'));
  assert.equal(hx(card.transmit(h('00 24 01 80 05 35 36 37 38 39'))), '6A80');
  assert.equal(hx(card.transmit(h('00 24 01 80 04 35 36 37 38'))), '9000');
  card.transmit(SELECT_JPKI);
  card.transmit(h('00 A4 02 0C 02 00 18'));
  assert.equal(hx(card.transmit(h('00 20 00 80 04 35 36 37 38'))), '9000');
});

test('token info and the Juki AP as jpki/myna reads them', async () => {
  const { card } = await issuedCard();
  card.transmit(SELECT_JPKI);
  card.transmit(h('00 A4 02 0C 02 00 06'));
  const token = card.transmit(h('00 B0 00 00 20'));
  assert.equal(Buffer.from(token.subarray(0, 32)).toString('latin1').trimEnd(), 'JPKIAPICCTOKEN2');
  assert.equal(hx(card.transmit(h('00 A4 04 0C 0A D3 92 10 00 31 00 01 01 01 00'))), '9000');
  card.transmit(h('00 A4 02 0C 02 00 1C'));
  assert.equal(hx(card.transmit(h('00 20 00 80'))), '63C3');
});

test('a chip is personalised once: no second key generation, no phase going back', async () => {
  const { image } = await issuedCard();
  await assert.rejects(generateChipKeyPair(image, 'auth'), /chip is issued, expected blank/);
  assert.throws(() => advanceChipPhase(image, 'personalised'), /chip is issued/);
  assert.throws(() => setChipPin(image, 'jpki', FID.jpki.authPin, '12345'), /does not follow its rule/);
});
