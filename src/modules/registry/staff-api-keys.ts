// Staff API keys: one municipality each, stored only as a SHA-256 hash, shown once when created.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { kernelError } from '../../kernel/errors.ts';
import type { StaffPrincipal } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';
import { getMunicipality } from './municipalities.ts';
import { registryError } from './errors.ts';

const KEY_PREFIX = 'mnk_';

function hashKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}

/** Creates a key for a staff member of a municipality. The plain key is returned once and never stored. */
export async function createApiKey(ctx: RegistryContext, lgCode: string, staffName: string): Promise<{ id: string; apiKey: string }> {
  await getMunicipality(ctx, lgCode);
  const name = staffName.trim();
  if (name.length === 0 || name.length > 60) throw registryError('REGISTRY_RESIDENT_INVALID', { message: '職員名は1〜60文字です' });
  const id = randomUUID();
  const apiKey = `${KEY_PREFIX}${lgCode}_${randomBytes(24).toString('base64url')}`;
  await ctx.db.insertInto('registry.api_keys').values({ id, lg_code: lgCode, staff_name: name, key_hash: hashKey(apiKey), created_at: ctx.clock.now(), revoked_at: null }).execute();
  await ctx.audit.record({ actor: { kind: 'system', id: 'registry', name: 'registry' }, lgCode, action: 'registry.api-key.create', detail: { apiKeyId: id, staffName: name } });
  return { id, apiKey };
}

/** Resolves a key to its staff member. */
export async function authenticate(ctx: RegistryContext, apiKey: string): Promise<StaffPrincipal> {
  if (!apiKey.startsWith(KEY_PREFIX) || apiKey.length > 200) throw kernelError('KERNEL_AUTH_INVALID');
  const row = await ctx.db.selectFrom('registry.api_keys').select(['id', 'lg_code', 'staff_name', 'revoked_at'])
    .where('key_hash', '=', hashKey(apiKey)).executeTakeFirst();
  if (!row || row.revoked_at) throw kernelError('KERNEL_AUTH_INVALID');
  return { apiKeyId: row.id, lgCode: row.lg_code, staffName: row.staff_name };
}
