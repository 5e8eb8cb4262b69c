// 本籍地の利用登録: a resident asks that the kiosk may reach their 本籍地 municipality for 戸籍 certificates.
import type { Kysely } from 'kysely';
import type { Clock } from '../../../kernel/clock.ts';

/** Registers (or moves) a resident's 本籍地 for 戸籍 certificates at the kiosk. */
export async function registerKoseki(db: Kysely<any>, clock: Clock, input: { residentCode: string; honsekiLgCode: string; honseki: string; hittosha: string }): Promise<void> {
  await db.insertInto('issuance.koseki_registrations').values({ resident_code: input.residentCode, honseki_lg_code: input.honsekiLgCode, honseki: input.honseki, hittosha: input.hittosha, registered_at: clock.now() })
    .onConflict((oc) => oc.column('resident_code').doUpdateSet({ honseki_lg_code: input.honsekiLgCode, honseki: input.honseki, hittosha: input.hittosha })).execute();
}
