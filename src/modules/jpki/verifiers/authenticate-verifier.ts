// Resolving a verifier's credential (HTTP header) to the verifier, with a short cache for the OCSP hot path.
import type { JpkiDeps } from '../config.ts';
import type { VerifierRecord } from '../contract.ts';
import { jpkiError } from '../errors.ts';
import { credentialHash, toVerifierRecord } from './register-verifier.ts';

/** How long a positive lookup is trusted; a deactivated verifier is refused at most this late. */
const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;

/** The header a verifier sends its credential in (`openssl ocsp -header X-JPKI-Verifier-Key=<credential>`). */
export const VERIFIER_HEADER = 'x-jpki-verifier-key';

/**
 * A function from credential to verifier; throws JPKI_VERIFIER_UNKNOWN for a missing, unknown or
 * deactivated one.
 */
export function createVerifierAuthenticator(deps: JpkiDeps): (credential: string | undefined) => Promise<VerifierRecord> {
  const cache = new Map<string, { verifier: VerifierRecord; until: number }>();
  return async (credential) => {
    if (typeof credential !== 'string' || credential.length === 0 || credential.length > 200) throw jpkiError('JPKI_VERIFIER_UNKNOWN');
    const hash = credentialHash(credential);
    const key = hash.toString('base64');
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.verifier;
    const row = await deps.database.db.selectFrom('jpki.verifiers').selectAll().where('credential_hash', '=', hash).where('active', '=', true).executeTakeFirst();
    if (!row) {
      cache.delete(key);
      throw jpkiError('JPKI_VERIFIER_UNKNOWN');
    }
    if (cache.size >= CACHE_MAX) cache.clear();
    const verifier = toVerifierRecord(row);
    cache.set(key, { verifier, until: now + CACHE_MS });
    return verifier;
  };
}
