// The OCSP responder service: matches CertIDs to CA generations, looks statuses up, signs with a delegated responder per generation.
import { randomUUID } from 'node:crypto';
import { randomSerial } from '../random-serial.ts';
import type { JpkiDeps } from '../config.ts';
import type { CaKind } from '../contract.ts';
import type { RevocationReason } from '../revocation-reason.ts';
import { caSigner } from '../ca-signer.ts';
import { caGenerations } from '../ca-generations.ts';
import { buildOcspErrorResponse, createOcspSigner, type OcspCertStatus, type OcspSigner, type OcspSingleAnswer } from './build-ocsp-response.ts';
import { certIdHashes, type CertIdHashes } from './issuer-key-hashes.ts';
import { OcspMalformedRequest, parseOcspRequest, type OcspCertId } from './parse-ocsp-request.ts';
import { buildOcspResponderCertificate } from './responder-certificate.ts';

/** Responder certificates live a week and are replaced a day before they end: with id-pkix-ocsp-nocheck they cannot be revoked, so they must be short. */
const RESPONDER_DAYS = 7;
const RENEW_BEFORE_MS = 24 * 3_600_000;
/** How long the list of CA generations is trusted before it is read again (a rollover shows up within this). */
const GENERATIONS_TTL_MS = 60_000;

interface GenerationEntry {
  id: string;
  generation: number;
  hashes: CertIdHashes;
  signer?: OcspSigner;
  /** When the signer's certificate must be replaced (ms). */
  renewAt: number;
  /** A load in flight, shared by the requests that wait for it. */
  loading?: Promise<OcspSigner>;
}

export interface OcspResponderService {
  /** Answers a DER OCSPRequest (or undefined for a request that could not even be read) with a DER OCSPResponse; never throws. */
  respond(kind: CaKind, request: Uint8Array | undefined): Promise<Uint8Array>;
  /** The signed answer for an unauthorised requester. */
  unauthorized(): Uint8Array;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/**
 * @example
 * const responder = createOcspResponder(deps);
 * const der = await responder.respond('auth', requestDer);
 */
export function createOcspResponder(deps: JpkiDeps): OcspResponderService {
  const generations = new Map<CaKind, { entries: GenerationEntry[]; until: number }>();

  async function generationsOf(kind: CaKind): Promise<GenerationEntry[]> {
    const cached = generations.get(kind);
    if (cached && cached.until > Date.now()) return cached.entries;
    const entries = (await caGenerations(deps, kind)).map((ca): GenerationEntry => {
      const previous = cached?.entries.find((e) => e.id === ca.id);
      return previous ?? { id: ca.id, generation: ca.generation, hashes: certIdHashes(ca.certificate), renewAt: 0 };
    });
    generations.set(kind, { entries, until: Date.now() + GENERATIONS_TTL_MS });
    return entries;
  }

  function match(entries: GenerationEntry[], certId: OcspCertId): GenerationEntry | undefined {
    const algorithm = certId.hashAlgorithm;
    if (algorithm === 'other') return undefined;
    return entries.find((e) => equal(e.hashes[algorithm].keyHash, certId.issuerKeyHash) && equal(e.hashes[algorithm].nameHash, certId.issuerNameHash));
  }

  /** A valid responder certificate of the generation, from the table or newly issued. */
  async function loadSigner(kind: CaKind, entry: GenerationEntry): Promise<{ signer: OcspSigner; renewAt: number }> {
    const now = deps.clock.now();
    const db = deps.database.db;
    let row = await db.selectFrom('jpki.ocsp_responders').selectAll().where('ca_generation_id', '=', entry.id)
      .where('not_after', '>', new Date(now.getTime() + RENEW_BEFORE_MS)).orderBy('not_after', 'desc').limit(1).executeTakeFirst();
    if (!row) {
      const ca = await caSigner(deps, entry.id);
      const { ref, publicKey } = await deps.keyStore.generateRsaKeyPair(`JPKI ${kind} OCSP responder (CA generation ${entry.generation})`);
      const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
      const caEnd = ca.certificate.notAfter.getTime();
      const notAfter = new Date(Math.min(notBefore.getTime() + RESPONDER_DAYS * 86_400_000, caEnd));
      const serial = randomSerial(16);
      const certificate = await buildOcspResponderCertificate({ issuer: ca, publicKey, serialNumber: serial, notBefore, notAfter, kind });
      row = { id: randomUUID(), ca_generation_id: entry.id, key_ref: ref, certificate: Buffer.from(certificate), not_before: notBefore, not_after: notAfter };
      await db.insertInto('jpki.ocsp_responders').values(row).execute();
      deps.logger.info({ kind, generation: entry.generation, notAfter }, 'OCSP responder certificate issued');
    }
    const signer = await createOcspSigner({ certificate: new Uint8Array(row.certificate), privateKey: await deps.keyStore.signingKey(row.key_ref) });
    return { signer, renewAt: new Date(row.not_after).getTime() - RENEW_BEFORE_MS };
  }

  function signerFor(kind: CaKind, entry: GenerationEntry): Promise<OcspSigner> {
    if (entry.signer && entry.renewAt > deps.clock.now().getTime()) return Promise.resolve(entry.signer);
    // One load per generation at a time, however many requests arrive together.
    entry.loading ??= loadSigner(kind, entry).then((loaded) => {
      entry.signer = loaded.signer;
      entry.renewAt = loaded.renewAt;
      return loaded.signer;
    }).finally(() => { delete entry.loading; });
    return entry.loading;
  }

  async function status(entry: GenerationEntry, serialHex: string): Promise<OcspCertStatus> {
    const row = await deps.database.db.selectFrom('jpki.certificates').select(['status', 'status_changed_at', 'revocation_reason'])
      .where('serial_hex', '=', serialHex).where('ca_generation_id', '=', entry.id).executeTakeFirst();
    if (!row) return { status: 'unknown' };
    if (row.status === 'good') return { status: 'good' };
    const reason = (row.status === 'hold' ? 'certificateHold' : row.revocation_reason) as RevocationReason;
    return { status: 'revoked', revokedAt: new Date(row.status_changed_at), reason };
  }

  return {
    async respond(kind, request) {
      try {
        if (!request) throw new OcspMalformedRequest('no request');
        const parsed = parseOcspRequest(request);
        const entries = await generationsOf(kind);
        const now = deps.clock.now();
        const answers: OcspSingleAnswer[] = [];
        let responding: GenerationEntry | undefined;
        for (const certId of parsed.certIds) {
          const entry = match(entries, certId);
          responding ??= entry;
          // One response has one signer; a CertID of another generation than the first is answered unknown (clients send one CertID).
          const certStatus = entry && entry === responding ? await status(entry, certId.serialHex) : { status: 'unknown' as const };
          answers.push({ certId, certStatus, thisUpdate: now });
        }
        // caGenerations lists the newest first: it signs when no CertID named a generation of ours.
        const signing = responding ?? entries[0];
        if (!signing) return buildOcspErrorResponse('internalError');
        const signer = await signerFor(kind, signing);
        return await signer.sign(now, answers, parsed.nonce);
      } catch (error) {
        if (error instanceof OcspMalformedRequest) return buildOcspErrorResponse('malformedRequest');
        deps.logger.error({ err: error, kind }, 'OCSP response failed');
        return buildOcspErrorResponse('internalError');
      }
    },
    unauthorized: () => buildOcspErrorResponse('unauthorized'),
  };
}
