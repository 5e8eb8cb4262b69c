// Builds the JPKI service from its dependencies.
import type { JpkiService } from './contract.ts';
import type { JpkiDeps } from './config.ts';
import { caGenerations, initCertificateAuthorities, issuingCa } from './ca-generations.ts';
import { issueCertificate } from './issue-certificate.ts';
import { applyResidentChange, holdCertificate, releaseHold, revokeCertificate } from './revoke-certificate.ts';
import { findCertificate, selectCertificates, toCertificateRecord } from './certificate-records.ts';
import { registerVerifier, toVerifierRecord } from './verifiers/register-verifier.ts';
import { createVerifierAuthenticator } from './verifiers/authenticate-verifier.ts';
import { createUsageMeter } from './verifiers/usage-meter.ts';
import { monthlyStatement } from './verifiers/monthly-statement.ts';

/**
 * Creates the JPKI service. Migrations must have run (jpkiMigrations).
 *
 * @example
 * const jpki = createJpki({ database, clock, audit, logger, keyStore: createSealedKeyStore(db, clock, key) });
 * await jpki.initCertificateAuthorities();
 */
export function createJpki(deps: JpkiDeps): JpkiService {
  const db = deps.database.db;
  const meter = createUsageMeter(deps);
  const authenticateVerifier = createVerifierAuthenticator(deps);
  return {
    initCertificateAuthorities: (options) => initCertificateAuthorities(deps, options),
    caGenerations: (kind) => caGenerations(deps, kind),
    issuingCa: (kind) => issuingCa(deps, kind),
    issueCertificate: (input) => issueCertificate(deps, input),
    getCertificate: (ref) => findCertificate(db, ref),
    certificatesOfResident: async (residentCode) => {
      const rows = await selectCertificates(db).innerJoin('jpki.holders as h', 'h.id', 'c.holder_id')
        .where('h.resident_code', '=', residentCode).orderBy('c.issued_at', 'desc').execute();
      return rows.map(toCertificateRecord);
    },
    revokeCertificate: (ref, reason, source) => revokeCertificate(deps, ref, reason, source),
    holdCertificate: (ref, source) => holdCertificate(deps, ref, source),
    releaseHold: (ref, source) => releaseHold(deps, ref, source),
    applyResidentChange: (notice) => applyResidentChange(deps, notice),

    registerVerifier: (input) => registerVerifier(deps, input),
    listVerifiers: async () => (await db.selectFrom('jpki.verifiers').selectAll().orderBy('created_at').execute()).map(toVerifierRecord),
    authenticateVerifier,
    countUsage: (verifier, service) => meter.count(verifier.id, service),
    monthlyStatement: async (verifierId, month) => {
      await meter.flush();
      return monthlyStatement(deps, verifierId, month);
    },

    startBackgroundWork() {
      meter.start();
    },
    async stopBackgroundWork() {
      await meter.stop();
    },
  };
}
