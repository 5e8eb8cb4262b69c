// 印鑑登録: registering a resident's seal impression (印影), abolishing it, and audited reads of the registrations and images.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { ageOn, jstDate } from '../../kernel/clock.ts';
import type { Problem } from '../../kernel/errors.ts';
import type { ReadContext, SealRegistration, StaffPrincipal } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';
import type { RegistryDb, SealRegistrationsTable } from './db/tables.ts';
import { checkPurpose, loadResident, recordRead, requireActive } from './resident-access.ts';
import { checkDate, collectProblems, throwIfProblems } from './change-input-checks.ts';
import { registryError } from './errors.ts';
import { isUuid } from '../../kernel/ids/uuid.ts';

/** 印鑑登録 is open from 15 years of age (印鑑登録事務処理要領, taken over by each municipality's 印鑑条例). */
const MIN_AGE = 15;
const MAX_IMAGE_BYTES = 200 * 1024;
/** Numbers this module gives registrations: 'IN' + 8 digits, unique per municipality. */
const REGISTRATION_NO = /^IN\d{8}$/;

type SealRow = Omit<SealRegistrationsTable, 'image'>;

/**
 * Registers a seal for an active resident aged 15 or over who has no registered seal yet.
 *
 * @throws REGISTRY_SEAL_IMAGE_INVALID (with problems), REGISTRY_DATE_INVALID, REGISTRY_RESIDENT_NOT_FOUND,
 *   REGISTRY_RESIDENT_NOT_ACTIVE, REGISTRY_MOVE_OUT_PENDING, REGISTRY_SEAL_NOT_ELIGIBLE, REGISTRY_SEAL_ALREADY_REGISTERED
 * @example
 * await registerSeal(ctx, staff, residentId, { image: pngBytes, imageType: 'image/png', registeredOn: '2026-11-24' });
 */
export async function registerSeal(ctx: RegistryContext, staff: StaffPrincipal, residentId: string, input: { image: Uint8Array; imageType: string; registeredOn: string }): Promise<SealRegistration> {
  const imageProblems = checkSealImage(input.image, input.imageType);
  if (imageProblems.length > 0) throw registryError('REGISTRY_SEAL_IMAGE_INVALID', { detail: imageProblems.map((p) => p.reason).join(' / '), problems: imageProblems });
  const now = ctx.clock.now();
  const today = jstDate(now);
  return ctx.db.transaction().execute(async (tx) => {
    const resident = await loadResident(tx, staff, residentId, { forUpdate: true });
    requireActive(resident);
    const { problems, report } = collectProblems();
    checkDate(report, 'registeredOn', '登録日', input.registeredOn, {
      latest: today,
      earliest: { date: resident.registered_on, reason: '登録日が住民となった年月日より前です' },
    });
    throwIfProblems(problems);
    if (ageOn(resident.birth_date, input.registeredOn) < MIN_AGE) {
      throw registryError('REGISTRY_SEAL_NOT_ELIGIBLE', { detail: `${MIN_AGE}歳未満の方は印鑑登録できません` });
    }
    const existing = await tx.selectFrom('registry.seal_registrations').select('registration_no')
      .where('resident_id', '=', resident.id).where('status', '=', 'registered').executeTakeFirst();
    if (existing) throw registryError('REGISTRY_SEAL_ALREADY_REGISTERED', { detail: `登録番号 ${existing.registration_no}。新しい印鑑は廃止の後に登録します` });

    const row: SealRow = {
      id: randomUUID(), lg_code: staff.lgCode, resident_id: resident.id, registration_no: await nextRegistrationNo(tx, staff.lgCode),
      image_type: input.imageType, status: 'registered', registered_on: input.registeredOn, abolished_on: null,
    };
    await tx.insertInto('registry.seal_registrations').values({ ...row, image: input.image }).execute();
    await ctx.audit.recordIn(tx, {
      actor: { kind: 'staff', id: staff.apiKeyId, name: staff.staffName }, lgCode: staff.lgCode, action: 'registry.seal.register',
      subject: { kind: 'resident', ref: resident.resident_code }, detail: { registrationNo: row.registration_no },
    });
    return toSealRegistration(row);
  });
}

