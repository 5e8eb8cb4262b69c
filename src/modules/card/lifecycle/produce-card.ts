// Card production (J-LIS): the chip makes its key pairs, JPKI certifies them, the face and text applications are written.
import { randomInt, randomUUID } from 'node:crypto';
import { ageOn, jstDate } from '../../../kernel/clock.ts';
import { purposeKey, unseal } from '../../../kernel/crypto/seal.ts';
import { PlatformError } from '../../../kernel/errors.ts';
import type { CardPins, CardRecord } from '../contract.ts';
import { residentByCode, systemPrincipal, type CardContext } from '../card-context.ts';
import { cardError } from '../errors.ts';
import { recordCardEvent, toCardRecord } from '../card-records.ts';
import { cardExpiresOn } from '../card-validity.ts';
import { certificateRequestFor } from '../certificate-request.ts';
import { writeJpkiFiles, writeJukiFiles, writeKenhojoFiles, writeKenkakuFiles } from '../card-files.ts';
import { blankCardImage, FID } from '../virtual-card/card-layout.ts';
import { advanceChipPhase, generateChipKeyPair, setChipPin } from '../virtual-card/chip-personalisation.ts';
import { chipPortrait, syntheticPortrait } from '../card-face-images.ts';

const DEFAULT_ACTOR = 'J-LIS 個人番号カード作成';

/** Milliseconds spent per production phase (the benchmark reports where the time goes). */
export interface ProductionTimings { registry?: number; keyGeneration?: number; certificates?: number; chipFiles?: number; database?: number }

export interface ProduceOptions {
  actor?: string;
  demo?: boolean;
  /** Filled with the time per phase when given. */
  timings?: ProductionTimings;
}

/** 製造番号: 2 letters + 11 digits (13 characters, as jpki/myna shows it). */
function newSerial(): string {
  return `MN${String(randomInt(0, 1e11)).padStart(11, '0')}`;
}

/**
 * Produces the card of an application. Idempotent: a produced application returns its card. A
 * crash after JPKI issued certificates but before the card was stored is repaired on the retry:
 * the certificates of the abandoned chip (whose keys died with it) are revoked first.
 */
