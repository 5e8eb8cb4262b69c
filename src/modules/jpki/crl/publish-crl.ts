// Publishing CRLs: generating the next numbered CRL of a CA generation from the certificate table, and serving the newest.
import type { JpkiDeps } from '../config.ts';
import type { CaKind, PublishedCrl } from '../contract.ts';
import type { RevocationReason } from '../revocation-reason.ts';
import { caSigner } from '../ca-signer.ts';
import { jpkiError } from '../errors.ts';
import { buildCrl, type CrlEntry } from './build-crl.ts';

function toPublishedCrl(row: Record<string, any>, kind: CaKind, generation: number): PublishedCrl {
  return {
    kind, generation, crlNumber: BigInt(row.crl_number), thisUpdate: new Date(row.this_update), nextUpdate: new Date(row.next_update),
    entries: Number(row.entries), der: new Uint8Array(row.der),
  };
}

async function generationOf(deps: JpkiDeps, kind: CaKind, generation?: number): Promise<{ id: string; generation: number }> {
  // Generations are small positive integers; anything else (beyond the column's int range too) names none.
  if (generation !== undefined && !(Number.isInteger(generation) && generation >= 1 && generation <= 2_147_483_647)) {
    throw jpkiError('JPKI_CRL_NOT_FOUND', { detail: '認証局の世代は1以上の整数です' });
  }
  let query = deps.database.db.selectFrom('jpki.ca_generations').select(['id', 'generation']).where('kind', '=', kind);
  query = generation === undefined ? query.where('issuing', '=', true) : query.where('generation', '=', generation);
  const row = await query.executeTakeFirst();
  if (!row) throw generation === undefined ? jpkiError('JPKI_CA_NOT_INITIALISED') : jpkiError('JPKI_CRL_NOT_FOUND', { detail: `第${generation}世代の認証局はありません` });
  return { id: row.id, generation: Number(row.generation) };
}

/**
 * Generates and stores the next CRL of a CA generation (the issuing one by default): every
 * certificate on hold or revoked that has not yet expired (RFC 5280 §3.3 lets expired ones drop
 * off), thisUpdate now, nextUpdate one schedule interval later, cRLNumber one more than the last.
 */
export async function generateCrl(deps: JpkiDeps, kind: CaKind, generation?: number): Promise<PublishedCrl> {
  const ca = await generationOf(deps, kind, generation);
  const signer = await caSigner(deps, ca.id);
  const thisUpdate = new Date(Math.floor(deps.clock.now().getTime() / 1000) * 1000);
  const nextUpdate = new Date(thisUpdate.getTime() + deps.settings.crlIntervalMinutes * 60_000);
  return deps.database.db.transaction().execute(async (tx) => {
    // Serialises concurrent generations of the same CA (scheduler and an operator), so numbers never repeat.
    await tx.selectFrom('jpki.ca_generations').select('id').where('id', '=', ca.id).forUpdate().execute();
    const last = await tx.selectFrom('jpki.crls').select((eb) => eb.fn.max('crl_number').as('n')).where('ca_generation_id', '=', ca.id).executeTakeFirst();
    const crlNumber = BigInt(last?.n ?? 0) + 1n;
    const rows = await tx.selectFrom('jpki.certificates').select(['serial_hex', 'status', 'status_changed_at', 'revocation_reason'])
      .where('ca_generation_id', '=', ca.id).where('status', '<>', 'good').where('not_after', '>', thisUpdate).execute();
    const entries: CrlEntry[] = rows.map((r) => ({
      serialHex: r.serial_hex, revokedAt: new Date(r.status_changed_at),
      reason: (r.status === 'hold' ? 'certificateHold' : r.revocation_reason) as RevocationReason,
    }));
    const der = await buildCrl({ issuer: { certificate: new Uint8Array(signer.certificate.rawData), privateKey: signer.privateKey }, thisUpdate, nextUpdate, crlNumber, entries });
    const row = { ca_generation_id: ca.id, crl_number: crlNumber.toString(), this_update: thisUpdate, next_update: nextUpdate, entries: entries.length, der: Buffer.from(der) };
    await tx.insertInto('jpki.crls').values(row).execute();
    deps.logger.info({ kind, generation: ca.generation, crlNumber: crlNumber.toString(), entries: entries.length }, 'CRL generated');
    return toPublishedCrl(row, kind, ca.generation);
  });
}

/**
 * The newest CRL of a CA generation. When there is none yet, or the newest is past its nextUpdate
 * (no scheduler ran, e.g. the CLI on a stopped server), a fresh one is generated first, so what is
 * served never claims a nextUpdate in the past.
 */
export async function currentCrl(deps: JpkiDeps, kind: CaKind, generation?: number): Promise<PublishedCrl> {
  const ca = await generationOf(deps, kind, generation);
  const row = await deps.database.db.selectFrom('jpki.crls').selectAll().where('ca_generation_id', '=', ca.id)
    .orderBy('crl_number', 'desc').limit(1).executeTakeFirst();
  if (!row || new Date(row.next_update).getTime() <= deps.clock.now().getTime()) return generateCrl(deps, kind, generation);
  return toPublishedCrl(row, kind, ca.generation);
}