/**
 * Abolishes (廃止) a registered seal.
 *
 * @throws REGISTRY_SEAL_NOT_FOUND, REGISTRY_SEAL_ALREADY_ABOLISHED, REGISTRY_DATE_INVALID
 */
export async function abolishSeal(ctx: RegistryContext, staff: StaffPrincipal, sealId: string, input: { abolishedOn: string }): Promise<SealRegistration> {
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const seal = await sealWithResident(tx, staff.lgCode, sealId, { forUpdate: true });
    if (seal.status !== 'registered') throw registryError('REGISTRY_SEAL_ALREADY_ABOLISHED', { detail: `廃止日 ${seal.abolished_on ?? ''}` });
    const { problems, report } = collectProblems();
    checkDate(report, 'abolishedOn', '廃止日', input.abolishedOn, {
      latest: jstDate(now),
      earliest: { date: seal.registered_on, reason: '廃止日が登録日より前です' },
    });
    throwIfProblems(problems);
    await tx.updateTable('registry.seal_registrations').set({ status: 'abolished', abolished_on: input.abolishedOn }).where('id', '=', seal.id).execute();
    await ctx.audit.recordIn(tx, {
      actor: { kind: 'staff', id: staff.apiKeyId, name: staff.staffName }, lgCode: staff.lgCode, action: 'registry.seal.abolish',
      subject: { kind: 'resident', ref: seal.resident_code }, detail: { registrationNo: seal.registration_no },
    });
    return toSealRegistration({ ...seal, status: 'abolished', abolished_on: input.abolishedOn });
  });
}

/** A resident's seal registrations, registered and abolished, oldest first (audited read). */
export async function listSeals(ctx: RegistryContext, read: ReadContext, residentId: string): Promise<SealRegistration[]> {
  checkPurpose(read.purpose);
  const resident = await loadResident(ctx.db, read.staff, residentId);
  const rows = await ctx.db.selectFrom('registry.seal_registrations')
    .select(['id', 'lg_code', 'resident_id', 'registration_no', 'image_type', 'status', 'registered_on', 'abolished_on'])
    .where('resident_id', '=', resident.id).where('lg_code', '=', read.staff.lgCode)
    .orderBy('registered_on').orderBy('registration_no').execute();
  await recordRead(ctx, read, 'registry.seal.list', [resident.resident_code]);
  return rows.map(toSealRegistration);
}

/** The impression of one registration with its media type (audited read). */
export async function getSealImage(ctx: RegistryContext, read: ReadContext, sealId: string): Promise<{ image: Uint8Array; imageType: string }> {
  checkPurpose(read.purpose);
  const seal = await sealWithResident(ctx.db, read.staff.lgCode, sealId);
  const row = await ctx.db.selectFrom('registry.seal_registrations').select('image').where('id', '=', seal.id).executeTakeFirstOrThrow();
  await recordRead(ctx, read, 'registry.seal.image.read', [seal.resident_code], { registrationNo: seal.registration_no });
  return { image: new Uint8Array(row.image), imageType: seal.image_type };
}

/** Every problem of an impression: size, declared type, and content matching that type. */
export function checkSealImage(image: Uint8Array | undefined, imageType: string | undefined): Problem[] {
  const { problems, report } = collectProblems();
  if (!(image instanceof Uint8Array) || image.length === 0) {
    report('image', 'IMAGE_EMPTY', '印影の画像がありません');
    return problems;
  }
  if (image.length > MAX_IMAGE_BYTES) report('image', 'IMAGE_TOO_LARGE', `印影の画像は${MAX_IMAGE_BYTES / 1024}KB以下です（${Math.ceil(image.length / 1024)}KB）`);
  const matches = IMAGE_CHECKS[imageType as keyof typeof IMAGE_CHECKS];
  if (!matches) {
    report('imageType', 'IMAGE_TYPE_UNSUPPORTED', `画像の形式は ${Object.keys(IMAGE_CHECKS).join(', ')} のいずれかです`);
    return problems;
  }
  const reason = matches(image);
  if (reason) report('image', 'IMAGE_CONTENT_MISMATCH', reason);
  return problems;
}

