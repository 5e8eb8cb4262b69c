// An issued virtual My Number card for tests and benches that put it in vpcd's reader, and waiting until pcscd sees it come or go.
import { setTimeout as sleep } from 'node:timers/promises';
import { listPcscReaders, syntheticPortrait, type CardPins, type ChipSession } from '../../src/modules/card/index.ts';
import { newResident } from './jpki-fixtures.ts';
import type { TestPlatform } from './test-platform.ts';

export interface IssuedVirtualCard {
  cardId: string;
  /** The issued certificates as JPKI recorded them (DER). */
  authCertificate: Uint8Array;
  signCertificate: Uint8Array;
  /** A session on the card's chip, for attachToVpcd(insertedChip(chip)). */
  chip: ChipSession;
}

/**
 * Applies for, produces and hands over a card for a new adult resident (both JPKI certificates) and
 * opens its chip. The CAs must exist (`t.platform.jpki.initCertificateAuthorities()`).
 *
 * @example
 * const card = await issuedVirtualCard(t, { auth: '1234', sign: 'ABC123', kenhojo: '5678', juki: '9012' });
 * const slot = await attachToVpcd(insertedChip(card.chip), { port: vpcdPort });
 */
export async function issuedVirtualCard(t: TestPlatform, pins: CardPins): Promise<IssuedVirtualCard> {
  const resident = await newResident(t);
  const application = await t.platform.card.apply(t.staff, {
    residentId: resident.id, channel: 'online', photo: { bytes: syntheticPortrait('vpcd'), type: 'image/jpeg' },
  });
  const produced = await t.platform.card.produce(application.id);
  const card = await t.platform.card.handOver(t.staff, produced.id, { identityCheck: { documents: ['運転免許証'], checkedBy: '三鷹 窓口一郎' }, pins });
  const auth = await t.platform.jpki.getCertificate({ id: card.authCertificateId! });
  const sign = await t.platform.jpki.getCertificate({ id: card.signCertificateId! });
  return { cardId: card.id, authCertificate: auth.der, signCertificate: sign.der, chip: await t.platform.card.openChip(card.id) };
}

/**
 * Waits until pcscd reports a card in `readerName` (or none, `present: false`). pcscd notices vpcd's
 * insertions only at its presence poll (about every 400 ms), and a tool started before that finds
 * the reader empty.
 */
export async function waitForCard(readerName: string, present = true, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reader = (await listPcscReaders()).find((r) => r.name === readerName);
    if (reader?.cardPresent === present) return;
    if (Date.now() > deadline) throw new Error(`pcscd did not see the card ${present ? 'inserted into' : 'removed from'} "${readerName}" within ${timeoutMs} ms`);
    await sleep(50);
  }
}
