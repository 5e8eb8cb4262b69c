// What every card use case shares: the database, clock, audit log, the registry and JPKI services, and the chip store.
import type { Kysely } from 'kysely';
import type { Clock } from '../../kernel/clock.ts';
import type { AuditLog } from '../../kernel/audit/audit-log.ts';
import type { Logger } from '../../kernel/logger.ts';
import type { RegistryService, ResidentRecord, StaffPrincipal } from '../registry/index.ts';
import type { JpkiService } from '../jpki/index.ts';
import type { CardSettings } from './contract.ts';
import type { ChipStore } from './chip-store.ts';
import type { IssuerKey } from './issuer-key.ts';

export interface CardContext {
  db: Kysely<any>;
  clock: Clock;
  audit: AuditLog;
  logger: Logger;
  registry: RegistryService;
  jpki: JpkiService;
  settings: CardSettings;
  chips: ChipStore;
  /** The card-face data signing key (loaded once). */
  issuerKey(): Promise<IssuerKey>;
  /** A CA generation's certificate (cached: a generation's certificate never changes). */
  caCertificate(kind: 'auth' | 'sign', generation: number): Promise<Uint8Array>;
  /** Seals the PINs chosen at an application visit until production writes them. */
  pinSealingKey: Uint8Array;
}

/** The principal J-LIS's card production and call centre read the registry as (their reads are audited under it). */
export function systemPrincipal(lgCode: string, name: string): StaffPrincipal {
  return { apiKeyId: `system:${name}`, lgCode, staffName: name };
}

/** A resident by 住民票コード, read for a stated purpose (the read is audited). */
export async function residentByCode(ctx: CardContext, staff: StaffPrincipal, residentCode: string, purpose: string): Promise<ResidentRecord> {
  const read = { staff, purpose };
  const { items } = await ctx.registry.findResidents(read, { residentCode, limit: 1 });
  const found = items[0];
  if (!found) throw new Error(`resident ${residentCode} not found in ${staff.lgCode}`);
  return ctx.registry.getResident(read, found.id);
}
