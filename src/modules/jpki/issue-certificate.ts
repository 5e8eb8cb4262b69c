// Issuing a user-authentication or signing certificate from the card's public key and the person's registry data.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { JpkiDeps } from './config.ts';
import type { CertificateRecord, IssueCertificateInput } from './contract.ts';
import { ageOn, isIsoDate, jstDate } from '../../kernel/clock.ts';
import { buildSigningCertificate, buildUserAuthCertificate, checkSubjectPublicKeyInfo } from './certificate-profiles.ts';
import { randomSerial } from './random-serial.ts';
import { certificateValidity } from './certificate-validity.ts';
import { issuingSigner } from './ca-signer.ts';
import { findCertificate } from './certificate-records.ts';
import { recordStatusChange } from './revoke-certificate.ts';
import { jpkiError } from './errors.ts';

/** 署名用電子証明書は15歳未満には発行しない (公的個人認証法 第3条, 施行令). */
const SIGNING_MINIMUM_AGE = 15;

/** The user-authentication CN: an opaque random identifier (§13.2), nothing derived from the person. */
function opaqueCommonName(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

function validate(input: IssueCertificateInput): void {
  const problems: string[] = [];
  if (input.kind !== 'sign' && input.kind !== 'auth') problems.push('kind は sign か auth です');
  if (!(input.subjectPublicKeyInfo instanceof Uint8Array)) problems.push('subjectPublicKeyInfo がありません');
  if (!/^\d{11}$/.test(input.holder?.residentCode ?? '')) problems.push('住民票コードは11桁です');
  if (!/^\d{6}$/.test(input.holder?.lgCode ?? '')) problems.push('地方公共団体コードは6桁です');
  if (!isIsoDate(input.holder?.birthDate ?? '')) problems.push('生年月日は YYYY-MM-DD です');
  if (input.cardExpiresOn !== undefined && !isIsoDate(input.cardExpiresOn)) problems.push('カードの有効期限は YYYY-MM-DD です');
  if (input.kind === 'sign' && !input.signing) problems.push('署名用電子証明書には基本4情報と住所地が必要です');
  if (input.signing?.windowCode !== undefined && !/^[0-9A-Za-z]{9}$/.test(input.signing.windowCode)) problems.push('窓口コードは英数字9文字です');
  if (problems.length > 0) throw jpkiError('JPKI_REQUEST_INVALID', { detail: problems.join('; ') });
}

/** The profile's own SPKI check (RSA-2048, e = 65537), as this module's error code. */
async function checkPublicKey(spki: Uint8Array): Promise<void> {
  try {
    await checkSubjectPublicKeyInfo(spki);
  } catch (cause) {
    throw jpkiError('JPKI_PUBLIC_KEY_INVALID', { detail: `カードの公開鍵を使えません: ${cause instanceof Error ? cause.message : String(cause)}`, cause });
  }
}

/** JPKI's holder id for a 住民票コード, created on first issuance. */
async function holderId(tx: Kysely<any>, residentCode: string, now: Date): Promise<string> {
  await tx.insertInto('jpki.holders').values({ id: randomUUID(), resident_code: residentCode, created_at: now })
    .onConflict((oc) => oc.column('resident_code').doNothing()).execute();
  const row = await tx.selectFrom('jpki.holders').select('id').where('resident_code', '=', residentCode).executeTakeFirstOrThrow();
  return row.id;
}

/** See JpkiService.issueCertificate. */
export async function issueCertificate(deps: JpkiDeps, input: IssueCertificateInput): Promise<CertificateRecord> {
  validate(input);
  const now = deps.clock.now();
  if (input.kind === 'sign' && ageOn(input.holder.birthDate, jstDate(now)) < SIGNING_MINIMUM_AGE) throw jpkiError('JPKI_SIGNING_UNDER_15');
  if (input.cardExpiresOn !== undefined && input.cardExpiresOn < jstDate(now)) throw jpkiError('JPKI_CARD_EXPIRED');
  await checkPublicKey(input.subjectPublicKeyInfo);
  const signer = await issuingSigner(deps, input.kind);
  const { notBefore, notAfter } = certificateValidity(now, input.holder.birthDate, input.cardExpiresOn);

  const id = randomUUID();
  await deps.database.db.transaction().execute(async (tx) => {
    const holder = await holderId(tx, input.holder.residentCode, now);
    if (input.replacesId !== undefined) {
      const old = await findCertificate(tx, { id: input.replacesId }, true);
      if (old.holderId !== holder || old.kind !== input.kind) throw jpkiError('JPKI_RENEWAL_MISMATCH');
      // Renewal supersedes the old certificate unless it is already revoked.
      if (old.status !== 'revoked') await recordStatusChange(deps, tx, old, { action: 'revoke', reason: 'superseded' }, `renewal by ${input.actor}`);
    }
    // 127 random bits: a collision is practically impossible; should one happen, the UNIQUE
    // constraint fails the issuance rather than record a duplicate.
    const serialNumber = randomSerial(16);
    const common = { issuer: signer, subjectPublicKeyInfo: input.subjectPublicKeyInfo, serialNumber, notBefore, notAfter };
    let der: Uint8Array;
    if (input.kind === 'auth') {
      der = await buildUserAuthCertificate({ ...common, commonName: opaqueCommonName() });
    } else {
      const signing = input.signing!;
      const sequence = Number((await sql<{ n: string }>`SELECT nextval('jpki.signing_cn_sequence') AS n`.execute(tx)).rows[0]!.n);
      der = await buildSigningCertificate({
        ...common,
        subject: {
          prefectureRomaji: signing.locality.prefectureRomaji, municipalityRomaji: signing.locality.municipalityRomaji,
          requestTime: now, sequence, windowCode: signing.windowCode ?? `${input.holder.lgCode}001`,
        },
        attributes: signing.attributes,
        crl: { prefecture: signing.locality.prefecture, municipality: signing.locality.municipality },
      }).catch((cause: unknown) => {
        // certificate-profiles throws TypeError for attribute values it cannot encode.
        throw cause instanceof TypeError ? jpkiError('JPKI_REQUEST_INVALID', { detail: cause.message, cause }) : cause;
      });
    }
    await tx.insertInto('jpki.certificates').values({
      id, kind: input.kind, ca_generation_id: signer.generationId, serial_hex: Buffer.from(serialNumber).toString('hex'),
      holder_id: holder, lg_code: input.holder.lgCode, der: Buffer.from(der), not_before: notBefore, not_after: notAfter,
      status: 'good', replaces_id: input.replacesId ?? null, card_ref: input.cardRef ?? null, issued_at: now,
    }).execute();
    await deps.audit.recordIn(tx, {
      actor: { kind: 'organisation', id: 'jpki', name: input.actor }, lgCode: input.holder.lgCode, action: `jpki.certificate.issue`,
      subject: { kind: 'resident', ref: input.holder.residentCode },
      detail: { kind: input.kind, serialHex: Buffer.from(serialNumber).toString('hex'), notAfter: notAfter.toISOString(), replacesId: input.replacesId ?? null },
    });
  });
  return findCertificate(deps.database.db, { id });
}
