// Builds the issuance module: the municipal certificate servers, the centre (given how it reaches them), the document keys, settlement and demo set-up.
import { randomBytes } from 'node:crypto';
import type { Database } from '../../kernel/db/database.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { AuditLog } from '../../kernel/audit/audit-log.ts';
import type { RegistryService } from '../registry/index.ts';
import type { JpkiService } from '../jpki/index.ts';
import { createDocumentKeys } from './document-keys.ts';
import { namedSecret } from './issuance-secrets.ts';
import { createMunicipalServer, DEFAULT_FEES, type MunicipalServer } from './municipal/municipal-server.ts';
import { createCentre, type Centre, type MunicipalServerClient } from './centre/centre.ts';
import { registerKiosk } from './centre/kiosks.ts';
import { registerKoseki } from './centre/koseki-registrations.ts';
import { DEFAULT_COMMISSION_PERIODS, type CommissionPeriod } from './fees/store-commission.ts';
import { settlementStatement } from './settlement.ts';
import { operatingChargeStatement, type OperatingChargeLine } from './operating-charge-statement.ts';
import { addMaintenanceWindow, endMaintenanceWindow, listMaintenanceWindows, removeMaintenanceWindow, type MaintenanceEnding, type ScheduledMaintenance } from './maintenance-windows.ts';
import { createDocumentPool } from './documents/document-pool.ts';
import { createReferenceDataCache, MAINTENANCE_WINDOWS_KEY } from './reference-data-cache.ts';
import type { PayloadKeys } from './documents/verification-payload.ts';
import { verifyCertificatePdf, type CertificateVerification } from './documents/verify-certificate-pdf.ts';
import { CERTIFICATE_KINDS } from './documents/certificate-document.ts';

export interface IssuanceDeps {
  database: Database;
  clock: Clock;
  logger: Logger;
  /** Operator changes (maintenance windows) are recorded here. */
  audit: AuditLog;
  registry: RegistryService;
  jpki: JpkiService;
  sealingKey: Uint8Array;
  /** Deployment settings; each has the default of the seeds. */
  settings?: {
    /** The store commission per copy by period (`MYNA_ISSUANCE_COMMISSION_PERIODS`); default DEFAULT_COMMISSION_PERIODS. */
    commissionPeriods?: readonly CommissionPeriod[];
    /** Worker threads issuing certificate PDFs (`MYNA_DOCUMENT_THREADS`); default one per core, 0 = on the event loop. */
    documentThreads?: number;
  };
}

/** The store operators of the demo (names are generic: no real company's trademark). */
export const DEMO_OPERATORS = [
  { id: 'store-a', name: 'コンビニA', kind: 'convenience_store' },
  { id: 'store-b', name: 'コンビニB', kind: 'convenience_store' },
  { id: 'post-office', name: '郵便局', kind: 'post_office' },
  { id: 'counter', name: '市区町村窓口（窓口交付）', kind: 'counter' },
] as const;

/** Synthetic heads of municipalities for the 公印 and the signature (never a real mayor's name). */
const DEMO_MAYORS: Record<string, string> = { '132047': '鷹野 一郎', '131016': '千代田 花子' };

