// Synthetic rows for the OCSP benchmark: N certificates of one CA generation in jpki.certificates (INSERT … SELECT generate_series), and the same rows as an OpenSSL index.txt.
import { createWriteStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { revocationStride, serialSql, type Population } from './ocsp-load-plan.ts';

const CHUNK = 1_000_000;
/** The JPKI reasons other than hold, in turn; every fifth revoked certificate is on hold instead (status 'hold', no reason). */
const REASONS = ['keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation'] as const;

/**
 * Inserts certificates 1..N for `caGenerationId` under one holder: serial i is `certificateSerialHex(i)`,
 * every stride-th is revoked (four reasons in turn) or on hold; valid from 1–1,000 days ago for five
 * years; `der` is a 2-byte placeholder (the OCSP lookup reads status columns only). Ids are sequential
 * so the primary key is appended to; the serial index gets random-order inserts as in real issuance.
 * With a superuser connection the two foreign-key triggers are skipped (session_replication_role):
 * every row points at the one holder and generation, which exist.
 */
export async function insertCertificates(client: pg.Client, options: Population & { caGenerationId: string; now: Date; onProgress?: (done: number) => void }): Promise<void> {
  const holderId = randomUUID();
  await client.query('INSERT INTO jpki.holders (id, resident_code, created_at) VALUES ($1, $2, $3)', [holderId, '99999999999', options.now]);
  const superuser = (await client.query<{ s: boolean }>('SELECT usesuper AS s FROM pg_user WHERE usename = current_user')).rows[0]?.s ?? false;
  if (superuser) await client.query('SET session_replication_role = replica');
  const stride = Number.isFinite(revocationStride(options)) ? revocationStride(options) : options.certificates + 1;
  const revoked = `(i % ${stride} = 0 AND i / ${stride} <= ${Math.max(0, Math.floor(options.revoked))})`;
  try {
    for (let from = 1; from <= options.certificates; from += CHUNK) {
      const to = Math.min(options.certificates, from + CHUNK - 1);
      await client.query(`
        INSERT INTO jpki.certificates (id, kind, ca_generation_id, serial_hex, holder_id, lg_code, der, not_before, not_after,
                                       status, status_changed_at, revocation_reason, replaces_id, card_ref, issued_at)
        SELECT lpad(to_hex(i), 32, '0')::uuid, 'auth', $1::uuid, ${serialSql('h')}, $2::uuid, '131016', '\\x3000'::bytea, nb, nb + interval '5 years',
               CASE WHEN NOT r THEN 'good' WHEN (i / ${stride}) % 5 = 4 THEN 'hold' ELSE 'revoked' END,
               CASE WHEN r THEN nb + (i % 86400) * interval '1 second' END,
               CASE WHEN r AND (i / ${stride}) % 5 < 4 THEN ($3::text[])[(i / ${stride}) % 5 + 1] END,
               NULL, NULL, nb
        FROM (SELECT i, md5(i::text) AS h, ${revoked} AS r, $4::timestamptz - ((i % 1000) + 1) * interval '1 day' AS nb
              FROM generate_series(${from}, ${to}) AS i) AS s`,
      [options.caGenerationId, holderId, REASONS, options.now]);
      options.onProgress?.(to);
    }
  } finally {
    if (superuser) await client.query('SET session_replication_role = origin');
  }
  // A table in steady state: hint bits set, visibility map and statistics up to date.
  await client.query('VACUUM (FREEZE, ANALYZE) jpki.certificates');
}

/**
 * Writes the certificates of `caGenerationId` as `openssl ca` keeps its index.txt: `V|R`, expiry
 * (UTCTime), revocation `time,reason` (hold as `certificateHold`), uppercase hex serial, `unknown`,
 * subject. The subject is one constant DN: index.txt.attr must say `unique_subject = no`.
 */
export async function writeOpensslIndex(client: pg.Client, caGenerationId: string, file: string): Promise<void> {
  const utc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYMMDDHH24MISS') || 'Z'`;
  // COPY's text format with its default tab delimiter is the index format, given values without tabs or backslashes.
  const query = `COPY (
    SELECT CASE WHEN status = 'good' THEN 'V' ELSE 'R' END, ${utc('not_after')},
           CASE WHEN status = 'good' THEN '' ELSE ${utc('status_changed_at')} || ',' || CASE WHEN status = 'hold' THEN 'certificateHold' ELSE revocation_reason END END,
           upper(serial_hex), 'unknown', '/C=JP/CN=JPKI bench'
    FROM jpki.certificates WHERE ca_generation_id = '${caGenerationId.replace(/[^0-9a-f-]/g, '')}'
  ) TO STDOUT`;
  await pipeline(client.query(copyTo(query)), createWriteStream(file));
}
