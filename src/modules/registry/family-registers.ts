// 戸籍 summaries: reading one family register, or finding them by 本籍 and 筆頭者, within the staff member's municipality (the 本籍地).
import type { FamilyRegister, ReadContext, Sex } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';
import type { RegistryDb } from './db/tables.ts';
import { checkPurpose, recordRead } from './resident-access.ts';
import { registryError } from './errors.ts';
import { isUuid } from '../../kernel/ids/uuid.ts';

const MAX_RESULTS = 50;

/**
 * One family register of the municipality (audited: one record per member with a 住民票コード,
 * or one about the register itself when none has).
 *
 * @throws REGISTRY_FAMILY_REGISTER_NOT_FOUND, REGISTRY_PURPOSE_REQUIRED
 */
export async function getFamilyRegister(ctx: RegistryContext, read: ReadContext, familyRegisterId: string): Promise<FamilyRegister> {
  checkPurpose(read.purpose);
  if (!isUuid(familyRegisterId)) throw registryError('REGISTRY_FAMILY_REGISTER_NOT_FOUND');
  const register = await ctx.db.selectFrom('registry.family_registers').selectAll()
    .where('id', '=', familyRegisterId).where('lg_code', '=', read.staff.lgCode).executeTakeFirst();
  if (!register) throw registryError('REGISTRY_FAMILY_REGISTER_NOT_FOUND');
  const [result] = await withMembers(ctx.db, [register]) as [FamilyRegister];
  await recordRegisterRead(ctx, read, 'registry.family-register.read', [result]);
  return result;
}

/**
 * Family registers whose 本籍 starts with `honseki` and/or whose 筆頭者 is `hittosha` (at most 50).
 *
 * @throws REGISTRY_RESIDENT_INVALID when neither is given, REGISTRY_PURPOSE_REQUIRED
 */
export async function findFamilyRegisters(ctx: RegistryContext, read: ReadContext, query: { honseki?: string; hittosha?: string }): Promise<FamilyRegister[]> {
  checkPurpose(read.purpose);
  const honseki = query.honseki?.trim();
  const hittosha = query.hittosha?.trim();
  if (!honseki && !hittosha) throw registryError('REGISTRY_RESIDENT_INVALID', { message: '本籍または筆頭者を指定してください', problems: [{ field: 'honseki', code: 'REQUIRED', reason: '本籍または筆頭者を指定してください' }] });
  let base = ctx.db.selectFrom('registry.family_registers').selectAll().where('lg_code', '=', read.staff.lgCode);
  if (honseki) base = base.where('honseki', 'like', `${honseki.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (hittosha) base = base.where('hittosha', '=', hittosha);
  const registers = await base.orderBy('honseki').orderBy('hittosha').limit(MAX_RESULTS).execute();
  const results = await withMembers(ctx.db, registers);
  await recordRegisterRead(ctx, read, 'registry.family-register.search', results);
  return results;
}

async function withMembers(db: RegistryDb, registers: { id: string; lg_code: string; honseki: string; hittosha: string }[]): Promise<FamilyRegister[]> {
  if (registers.length === 0) return [];
  const members = await db.selectFrom('registry.family_register_members').selectAll()
    .where('family_register_id', 'in', registers.map((r) => r.id)).orderBy('family_register_id').orderBy('position').execute();
  return registers.map((r) => ({
    id: r.id,
    lgCode: r.lg_code,
    honseki: r.honseki,
    hittosha: r.hittosha,
    members: members.filter((m) => m.family_register_id === r.id).map((m) => ({
      position: m.position,
      familyName: m.family_name,
      givenName: m.given_name,
      birthDate: m.birth_date,
      sex: m.sex as Sex,
      relationship: m.relationship,
      residentCode: m.resident_code,
    })),
  }));
}

/** Members with a 住民票コード find the read in their own access record; a register without any is recorded under its id. */
async function recordRegisterRead(ctx: RegistryContext, read: ReadContext, action: string, registers: FamilyRegister[]): Promise<void> {
  const codes = registers.flatMap((r) => r.members.map((m) => m.residentCode).filter((c): c is string => c !== null));
  await recordRead(ctx, read, action, codes, { familyRegisters: registers.length });
  const withoutResidents = registers.filter((r) => r.members.every((m) => m.residentCode === null));
  if (withoutResidents.length === 0) return;
  await ctx.audit.record(...withoutResidents.map((r) => ({
    actor: { kind: 'staff' as const, id: read.staff.apiKeyId, name: read.staff.staffName },
    lgCode: read.staff.lgCode,
    action,
    subject: { kind: 'family-register', ref: r.id },
    purpose: checkPurpose(read.purpose),
  })));
}