export function createIssuance(deps: IssuanceDeps) {
  const db = deps.database.db;
  const commissionPeriods = deps.settings?.commissionPeriods ?? DEFAULT_COMMISSION_PERIODS;
  const keys = createDocumentKeys(db, deps.clock, deps.sealingKey);
  const documentPool = createDocumentPool({ threads: deps.settings?.documentThreads });
  const municipalityNames = new Map<string, string>();
  const municipalityName = async (lgCode: string) => {
    let name = municipalityNames.get(lgCode);
    if (!name) {
      name = (await deps.registry.getMunicipality(lgCode)).name;
      municipalityNames.set(lgCode, name);
    }
    return name;
  };

  const cache = createReferenceDataCache();
  const maintenance = { db, clock: deps.clock, audit: deps.audit };
  /** A maintenance change takes effect at once in this process (the kiosks' availability check). */
  const maintenanceChanged = <T>(result: Promise<T>) => result.finally(() => cache.invalidate(MAINTENANCE_WINDOWS_KEY));

  const municipal: MunicipalServer = createMunicipalServer({
    db, clock: deps.clock, registry: deps.registry, cache, mayorName: (lgCode) => DEMO_MAYORS[lgCode] ?? '市区町村長',
    async documents(doc) {
      const [signer, payloadKey] = await Promise.all([keys.signerFor(doc.issuer.lgCode, doc.issuer.municipalityName), keys.payloadKey()]);
      return documentPool.issue(doc, { signer, payloadKey, signingTime: doc.issuedAt });
    },
  });

  // A token never changes once made, so each is read and unsealed once per process (every centre →
  // municipal call checks one).
  const tokens = new Map<string, Promise<string>>();
  const token = (name: string) => {
    let value = tokens.get(name);
    if (!value) {
      value = namedSecret(db, deps.clock, deps.sealingKey, name, async () => ({ secret: Buffer.from(randomBytes(32).toString('base64url')) }))
        .then((s) => s.secret.toString('utf8'));
      value.catch(() => tokens.delete(name));
      tokens.set(name, value);
    }
    return value;
  };

  return {
    municipal,
    /** Ends the document worker threads (the platform's close). */
    close: () => documentPool.close(),
    /** The credential municipal servers accept from the centre. */
    centreToken: () => token('centre-to-municipal-token'),
    /** The centre, reaching municipal servers through `client` (their HTTP API). */
    centre(client: MunicipalServerClient): Centre {
      let credential: Promise<string> | undefined;
      return createCentre({
        db, clock: deps.clock, jpki: deps.jpki, municipal: client, cache, commissionPeriods, municipalityName,
        // Registered once as a JPKI verifier (利用者証明検証者); the credential is kept sealed.
        verifierCredential: () => (credential ??= namedSecret(db, deps.clock, deps.sealingKey, 'centre-verifier-credential', async () => {
          const { credential: issued } = await deps.jpki.registerVerifier({ name: 'J-LIS 証明書交付センター', kind: 'user_authentication' });
          return { secret: Buffer.from(issued) };
        }).then((s) => s.secret.toString('utf8'))),
      });
    },
    /** Registers a kiosk (store multi-copy machine, post-office kiosk, or a counter's customer terminal); the credential is shown once. */
    registerKiosk: (operatorId: string, name: string) => registerKiosk(db, deps.clock, operatorId, name),
    /** 本籍地の利用登録 (at the 本籍地 municipality, or online). */
    registerKoseki: (input: { residentCode: string; honsekiLgCode: string; honseki: string; hittosha: string }) => registerKoseki(db, deps.clock, input),
    /** A planned stop of one municipality's certificate server, or of the whole service (lgCode null); returns it with its id. */
    addMaintenanceWindow: (input: { lgCode: string | null; from: Date; until: Date; reason: string }): Promise<ScheduledMaintenance> => maintenanceChanged(addMaintenanceWindow(maintenance, input)),
    /** Current and upcoming windows: of a municipality (with the whole service's), of the whole service only (null), or all. */
    listMaintenanceWindows: (filter?: { lgCode?: string | null }): Promise<ScheduledMaintenance[]> => listMaintenanceWindows(maintenance, filter),
    /** Ends a window now (one not yet started is removed); `ISSUANCE_MAINTENANCE_NOT_FOUND` for an unknown id. */
    endMaintenanceWindow: (id: string): Promise<MaintenanceEnding> => maintenanceChanged(endMaintenanceWindow(maintenance, id)),
    /** Deletes a window; `ISSUANCE_MAINTENANCE_NOT_FOUND` for an unknown id. */
    removeMaintenanceWindow: (id: string): Promise<ScheduledMaintenance> => maintenanceChanged(removeMaintenanceWindow(maintenance, id)),
    documentTrust: () => keys.trust(),
    /** Anyone who received a certificate: genuine, altered or unknown (`/verify`, `issuance verify`). */
    async verifyDocument(pdf: Uint8Array): Promise<CertificateVerification> {
      const trust = await keys.trust();
      return verifyCertificatePdf(pdf, { pdfSigningCas: [trust.caCertificate], payloadKeys: trust.payloadJwks as unknown as PayloadKeys });
    },
    settlement: (month: string, filter?: { lgCode?: string; operatorId?: string }) => settlementStatement(db, month, filter),
    /** J-LIS's yearly operating charge of each participating municipality for a fiscal year (April–March, JST). */
    operatingCharges: (fiscalYear: number): Promise<OperatingChargeLine[]> => operatingChargeStatement(db, deps.registry, fiscalYear),

    /**
     * Demo set-up (idempotent): the store operators, a municipality taking part with every type at
     * the default fees, and a kiosk whose credential is returned each time (kept sealed).
     */
    async setUpDemo(lgCode: string): Promise<{ kioskCredential: string; operatorName: string }> {
      for (const operator of DEMO_OPERATORS) {
        await db.insertInto('issuance.operators').values(operator).onConflict((oc) => oc.column('id').doNothing()).execute();
      }
      const participant = await db.selectFrom('issuance.participants').select('lg_code').where('lg_code', '=', lgCode).executeTakeFirst();
      if (!participant) {
        await municipal.configureOffers({ apiKeyId: 'system:demo', lgCode, staffName: 'デモデータ作成' },
          CERTIFICATE_KINDS.map((type) => ({ type, feeYen: DEFAULT_FEES[type] })), { koseki: true });
      }
      const stored = await namedSecret(db, deps.clock, deps.sealingKey, 'demo-kiosk-credential', async () =>
        ({ secret: Buffer.from((await this.registerKiosk('store-a', 'デモ店舗 マルチコピー機 1号機')).credential) }));
      return { kioskCredential: stored.secret.toString('utf8'), operatorName: DEMO_OPERATORS[0].name };
    },
  };
}

export type IssuanceService = ReturnType<typeof createIssuance>;
