// Operator operations (migrate, seed, import, audit verify, tenants and keys), the same whether the CLI runs them in-process or through the server.
import type { Readable } from 'node:stream';
import { migrateModules, type ModuleMigrationReport } from '../kernel/db/migrate.ts';
import { verifyAuditChain, type AuditChainReport } from '../kernel/audit/verify-audit-chain.ts';
import type { ImportSummary, Municipality, ProgressListener, SeedSummary } from '../modules/registry/index.ts';
import type { CaGeneration } from '../modules/jpki/index.ts';
import { MODULE_MIGRATIONS, type Platform } from './create-platform.ts';

/** What an operator can do to the platform's data. */
export interface PlatformOperations {
  migrate(): Promise<ModuleMigrationReport[]>;
  listMunicipalities(): Promise<(Municipality & { residents: number })[]>;
  registerMunicipality(input: Municipality): Promise<Municipality>;
  createApiKey(lgCode: string, staffName: string): Promise<{ id: string; apiKey: string }>;
  seed(options: { lgCode: string; residents: number; seed?: string; onProgress?: ProgressListener }): Promise<SeedSummary>;
  importCsv(lgCode: string, csv: Readable, options: { onProgress?: ProgressListener; totalHint?: number }): Promise<ImportSummary>;
  verifyAudit(onProgress?: ProgressListener): Promise<AuditChainReport>;
  /** `jpki init`: creates both CAs, or a new generation of both. */
  jpkiInit(options: { newGeneration?: boolean }): Promise<{ created: CaSummary[]; existing: CaSummary[] }>;
}

/** A CA generation as the CLI shows it (the certificate travels as base64 DER). */
export interface CaSummary {
  kind: string;
  generation: number;
  serialHex: string;
  notBefore: string;
  notAfter: string;
  issuing: boolean;
  certificateBase64: string;
}

function toCaSummary(ca: CaGeneration): CaSummary {
  return {
    kind: ca.kind, generation: ca.generation, serialHex: ca.serialHex, notBefore: ca.notBefore.toISOString(),
    notAfter: ca.notAfter.toISOString(), issuing: ca.issuing, certificateBase64: Buffer.from(ca.certificate).toString('base64'),
  };
}

/** The in-process implementation over an open platform. */
export function platformOperations(platform: Platform): PlatformOperations {
  return {
    migrate: () => migrateModules(platform.database.db, MODULE_MIGRATIONS),
    listMunicipalities: () => platform.registry.listMunicipalities(),
    registerMunicipality: (input) => platform.registry.registerMunicipality(input),
    createApiKey: (lgCode, staffName) => platform.registry.createApiKey(lgCode, staffName),
    seed: (options) => platform.registry.seedMunicipality(options),
    importCsv: (lgCode, csv, options) => platform.registry.importResidentsCsv(lgCode, csv, { actor: { system: 'cli' }, ...options }),
    verifyAudit: (onProgress) => verifyAuditChain(platform.database.db, onProgress),
    async jpkiInit(options) {
      const { created, existing } = await platform.jpki.initCertificateAuthorities(options);
      return { created: created.map(toCaSummary), existing: existing.map(toCaSummary) };
    },
  };
}
