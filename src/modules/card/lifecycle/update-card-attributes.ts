// 券面記載事項変更 at the counter: the chip's 4 attributes (and number) rewritten, the signing certificate reissued on a new key.
import { ageOn, jstDate } from '../../../kernel/clock.ts';
import type { StaffPrincipal } from '../../registry/index.ts';
import type { CardRecord, IdentityCheck } from '../contract.ts';
import { residentByCode, type CardContext } from '../card-context.ts';
import { cardError } from '../errors.ts';
import { lockCard, recordCardEvent, toCardRecord } from '../card-records.ts';
import { certificateRequestFor } from '../certificate-request.ts';
import { writeJpkiFiles, writeKenhojoFiles, writeKenkakuFiles } from '../card-files.ts';
import { findApplication, findFile } from '../virtual-card/card-image.ts';
import { FID } from '../virtual-card/card-layout.ts';
import { regenerateChipKeyPair, setChipPin } from '../virtual-card/chip-personalisation.ts';
import { validIdentityCheck } from './apply-for-card.ts';
import { pinValueAllowed } from '../virtual-card/pin-rules.ts';

/**
 * Rewrites the chip from the current 住民票. When the card has a signing certificate, a new key
 * pair is made on the chip and a new signing certificate replaces the old one (already revoked
 * as affiliationChanged by the registry's notice, or superseded now). `signPin` sets a new
 * signing password at the same time.
 */
export async function updateCardAttributes(ctx: CardContext, staff: StaffPrincipal, cardId: string, input: { identityCheck: IdentityCheck; signPin?: string }): Promise<CardRecord> {
  if (!validIdentityCheck(input.identityCheck)) throw cardError('CARD_IDENTITY_CHECK_REQUIRED');
  if (input.signPin !== undefined && !pinValueAllowed('alnum6to16', input.signPin)) throw cardError('CARD_PIN_FORMAT', { problems: [{ field: 'signPin', reason: '署名用電子証明書の暗証番号は英大文字と数字の6〜16文字です' }] });
  const row = await ctx.db.selectFrom('card.cards').selectAll().where('id', '=', cardId).where('lg_code', '=', staff.lgCode).executeTakeFirst();
  if (!row) throw cardError('CARD_NOT_FOUND');
  const card = toCardRecord(row);
  if (card.status !== 'active') throw cardError('CARD_STATE_CONFLICT', { detail: '有効なカードだけが券面記載事項変更の対象です' });
  const resident = await residentByCode(ctx, staff, card.residentCode, '券面記載事項変更');
  if (resident.status !== 'active') throw cardError('CARD_RESIDENT_NOT_ELIGIBLE');
  const municipality = await ctx.registry.getMunicipality(card.lgCode);
  const image = await ctx.chips.load(ctx.db, cardId);
  const today = jstDate(ctx.clock.now());

  let signCertificate = null;
  if (card.signCertificateId || ageOn(resident.birthDate, today) >= 15) {
    const spki = await regenerateChipKeyPair(image, 'sign');
    signCertificate = await ctx.jpki.issueCertificate(certificateRequestFor(municipality, resident, 'sign', spki, {
      actor: staff.staffName, cardExpiresOn: card.expiresOn, cardRef: cardId, ...(card.signCertificateId ? { replacesId: card.signCertificateId } : {}),
    }));
    if (input.signPin) setChipPin(image, 'jpki', FID.jpki.signPin, input.signPin);
  }
  const jpkiApp = findApplication(image, 'jpki')!;
  const fileData = (fid: number) => { const f = findFile(jpkiApp, fid); return f?.type === 'binary' ? f.data : new Uint8Array(0); };
  const issuer = await ctx.issuerKey();
  const collationB = findFile(findApplication(image, 'kenhojo')!, FID.kenhojo.collationB);
  const securityCode = collationB?.type === 'pin' && collationB.value ? Buffer.from(collationB.value).toString('latin1').slice(10) : '0000';
  const entries = findFile(findApplication(image, 'kenkaku')!, FID.kenkaku.entries);
  const contents = {
    attributes: { name: `${resident.familyName}　${resident.givenName}`, address: resident.address, birthDate: resident.birthDate, sex: resident.sex },
    individualNumber: resident.individualNumber, residentCode: resident.residentCode, serial: card.serial, expiresOn: card.expiresOn,
    securityCode, municipalityName: municipality.name, photo: photoOf(entries?.type === 'binary' ? entries.data : new Uint8Array(0)),
    authCertificate: fileData(FID.jpki.authCertificate), signCertificate: signCertificate?.der ?? null,
    authCaCertificate: fileData(FID.jpki.authCaCertificate),
    // A reissued certificate may come from a newer CA generation: the chip then holds that generation's CA.
    signCaCertificate: signCertificate ? await ctx.caCertificate('sign', signCertificate.caGeneration) : fileData(FID.jpki.signCaCertificate),
  };
  if (signCertificate) writeJpkiFiles(image, contents);
  writeKenhojoFiles(image, contents, issuer);
  writeKenkakuFiles(image, contents, issuer);

  const now = ctx.clock.now();
  const result = await ctx.db.transaction().execute(async (tx) => {
    await lockCard(tx, cardId);
    await ctx.chips.save(tx, cardId, image);
    await tx.updateTable('card.cards').set({ attributes_outdated: false, sign_certificate_id: signCertificate?.id ?? card.signCertificateId, updated_at: now }).where('id', '=', cardId).execute();
    await recordCardEvent(tx, ctx.audit, now, {
      cardId, kind: 'card.attributes_updated', actor: { staff }, lgCode: card.lgCode, residentCode: card.residentCode,
      detail: { identityDocuments: input.identityCheck.documents, signingCertificateReissued: signCertificate !== null },
    });
    return toCardRecord(await tx.selectFrom('card.cards').selectAll().where('id', '=', cardId).executeTakeFirstOrThrow());
  });
  ctx.chips.forget(cardId);
  return result;
}

/** The face photo (DF 27) out of the 券面AP's EF 0002, to write it back unchanged. */
function photoOf(entries: Uint8Array): Uint8Array {
  const headerAt = entries[2] === 0x82 ? 5 : entries[2] === 0x81 ? 4 : 3;
  const offsets = entries.subarray(headerAt + 3, headerAt + 3 + 18);
  const photoAt = (offsets[10]! << 8) | offsets[11]!;
  let length = entries[photoAt + 2]!;
  let valueAt = photoAt + 3;
  if (length === 0x81) { length = entries[photoAt + 3]!; valueAt += 1; }
  else if (length === 0x82) { length = (entries[photoAt + 3]! << 8) | entries[photoAt + 4]!; valueAt += 2; }
  return entries.slice(valueAt, valueAt + length);
}
