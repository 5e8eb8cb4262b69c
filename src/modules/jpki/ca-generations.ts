// CA generations: creating the two CAs (jpki init), rolling over to a new generation, and reading them back.
import { randomUUID } from 'node:crypto';
import { randomSerial } from './random-serial.ts';
import { sql } from 'kysely';
import type { CaGeneration, CaKind } from './contract.ts';
import type { JpkiDeps } from './config.ts';
import { buildCaCertificate } from './certificate-profiles.ts';
import { jpkiError } from './errors.ts';

const KINDS: readonly CaKind[] = ['auth', 'sign'];
/** Real roots are valid 10 years (§13.1). */
const CA_YEARS = 10;

/** Row → CaGeneration. */
function toGeneration(row: Record<string, any>): CaGeneration {
  return {
    id: row.id, kind: row.kind, generation: Number(row.generation), serialHex: row.serial_hex,
    notBefore: new Date(row.not_before), notAfter: new Date(row.not_after), issuing: row.issuing,
    certificate: new Uint8Array(row.certificate),
  };
}

/**
 * Validity like the real roots: from now (whole seconds) to 23:59:59 JST (14:59:59Z) of the day
 * before the same date ten years on (2023-07-16 → 2033-07-15 14:59:59Z).
 */
export function caValidity(now: Date): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const end = new Date(Date.UTC(notBefore.getUTCFullYear() + CA_YEARS, notBefore.getUTCMonth(), notBefore.getUTCDate() - 1, 14, 59, 59));
  return { notBefore, notAfter: end };
}


export async function caGenerations(deps: JpkiDeps, kind: CaKind): Promise<CaGeneration[]> {
  const rows = await deps.database.db.selectFrom('jpki.ca_generations').selectAll().where('kind', '=', kind).orderBy('generation', 'desc').execute();
  return rows.map(toGeneration);
}

export async function issuingCa(deps: JpkiDeps, kind: CaKind): Promise<CaGeneration> {
  const row = await deps.database.db.selectFrom('jpki.ca_generations').selectAll().where('kind', '=', kind).where('issuing', '=', true).executeTakeFirst();
  if (!row) throw jpkiError('JPKI_CA_NOT_INITIALISED');
  return toGeneration(row);
}

/** `jpki init`: creates what is missing, or a new generation of both CAs when asked. */
export async function initCertificateAuthorities(deps: JpkiDeps, options: { newGeneration?: boolean } = {}): Promise<{ created: CaGeneration[]; existing: CaGeneration[] }> {
  const created: CaGeneration[] = [];
  const existing: CaGeneration[] = [];
  for (const kind of KINDS) {
    const current = (await caGenerations(deps, kind))[0];
    if (current && !options.newGeneration) {
      existing.push(current);
      continue;
    }
    const generation = (current?.generation ?? 0) + 1;
    const { ref, publicKey } = await deps.keyStore.generateRsaKeyPair(`JPKI ${kind} CA generation ${generation}`);
    const privateKey = await deps.keyStore.signingKey(ref);
    const serial = randomSerial(8);
    const { notBefore, notAfter } = caValidity(deps.clock.now());
    const certificate = await buildCaCertificate({ kind, keys: { publicKey, privateKey }, serialNumber: serial, notBefore, notAfter });
    const id = randomUUID();
    await deps.database.db.transaction().execute(async (tx) => {
      await sql`UPDATE jpki.ca_generations SET issuing = false WHERE kind = ${kind} AND issuing`.execute(tx);
      await tx.insertInto('jpki.ca_generations').values({
        id, kind, generation, key_ref: ref, certificate: Buffer.from(certificate.rawData), serial_hex: Buffer.from(serial).toString('hex'),
        not_before: notBefore, not_after: notAfter, issuing: true, created_at: deps.clock.now(),
      }).execute();
      await deps.audit.recordIn(tx, {
        actor: { kind: 'system', id: 'jpki', name: 'jpki' }, action: 'jpki.ca.create',
        detail: { kind, generation, serialHex: Buffer.from(serial).toString('hex') },
      });
    });
    created.push(await issuingCa(deps, kind));
  }
  return { created, existing };
}
