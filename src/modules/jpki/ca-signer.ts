// The issuing CA's certificate and private-key handle, loaded from the key store once per generation.
import * as x509 from '@peculiar/x509';
import type { webcrypto } from 'node:crypto';
import type { CaKind } from './contract.ts';
import type { JpkiDeps } from './config.ts';
import { jpkiError } from './errors.ts';

/** A CA generation that can sign: what certificate-profiles' Issuer needs, plus the generation's identity. */
export interface CaSigner {
  generationId: string;
  kind: CaKind;
  generation: number;
  certificate: x509.X509Certificate;
  privateKey: webcrypto.CryptoKey;
}

// Unsealing costs an AES open and a PKCS#8 import; handles are non-extractable, so caching them
// per key store keeps no key bytes around.
const cache = new WeakMap<object, Map<string, Promise<CaSigner>>>();

async function load(deps: JpkiDeps, generationId: string): Promise<CaSigner> {
  const row = await deps.database.db.selectFrom('jpki.ca_generations').select(['id', 'kind', 'generation', 'key_ref', 'certificate'])
    .where('id', '=', generationId).executeTakeFirst();
  if (!row) throw jpkiError('JPKI_CA_NOT_INITIALISED');
  return {
    generationId: row.id, kind: row.kind, generation: Number(row.generation),
    certificate: new x509.X509Certificate(new Uint8Array(row.certificate)),
    privateKey: await deps.keyStore.signingKey(row.key_ref),
  };
}

/** The signer of one CA generation. */
export function caSigner(deps: JpkiDeps, generationId: string): Promise<CaSigner> {
  let perStore = cache.get(deps.keyStore);
  if (!perStore) cache.set(deps.keyStore, perStore = new Map());
  let signer = perStore.get(generationId);
  if (!signer) {
    signer = load(deps, generationId);
    // A failed load (e.g. a wrong sealing key) must not stay cached.
    signer.catch(() => perStore.delete(generationId));
    perStore.set(generationId, signer);
  }
  return signer;
}

/** The signer of the generation that currently issues certificates of `kind`. */
export async function issuingSigner(deps: JpkiDeps, kind: CaKind): Promise<CaSigner> {
  const row = await deps.database.db.selectFrom('jpki.ca_generations').select('id').where('kind', '=', kind).where('issuing', '=', true).executeTakeFirst();
  if (!row) throw jpkiError('JPKI_CA_NOT_INITIALISED');
  return caSigner(deps, row.id);
}
