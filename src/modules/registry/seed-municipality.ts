// Seeds a municipality with a deterministic synthetic population (same seed → same people) through the bulk import.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { jstDate } from '../../kernel/clock.ts';
import type { Municipality, ProgressListener, SeedSummary } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';
import { registryError } from './errors.ts';
import { getMunicipality, registerMunicipality } from './municipalities.ts';
import { importResidents, type ImportItem } from './import-residents.ts';
import { generateHouseholds, type SyntheticHousehold } from './seed/generate-population.ts';
import { DEMO_MUNICIPALITIES } from './seed/demo-municipalities.ts';

interface PendingExtras {
  seal?: SyntheticHousehold['seals'][number];
  taxes: SyntheticHousehold['taxes'];
}

interface PendingFamilyRegister {
  honseki: string;
  hittosha: string;
  members: { residentId: string; relationship: string; familyName: string; givenName: string; birthDate: string; sex: 'male' | 'female' }[];
}

/**
 * Registers the municipality if it is a known demo one, then generates and imports `residents`
 * people with their seal registrations, tax records and family-register summaries, in one transaction.
 */
export async function seedMunicipality(ctx: RegistryContext, options: { lgCode: string; residents: number; seed?: string; onProgress?: ProgressListener }): Promise<SeedSummary> {
  if (!Number.isInteger(options.residents) || options.residents < 1 || options.residents > 10_000_000) {
    throw registryError('REGISTRY_RESIDENT_INVALID', { message: '住民数は1〜10,000,000の整数です' });
  }
  const { municipality, created } = await findOrRegister(ctx, options.lgCode);
  const existing = await ctx.db.selectFrom('registry.residents').select(sql<number>`count(*)::int`.as('n')).where('lg_code', '=', options.lgCode).executeTakeFirstOrThrow();
  if (Number(existing.n) > 0) {
    throw registryError('REGISTRY_SEED_NOT_EMPTY', { detail: `${municipality.name}には既に ${Number(existing.n)} 人の住民が登録されています` });
  }

  const extras = new Map<string, PendingExtras>();
  const familyRegisters: PendingFamilyRegister[] = [];
  const codesOfRegisterMembers = new Map<string, string>();
  let seals = 0;
  let taxRecords = 0;
  let familyRegisterCount = 0;

  function* items(): Generator<ImportItem> {
    let line = 0;
    for (const household of generateHouseholds({
      lgCode: municipality.lgCode, municipalityName: municipality.name, prefecture: municipality.prefecture,
      residents: options.residents, seed: options.seed ?? 'myna-demo', asOf: jstDate(ctx.clock.now()),
    })) {
      const ids = household.members.map(() => randomUUID());
      household.seals.forEach((s) => { (extras.get(ids[s.memberIndex]!) ?? setNew(ids[s.memberIndex]!)).seal = s; });
      household.taxes.forEach((t) => { (extras.get(ids[t.memberIndex]!) ?? setNew(ids[t.memberIndex]!)).taxes.push(t); });
      if (household.familyRegister) {
        familyRegisters.push({
          honseki: household.familyRegister.honseki,
          hittosha: household.familyRegister.hittosha,
          members: household.familyRegister.members.map((m) => {
            const person = household.members[m.memberIndex]!;
            codesOfRegisterMembers.set(ids[m.memberIndex]!, '');
            return { residentId: ids[m.memberIndex]!, relationship: m.relationship, familyName: person.familyName, givenName: person.givenName, birthDate: person.birthDate, sex: person.sex };
          }),
        });
      }
      for (const [i, row] of household.members.entries()) yield { line: ++line, row, residentId: ids[i]! };
    }
  }
  function setNew(id: string): PendingExtras {
    const e: PendingExtras = { taxes: [] };
    extras.set(id, e);
    return e;
  }

  const summary = await importResidents(ctx, items(), {
    lgCode: municipality.lgCode,
    actor: { system: 'seed' },
    totalHint: options.residents,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    afterChunk: async (tx, imported) => {
      const sealRows: unknown[][] = [];
      const taxRows: unknown[][] = [];
      for (const person of imported) {
        if (codesOfRegisterMembers.has(person.residentId)) codesOfRegisterMembers.set(person.residentId, person.residentCode);
        const e = extras.get(person.residentId);
        if (!e) continue;
        extras.delete(person.residentId);
        if (e.seal) sealRows.push([randomUUID(), municipality.lgCode, person.residentId, e.seal.registrationNo, Buffer.from(e.seal.imageSvg, 'utf8'), 'image/svg+xml', 'registered', e.seal.registeredOn, null]);
        for (const t of e.taxes) taxRows.push([randomUUID(), municipality.lgCode, person.residentId, t.fiscalYear, t.incomeYen, t.taxYen]);
      }
      seals += await tx.copyInto('registry.seal_registrations', ['id', 'lg_code', 'resident_id', 'registration_no', 'image', 'image_type', 'status', 'registered_on', 'abolished_on'], sealRows);
      taxRecords += await tx.copyInto('registry.tax_records', ['id', 'lg_code', 'resident_id', 'fiscal_year', 'income_yen', 'tax_yen'], taxRows);
    },
    beforeCommit: async (tx) => {
      const registerRows: unknown[][] = [];
      const memberRows: unknown[][] = [];
      const now = ctx.clock.now();
      // 本籍 + 筆頭者 identify a 戸籍; a rare synthetic collision keeps only the first.
      const seen = new Set<string>();
      for (const fr of familyRegisters) {
        const key = `${fr.honseki}\u0000${fr.hittosha}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const id = randomUUID();
        registerRows.push([id, municipality.lgCode, fr.honseki, fr.hittosha, now]);
        fr.members.forEach((m, position) => memberRows.push([id, position + 1, m.familyName, m.givenName, m.birthDate, m.sex, m.relationship, codesOfRegisterMembers.get(m.residentId) || null]));
      }
      familyRegisterCount = await tx.copyInto('registry.family_registers', ['id', 'lg_code', 'honseki', 'hittosha', 'created_at'], registerRows);
      await tx.copyInto('registry.family_register_members', ['family_register_id', 'position', 'family_name', 'given_name', 'birth_date', 'sex', 'relationship', 'resident_code'], memberRows);
    },
  });
  return { ...summary, municipality, created, seals, taxRecords, familyRegisters: familyRegisterCount };
}

async function findOrRegister(ctx: RegistryContext, lgCode: string): Promise<{ municipality: Municipality; created: boolean }> {
  try {
    return { municipality: await getMunicipality(ctx, lgCode), created: false };
  } catch (error) {
    const demo = DEMO_MUNICIPALITIES.find((m) => m.lgCode === lgCode);
    if (!demo) throw error;
    return { municipality: await registerMunicipality(ctx, demo), created: true };
  }
}
