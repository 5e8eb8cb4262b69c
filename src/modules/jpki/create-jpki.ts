// Builds the JPKI service from its dependencies.
import type { CaKind, JpkiService } from './contract.ts';
import type { JpkiDeps } from './config.ts';
import { caGenerations, initCertificateAuthorities, issuingCa } from './ca-generations.ts';
import { issueCertificate } from './issue-certificate.ts';
import { applyResidentChange, holdCertificate, releaseHold, revokeCertificate } from './revoke-certificate.ts';
import { findCertificate, findHolder, selectCertificates, toCertificateRecord } from './certificate-records.ts';
import { currentCrl, generateCrl } from './crl/publish-crl.ts';
import { createOcspResponder } from './ocsp/ocsp-responder.ts';
import { decodeOcspGetPath } from './ocsp/parse-ocsp-request.ts';
import { createVerificationService } from './verification/verification-service.ts';
import { enqueueStatusWebhooks } from './webhooks/enqueue-status-webhooks.ts';
import { createWebhookDispatcher } from './webhooks/webhook-dispatcher.ts';
import { webhookPublicJwks } from './webhooks/webhook-signer.ts';
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
export function createJpki(input: JpkiDeps): JpkiService {
  // Revocation push rides on every status change; a Set keeps it from being registered twice.
  const deps: JpkiDeps = { ...input, statusChangeListeners: [...new Set([...(input.statusChangeListeners ?? []), enqueueStatusWebhooks])] };
  const db = deps.database.db;
  const webhooks = createWebhookDispatcher(deps);
  const meter = createUsageMeter(deps);
  const authenticateVerifier = createVerifierAuthenticator(deps);
  const ocsp = createOcspResponder(deps);
  const verification = createVerificationService(deps);
  let crlTimer: NodeJS.Timeout | undefined;

  /** See JpkiService.answerOcsp. */
  async function answerOcsp(credential: string | undefined, kind: CaKind, request: Uint8Array | undefined): Promise<Uint8Array> {
    let verifierId: string;
    try {
      verifierId = (await authenticateVerifier(credential)).id;
    } catch {
      return ocsp.unauthorized();
    }
    const response = await ocsp.respond(kind, request);
    meter.count(verifierId, 'ocsp');
    return response;
  }

  /** The scheduled CRLs: every generation of both CAs that has not expired (old cards still use them). */
  async function publishScheduledCrls(): Promise<void> {
    for (const kind of ['sign', 'auth'] as const) {
      for (const ca of await caGenerations(deps, kind)) {
        if (ca.notAfter.getTime() <= deps.clock.now().getTime()) continue;
        try {
          await generateCrl(deps, kind, ca.generation);
        } catch (error) {
          deps.logger.error({ err: error, kind, generation: ca.generation }, 'scheduled CRL generation failed');
        }
      }
    }
  }
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
    holderOf: (ref) => findHolder(db, ref),
    revokeCertificate: (ref, reason, source) => revokeCertificate(deps, ref, reason, source),
    holdCertificate: (ref, source) => holdCertificate(deps, ref, source),
    releaseHold: (ref, source) => releaseHold(deps, ref, source),
    applyResidentChange: (notice) => applyResidentChange(deps, notice),

    generateCrl: (kind, generation) => generateCrl(deps, kind, generation),
    currentCrl: (kind, generation) => currentCrl(deps, kind, generation),

    async downloadCrl(credential, kind, generation) {
      const verifier = await authenticateVerifier(credential);
      const crl = await currentCrl(deps, kind, generation);
      meter.count(verifier.id, 'crl');
      return crl;
    },
    answerOcsp,
    answerOcspGet(credential, kind, pathSegment) {
      let request: Uint8Array | undefined;
      try {
        request = decodeOcspGetPath(pathSegment);
      } catch {
        request = undefined;
      }
      return answerOcsp(credential, kind, request);
    },

    async verifySignature(credential, request) {
      const verifier = await authenticateVerifier(credential);
      const result = await verification.verify(verifier, request);
      meter.count(verifier.id, 'verify');
      return result;
    },
    async storedCertificateStatus(credential, certificateId) {
      const verifier = await authenticateVerifier(credential);
      const status = await verification.storedCertificateStatus(verifier, certificateId);
      meter.count(verifier.id, 'verify');
      return status;
    },
    async setSubscription(credential, certificateId, subscribed) {
      await verification.setSubscription(await authenticateVerifier(credential), certificateId, subscribed);
    },

    webhookJwks: () => webhookPublicJwks(deps),
    deliverWebhooks: () => webhooks.deliverDue(),

    registerVerifier: (verifier) => registerVerifier(deps, verifier),
    listVerifiers: async () => (await db.selectFrom('jpki.verifiers').selectAll().orderBy('created_at').execute()).map(toVerifierRecord),
    authenticateVerifier,
    countUsage: (verifier, service) => meter.count(verifier.id, service),
    monthlyStatement: async (verifierId, month) => {
      await meter.flush();
      return monthlyStatement(deps, verifierId, month);
    },

    startBackgroundWork() {
      meter.start();
      webhooks.start();
      if (crlTimer) return;
      void publishScheduledCrls();
      crlTimer = setInterval(() => void publishScheduledCrls(), deps.settings.crlIntervalMinutes * 60_000);
      crlTimer.unref();
    },
    async stopBackgroundWork() {
      if (crlTimer) clearInterval(crlTimer);
      crlTimer = undefined;
      await webhooks.stop();
      await meter.stop();
    },
  };
}
