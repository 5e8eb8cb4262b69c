// The issuance module's own secrets (the centre's verifier credential, document-signing keys): made once, sealed at rest, shared by concurrent first uses.
import type { Kysely } from 'kysely';
import type { Clock } from '../../kernel/clock.ts';
import { purposeKey, seal, unseal } from '../../kernel/crypto/seal.ts';

/** A secret and its optional public part (a certificate, a public key). */
export interface StoredSecret {
  secret: Buffer;
  publicPart: Uint8Array | null;
}

/**
 * The secret called `name`, created by `create` the first time. When two processes create at once,
 * the first insert wins and both use it.
 */
export async function namedSecret(
  db: Kysely<any>, clock: Clock, sealingKey: Uint8Array, name: string,
  create: () => Promise<{ secret: Uint8Array; publicPart?: Uint8Array }>,
): Promise<StoredSecret> {
  const key = purposeKey(sealingKey, 'issuance secrets');
  const read = () => db.selectFrom('issuance.secrets').selectAll().where('name', '=', name).executeTakeFirst();
  let row = await read();
  if (!row) {
    const made = await create();
    const { iv, sealed } = seal(key, name, made.secret);
    await db.insertInto('issuance.secrets').values({ name, iv, sealed, public_part: made.publicPart ? Buffer.from(made.publicPart) : null, created_at: clock.now() })
      .onConflict((oc) => oc.column('name').doNothing()).execute();
    row = (await read())!;
  }
  return { secret: unseal(key, name, { iv: row.iv, sealed: row.sealed }), publicPart: row.public_part ? new Uint8Array(row.public_part) : null };
}
