// Municipalities as tenants: registering one, reading one, listing all with their resident counts.
import { sql } from 'kysely';
import { isValidLgCode } from '../../kernel/ids/check-digits.ts';
import type { Municipality } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';
import { registryError } from './errors.ts';

/** Throws REGISTRY_LG_CODE_INVALID unless the code has 6 digits and a right check digit. */
export function requireValidLgCode(lgCode: string): void {
  if (!isValidLgCode(lgCode)) throw registryError('REGISTRY_LG_CODE_INVALID', { detail: '6桁の全国地方公共団体コード（検査数字を含む）を指定してください' });
}

/** Registers a municipality; the LG code's check digit must be right. */
export async function registerMunicipality(ctx: RegistryContext, input: Municipality): Promise<Municipality> {
  requireValidLgCode(input.lgCode);
  const problems = [
    !input.name?.trim() && { field: 'name', reason: '名称は必須です' },
    !input.prefecture?.trim() && { field: 'prefecture', reason: '都道府県は必須です' },
    !/^[\u30A0-\u30FF]+$/.test(input.nameKana ?? '') && { field: 'nameKana', reason: '名称のフリガナは全角カタカナです' },
    !(Number.isInteger(input.population) && input.population >= 0) && { field: 'population', reason: '人口は0以上の整数です' },
  ].filter((p): p is { field: string; reason: string } => Boolean(p));
  if (problems.length > 0) throw registryError('REGISTRY_RESIDENT_INVALID', { message: '地方公共団体の登録内容が不正です', problems });
  const inserted = await ctx.db.insertInto('registry.municipalities').values({
    lg_code: input.lgCode, name: input.name.trim(), name_kana: input.nameKana, prefecture: input.prefecture.trim(),
    population: input.population, created_at: ctx.clock.now(),
  }).onConflict((oc) => oc.column('lg_code').doNothing()).returning('lg_code').executeTakeFirst();
  if (!inserted) throw registryError('REGISTRY_MUNICIPALITY_EXISTS', { detail: input.lgCode });
  await ctx.audit.record({ actor: { kind: 'system', id: 'registry', name: 'registry' }, lgCode: input.lgCode, action: 'registry.municipality.register', detail: { name: input.name } });
  return getMunicipality(ctx, input.lgCode);
}

export async function getMunicipality(ctx: RegistryContext, lgCode: string): Promise<Municipality> {
  requireValidLgCode(lgCode);
  const row = await ctx.db.selectFrom('registry.municipalities').selectAll().where('lg_code', '=', lgCode).executeTakeFirst();
  if (!row) throw registryError('REGISTRY_MUNICIPALITY_NOT_FOUND', { detail: `地方公共団体コード ${lgCode}` });
  return { lgCode: row.lg_code, name: row.name, nameKana: row.name_kana, prefecture: row.prefecture, population: row.population };
}

export async function listMunicipalities(ctx: RegistryContext): Promise<(Municipality & { residents: number })[]> {
  const rows = await ctx.db.selectFrom('registry.municipalities as m')
    .select(['m.lg_code', 'm.name', 'm.name_kana', 'm.prefecture', 'm.population'])
    .select(sql<number>`(SELECT count(*) FROM registry.residents r WHERE r.lg_code = m.lg_code AND r.status IN ('active', 'moving_out'))::int`.as('residents'))
    .orderBy('m.lg_code').execute();
  return rows.map((r) => ({ lgCode: r.lg_code, name: r.name, nameKana: r.name_kana, prefecture: r.prefecture, population: r.population, residents: Number(r.residents) }));
}
