// Finds the numbering master key: the configured one, or the one this database generated on first use.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { deriveNumberingKeys, type NumberingKeys } from './numbering.ts';
import type { RegistryDb } from './db/tables.ts';

/**
 * A configured key (MYNA_NUMBERING_KEY) wins. Without one, the first start stores a random key in
 * registry.numbering_key so numbers stay re-derivable for this database; production sets the
 * variable and keeps the key in an HSM or secret store instead (docs/config.md).
 */
export async function loadNumberingKeys(db: RegistryDb, configured: Uint8Array | undefined): Promise<{ keys: NumberingKeys; source: 'config' | 'database' }> {
  if (configured) return { keys: deriveNumberingKeys(configured), source: 'config' };
  await sql`INSERT INTO registry.numbering_key (id, key) VALUES (1, ${randomBytes(32)}) ON CONFLICT (id) DO NOTHING`.execute(db);
  const row = await db.selectFrom('registry.numbering_key').select('key').where('id', '=', 1).executeTakeFirstOrThrow();
  return { keys: deriveNumberingKeys(new Uint8Array(row.key)), source: 'database' };
}

/**
 * Reserves `count` consecutive 住民票コード sequence numbers (the row stays locked until the
 * caller's transaction ends, so concurrent imports take disjoint ranges).
 */
export async function reserveResidentCodeSequence(tx: RegistryDb, count: number): Promise<number> {
  const result = await sql<{ first: number }>`
    UPDATE registry.code_sequence SET next = next + ${count} WHERE id = 1 RETURNING next - ${count} AS first`.execute(tx);
  return Number(result.rows[0]!.first);
}
