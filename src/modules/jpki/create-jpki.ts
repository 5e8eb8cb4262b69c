// Builds the JPKI service from its dependencies.
import type { JpkiService } from './contract.ts';
import type { JpkiDeps } from './config.ts';
import { caGenerations, initCertificateAuthorities, issuingCa } from './ca-generations.ts';

/**
 * Creates the JPKI service. Migrations must have run (jpkiMigrations).
 *
 * @example
 * const jpki = createJpki({ database, clock, audit, logger, keyStore: createSealedKeyStore(db, clock, key) });
 * await jpki.initCertificateAuthorities();
 */
export function createJpki(deps: JpkiDeps): JpkiService {
  return {
    initCertificateAuthorities: (options) => initCertificateAuthorities(deps, options),
    caGenerations: (kind) => caGenerations(deps, kind),
    issuingCa: (kind) => issuingCa(deps, kind),
  };
}
