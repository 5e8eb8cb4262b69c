// Kiosk terminals: each belongs to an operator (a store chain, Japan Post, a municipal counter) and proves itself with a credential stored only as a hash.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../../kernel/clock.ts';
import { issuanceError } from '../errors.ts';

/** How a credential is stored and looked up. */
export function credentialHash(credential: string): Buffer {
  return createHash('sha256').update(credential).digest();
}

/** Registers a kiosk of an operator; the credential is returned this once. */
export async function registerKiosk(db: Kysely<any>, clock: Clock, operatorId: string, name: string): Promise<{ kioskId: string; credential: string }> {
  const operator = await db.selectFrom('issuance.operators').select('id').where('id', '=', operatorId).executeTakeFirst();
  if (!operator) throw issuanceError('ISSUANCE_REQUEST_INVALID', { detail: `事業者 ${operatorId} は登録されていません` });
  const credential = `kio_${randomBytes(24).toString('base64url')}`;
  const kioskId = randomUUID();
  await db.insertInto('issuance.kiosks').values({ id: kioskId, operator_id: operatorId, name, credential_hash: credentialHash(credential), created_at: clock.now() }).execute();
  return { kioskId, credential };
}
