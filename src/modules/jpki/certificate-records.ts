// Reading recorded certificates: row mapping and lookups shared by the use cases.
import type { Kysely } from 'kysely';
import type { CertificateRecord, CertificateRef } from './contract.ts';
import { isUuid } from '../../kernel/ids/uuid.ts';
import { jpkiError } from './errors.ts';

/** The columns a CertificateRecord is made of (with the CA generation number joined in). */
export function selectCertificates(db: Kysely<any>) {
  return db.selectFrom('jpki.certificates as c')
    .innerJoin('jpki.ca_generations as g', 'g.id', 'c.ca_generation_id')
    .select([
      'c.id', 'c.kind', 'c.serial_hex', 'g.generation', 'c.holder_id', 'c.lg_code', 'c.not_before', 'c.not_after', 'c.status',
      'c.status_changed_at', 'c.revocation_reason', 'c.replaces_id', 'c.card_ref', 'c.issued_at', 'c.der',
    ]);
}

export function toCertificateRecord(row: Record<string, any>): CertificateRecord {
  return {
    id: row.id, kind: row.kind, serialHex: row.serial_hex, caGeneration: Number(row.generation), holderId: row.holder_id,
    lgCode: row.lg_code, notBefore: new Date(row.not_before), notAfter: new Date(row.not_after), status: row.status,
    statusChangedAt: row.status_changed_at ? new Date(row.status_changed_at) : null, revocationReason: row.revocation_reason,
    replacesId: row.replaces_id, cardRef: row.card_ref, issuedAt: new Date(row.issued_at), der: new Uint8Array(row.der),
  };
}

const SERIAL = /^[0-9a-f]{1,40}$/;

/**
 * Normalises a serial as people type it (upper case, colons, extra leading zeros) to the stored form:
 * the minimal big-endian octets in hex, so `0x05ab` is `05ab`, as OpenSSL prints it.
 * @example normaliseSerialHex('00:05:AB') // '05ab'
 */
export function normaliseSerialHex(serial: string): string | undefined {
  const digits = serial.replaceAll(':', '').toLowerCase().replace(/^0+/, '');
  const hex = digits.length % 2 === 1 ? `0${digits}` : digits;
  return SERIAL.test(hex) ? hex : undefined;
}

/** The column and value a reference selects on (`c` = jpki.certificates); JPKI_CERTIFICATE_NOT_FOUND when it cannot name one. */
function refColumn(ref: CertificateRef): ['c.id' | 'c.serial_hex', string] {
  if ('id' in ref) {
    if (!isUuid(ref.id)) throw jpkiError('JPKI_CERTIFICATE_NOT_FOUND', { detail: 'the id is not a UUID' });
    return ['c.id', ref.id];
  }
  const serial = normaliseSerialHex(ref.serialHex);
  if (!serial) throw jpkiError('JPKI_CERTIFICATE_NOT_FOUND', { detail: 'the serial is not hexadecimal' });
  return ['c.serial_hex', serial];
}

/** Finds one certificate, optionally locking it for an update; throws JPKI_CERTIFICATE_NOT_FOUND. */
export async function findCertificate(db: Kysely<any>, ref: CertificateRef, forUpdate = false): Promise<CertificateRecord> {
  const [column, value] = refColumn(ref);
  const query = selectCertificates(db).where(column, '=', value);
  const row = await (forUpdate ? query.forUpdate('c') : query).executeTakeFirst();
  if (!row) throw jpkiError('JPKI_CERTIFICATE_NOT_FOUND');
  return toCertificateRecord(row);
}

/** Whose certificate it is (J-LIS internal): the holder's 住民票コード and municipality, in one query. */
export async function findHolder(db: Kysely<any>, ref: CertificateRef): Promise<{ residentCode: string; lgCode: string }> {
  const [column, value] = refColumn(ref);
  const row = await db.selectFrom('jpki.certificates as c').innerJoin('jpki.holders as h', 'h.id', 'c.holder_id')
    .select(['h.resident_code', 'c.lg_code']).where(column, '=', value).executeTakeFirst();
  if (!row) throw jpkiError('JPKI_CERTIFICATE_NOT_FOUND');
  return { residentCode: row.resident_code, lgCode: row.lg_code };
}