export async function produceCard(ctx: CardContext, applicationId: string, options: ProduceOptions = {}): Promise<CardRecord> {
  const actorName = options.actor ?? DEFAULT_ACTOR;
  const timings = options.timings;
  let mark = performance.now();
  const lap = (phase: keyof ProductionTimings) => {
    const now = performance.now();
    if (timings) timings[phase] = (timings[phase] ?? 0) + (now - mark);
    mark = now;
  };
  const app = await ctx.db.selectFrom('card.applications').selectAll().where('id', '=', applicationId).executeTakeFirst();
  if (!app) throw cardError('CARD_APPLICATION_NOT_FOUND');
  if (app.card_id) return toCardRecord(await ctx.db.selectFrom('card.cards').selectAll().where('id', '=', app.card_id).executeTakeFirstOrThrow());
  if (app.status !== 'received') throw cardError('CARD_APPLICATION_STATE', { detail: `申請の状態: ${app.status}` });
  if (app.production_card_id) await revokeAbandonedChip(ctx, app.resident_code, app.production_card_id, actorName);

  const cardId = randomUUID();
  await ctx.db.updateTable('card.applications').set({ production_card_id: cardId, updated_at: ctx.clock.now() }).where('id', '=', applicationId).execute();

  const staff = systemPrincipal(app.lg_code, actorName);
  const resident = await residentByCode(ctx, staff, app.resident_code, '個人番号カードの作成');
  if (resident.status !== 'active') throw cardError('CARD_RESIDENT_NOT_ELIGIBLE');
  const municipality = await ctx.registry.getMunicipality(app.lg_code);
  const issuedOn = jstDate(ctx.clock.now());
  const expiresOn = cardExpiresOn(resident.birthDate, issuedOn, ctx.settings);
  const withSigning = ageOn(resident.birthDate, issuedOn) >= 15;
  lap('registry');

  const image = blankCardImage();
  const [authSpki, signSpki] = await Promise.all([
    generateChipKeyPair(image, 'auth'),
    withSigning ? generateChipKeyPair(image, 'sign') : Promise.resolve(null),
  ]);
  lap('keyGeneration');
  const request = (kind: 'auth' | 'sign', spki: Uint8Array) =>
    ctx.jpki.issueCertificate(certificateRequestFor(municipality, resident, kind, spki, { actor: actorName, cardExpiresOn: expiresOn, cardRef: cardId }));
  const [authCertificate, signCertificate] = await Promise.all([request('auth', authSpki), signSpki ? request('sign', signSpki) : Promise.resolve(null)]);
  const [authCa, signCa] = await Promise.all([
    ctx.caCertificate('auth', authCertificate.caGeneration),
    signCertificate ? ctx.caCertificate('sign', signCertificate.caGeneration) : ctx.jpki.issuingCa('sign').then((ca) => ca.certificate),
  ]);
  lap('certificates');

  const issuer = await ctx.issuerKey();
  const contents = {
    attributes: { name: `${resident.familyName}　${resident.givenName}`, address: resident.address, birthDate: resident.birthDate, sex: resident.sex },
    individualNumber: resident.individualNumber, residentCode: resident.residentCode, serial: newSerial(), expiresOn,
    securityCode: String(randomInt(0, 10000)).padStart(4, '0'), municipalityName: municipality.name,
    photo: app.photo ? await chipPortrait(new Uint8Array(app.photo)) : syntheticPortrait(resident.residentCode),
    authCertificate: authCertificate.der, signCertificate: signCertificate?.der ?? null,
    authCaCertificate: authCa, signCaCertificate: signCa,
  };
  writeJpkiFiles(image, contents);
  writeKenhojoFiles(image, contents, issuer);
  writeKenkakuFiles(image, contents, issuer);
  writeJukiFiles(image, contents);
  advanceChipPhase(image, 'personalised');

  // 申請時来庁方式: the PINs chosen at the visit go on the chip now, and the card is sent (本人限定受取郵便) ready to use.
  const deliveredReady = app.channel === 'visit_at_application';
  if (deliveredReady) {
    setCardPins(image, applicationPins(ctx, app));
    advanceChipPhase(image, 'issued');
  }

  lap('chipFiles');
  const now = ctx.clock.now();
  const card = await ctx.db.transaction().execute(async (tx) => {
    await tx.insertInto('card.cards').values({
      id: cardId, serial: contents.serial, lg_code: app.lg_code, resident_code: app.resident_code, application_id: applicationId,
      status: deliveredReady ? 'active' : 'produced', issued_on: issuedOn, expires_on: expiresOn,
      handed_over_at: deliveredReady ? now : null, auth_certificate_id: authCertificate.id, sign_certificate_id: signCertificate?.id ?? null,
      replaces_card_id: app.renewal_of ?? null, demo: options.demo ?? false, created_at: now, updated_at: now,
    }).execute();
    await ctx.chips.save(tx, cardId, image);
    await tx.updateTable('card.applications').set({
      status: deliveredReady ? 'completed' : 'produced', card_id: cardId, pins_iv: null, pins_sealed: null, updated_at: now,
    }).where('id', '=', applicationId).execute();
    await recordCardEvent(tx, ctx.audit, now, {
      cardId, applicationId, kind: 'card.produced', actor: { system: actorName }, lgCode: app.lg_code, residentCode: app.resident_code,
      detail: { serial: contents.serial, expiresOn, signingCertificate: signCertificate !== null, deliveredReady },
    });
    return toCardRecord(await tx.selectFrom('card.cards').selectAll().where('id', '=', cardId).executeTakeFirstOrThrow());
  });
  lap('database');
  return card;
}

/** Writes the resident's four PINs to a personalised chip. */
export function setCardPins(image: ReturnType<typeof blankCardImage>, pins: CardPins): void {
  setChipPin(image, 'jpki', FID.jpki.authPin, pins.auth);
  if (pins.sign) setChipPin(image, 'jpki', FID.jpki.signPin, pins.sign);
  setChipPin(image, 'kenhojo', FID.kenhojo.pin, pins.kenhojo);
  setChipPin(image, 'juki', FID.juki.pin, pins.juki);
}

function applicationPins(ctx: CardContext, app: Record<string, any>): CardPins {
  if (!app.pins_sealed) throw cardError('CARD_APPLICATION_STATE', { detail: '申請時に設定された暗証番号がありません' });
  const plain = unseal(purposeKey(ctx.pinSealingKey, 'card application pins'), app.id, { iv: app.pins_iv, sealed: app.pins_sealed });
  const pins = JSON.parse(plain.toString('utf8')) as CardPins;
  plain.fill(0);
  return pins;
}

/** The certificates JPKI issued for a chip that was never stored: their private keys are gone, so they are revoked. */
async function revokeAbandonedChip(ctx: CardContext, residentCode: string, cardId: string, actor: string): Promise<void> {
  const certificates = await ctx.jpki.certificatesOfResident(residentCode);
  for (const certificate of certificates.filter((c) => c.cardRef === cardId && c.status !== 'revoked')) {
    try {
      await ctx.jpki.revokeCertificate({ id: certificate.id }, 'cessationOfOperation', `${actor}（作成中断したICチップ）`);
    } catch (error) {
      if (!(error instanceof PlatformError && error.code === 'JPKI_CERTIFICATE_ALREADY_REVOKED')) throw error;
    }
  }
}
