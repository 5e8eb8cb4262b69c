// Demo data for コンビニ交付: demo card holders registered for 本籍地 certificates, and one of them with a registered seal.
import { jstDate } from '../kernel/clock.ts';
import { syntheticSealPng } from '../modules/issuance/index.ts';
import type { Platform } from './create-platform.ts';

/**
 * For each demo card, reads its holder's 本籍 and 筆頭者 and, when the demo municipality keeps that
 * 戸籍, records the 利用登録 the resident would make — so every certificate type can be tried at
 * the demo kiosk; the first holder without a seal gets one if no holder has any. Idempotent.
 * Returns how many holders were registered.
 */
export async function registerDemoKoseki(platform: Platform, lgCode: string): Promise<number> {
  const staff = { apiKeyId: 'system:demo', lgCode, staffName: 'デモデータ作成' };
  const read = { staff, purpose: 'デモ用カードの本籍地利用登録' };
  let registered = 0;
  let withSeal = false;
  for (const card of await platform.card.listCards({ lgCode, demo: true })) {
    const { items } = await platform.registry.findResidents(read, { residentCode: card.residentCode, limit: 1 });
    if (!items[0]) continue;
    const resident = await platform.registry.getResident(read, items[0].id);
    // At least one holder can print a 印鑑登録証明書 (the synthetic seal of the documents module).
    const seals = await platform.registry.listSeals(read, resident.id);
    if (seals.some((s) => s.status === 'registered')) withSeal = true;
    else if (!withSeal) {
      await platform.registry.registerSeal(staff, resident.id, { image: syntheticSealPng(resident.familyName), imageType: 'image/png', registeredOn: jstDate(platform.clock.now()) });
      withSeal = true;
    }
    if (!resident.honseki || !resident.hittosha) continue;
    const [register] = await platform.registry.findFamilyRegisters(read, { honseki: resident.honseki, hittosha: resident.hittosha });
    if (!register?.members.some((m) => m.residentCode === resident.residentCode)) continue;
    await platform.issuance.registerKoseki({ residentCode: resident.residentCode, honsekiLgCode: lgCode, honseki: resident.honseki, hittosha: resident.hittosha });
    registered += 1;
  }
  return registered;
}