/** Per media type: undefined when the bytes are of that type, else why not. */
const IMAGE_CHECKS = {
  'image/png': (b: Uint8Array) => (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) ? undefined : 'PNG画像の形式ではありません'),
  'image/jpeg': (b: Uint8Array) => (startsWith(b, [0xff, 0xd8, 0xff]) ? undefined : 'JPEG画像の形式ではありません'),
  'image/svg+xml': svgProblem,
} as const;

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, i) => bytes[i] === byte);
}

/**
 * An SVG impression must be UTF-8 text whose root element is <svg>. It is served back to staff
 * browsers, so anything active (scripts, event handlers, external or embedded documents) and DTDs
 * (entity expansion) are refused rather than sanitised.
 */
function svgProblem(bytes: Uint8Array): string | undefined {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'SVG画像はUTF-8のテキストです';
  }
  const body = text.replace(/^\uFEFF/, '').replace(/^\s*(<\?xml[^>]*\?>)?(\s*<!--[\s\S]*?-->)*\s*/, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return 'SVG画像にDOCTYPE・ENTITY宣言は使用できません';
  if (!/^<svg[\s>/]/.test(body)) return 'SVG画像のルート要素が<svg>ではありません';
  if (/<script|<foreignObject|<iframe|<object|<embed|\son[a-z]+\s*=|javascript:/i.test(text)) return 'SVG画像にスクリプト等の動的な要素は使用できません';
  return undefined;
}

async function sealWithResident(db: RegistryDb, lgCode: string, sealId: string, options: { forUpdate?: boolean } = {}): Promise<SealRow & { resident_code: string }> {
  if (!isUuid(sealId)) throw registryError('REGISTRY_SEAL_NOT_FOUND', { detail: '印鑑登録IDの形式が不正です' });
  let query = db.selectFrom('registry.seal_registrations as s')
    .innerJoin('registry.residents as r', 'r.id', 's.resident_id')
    .select(['s.id', 's.lg_code', 's.resident_id', 's.registration_no', 's.image_type', 's.status', 's.registered_on', 's.abolished_on', 'r.resident_code'])
    .where('s.id', '=', sealId).where('s.lg_code', '=', lgCode);
  if (options.forUpdate) query = query.forUpdate('s');
  const seal = await query.executeTakeFirst();
  if (!seal) throw registryError('REGISTRY_SEAL_NOT_FOUND');
  return seal;
}

/**
 * The next free registration number of the municipality; the municipality row is locked
 * (FOR NO KEY UPDATE) so concurrent registrations never compute the same one.
 */
async function nextRegistrationNo(tx: RegistryDb, lgCode: string): Promise<string> {
  await tx.selectFrom('registry.municipalities').select('lg_code').where('lg_code', '=', lgCode).forNoKeyUpdate().executeTakeFirst();
  const rows = await tx.selectFrom('registry.seal_registrations').select('registration_no')
    .where('lg_code', '=', lgCode).where('registration_no', '>=', 'IN00000000').where('registration_no', '<=', 'IN99999999')
    .where(sql<boolean>`registration_no ~ '^IN[0-9]{8}$'`)
    .orderBy('registration_no', 'desc').limit(1).execute();
  const last = rows[0]?.registration_no;
  const next = last && REGISTRATION_NO.test(last) ? Number(last.slice(2)) + 1 : 1;
  if (next > 99_999_999) throw new RangeError('registry: seal registration numbers are exhausted');
  return `IN${String(next).padStart(8, '0')}`;
}

function toSealRegistration(row: SealRow): SealRegistration {
  return {
    id: row.id,
    residentId: row.resident_id,
    registrationNo: row.registration_no,
    imageType: row.image_type,
    status: row.status,
    registeredOn: row.registered_on,
    abolishedOn: row.abolished_on,
  };
}
