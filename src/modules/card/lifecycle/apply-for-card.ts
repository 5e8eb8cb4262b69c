// 交付申請: by mail, online with a photo, 申請時来庁方式, 企業一括申請 or at a 出張窓口; one open application per person.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { jstDate } from '../../../kernel/clock.ts';
import { seal, purposeKey } from '../../../kernel/crypto/seal.ts';
import type { Problem } from '../../../kernel/errors.ts';
import type { StaffPrincipal } from '../../registry/index.ts';
import type { ApplyInput, CardApplicationRecord, CardPins } from '../contract.ts';
import type { CardContext } from '../card-context.ts';
import { cardError } from '../errors.ts';
import { recordCardEvent, toApplicationRecord, toCardRecord } from '../card-records.ts';
import { checkCardPins } from '../card-pins.ts';
import { inRenewalWindow } from '../card-validity.ts';
import { ageOn } from '../../../kernel/clock.ts';

const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
const PURPOSE = '個人番号カード交付申請の受付';

/** An application checked against the registry, ready to be stored. */
export interface CheckedApplication {
  staff: StaffPrincipal;
  input: ApplyInput;
  employer: { name: string; corporateNumber?: string } | undefined;
  lgCode: string;
  residentCode: string;
  pins: CardPins | undefined;
}

/** Validates and records one application. */
export async function applyForCard(ctx: CardContext, staff: StaffPrincipal, input: ApplyInput): Promise<CardApplicationRecord> {
  return storeApplication(ctx, ctx.db, await checkApplication(ctx, staff, input));
}

/**
 * Checks an application (input, the person's registry status, cards held) without writing:
 * batches check every person first and store them in one transaction. `employer` only for 企業一括申請.
 */
export async function checkApplication(
  ctx: CardContext, staff: StaffPrincipal, input: ApplyInput, employer?: { name: string; corporateNumber?: string },
): Promise<CheckedApplication> {
  checkChannelInput(input, employer);
  const resident = await ctx.registry.getResident({ staff, purpose: PURPOSE }, input.residentId);
  if (resident.status !== 'active') {
    throw cardError('CARD_RESIDENT_NOT_ELIGIBLE', { detail: resident.status === 'moving_out' ? '転出届が出ています' : resident.status === 'deceased' ? '死亡により消除されています' : '転出により消除されています' });
  }
  const today = jstDate(ctx.clock.now());
  const held = await ctx.db.selectFrom('card.cards').selectAll().where('resident_code', '=', resident.residentCode)
    .where('status', 'in', ['produced', 'active', 'suspended']).executeTakeFirst();
  if (held) {
    const card = toCardRecord(held);
    const renewing = input.renewalOf === card.id && card.status === 'active' && inRenewalWindow(card.expiresOn, today, ctx.settings);
    if (!renewing) {
      throw cardError('CARD_ALREADY_HELD', { detail: input.renewalOf === card.id ? `更新の申請は有効期限（${card.expiresOn}）の${ctx.settings.renewalWindowMonths}か月前から受け付けます` : undefined });
    }
  }
  const withSigning = ageOn(resident.birthDate, today) >= 15;
  const pins = input.channel === 'visit_at_application' ? checkCardPins(input.pins, withSigning) : undefined;
  return { staff, input, employer, lgCode: resident.lgCode, residentCode: resident.residentCode, pins };
}

/** Stores a checked application and its history entry inside `tx`; CARD_APPLICATION_PENDING if the person has an open one. */
export async function storeApplication(ctx: CardContext, tx: Kysely<any>, checked: CheckedApplication): Promise<CardApplicationRecord> {
  const { staff, input, employer, pins } = checked;
  const resident = { lgCode: checked.lgCode, residentCode: checked.residentCode };
  const id = randomUUID();
  const now = ctx.clock.now();
  const sealedPins = pins ? seal(purposeKey(ctx.pinSealingKey, 'card application pins'), id, Buffer.from(JSON.stringify(pins))) : undefined;
  try {
    await tx.insertInto('card.applications').values({
      id, lg_code: resident.lgCode, resident_code: resident.residentCode, channel: input.channel, status: 'received',
      photo: input.photo ? Buffer.from(input.photo.bytes) : null, photo_type: input.photo?.type ?? null,
      identity_checked: input.identityCheck ? JSON.stringify(input.identityCheck) : null,
      employer: employer ? JSON.stringify(employer) : null, place: input.place ?? null,
      renewal_of: input.renewalOf ?? null, pins_iv: sealedPins?.iv ?? null, pins_sealed: sealedPins?.sealed ?? null,
      received_at: now, updated_at: now,
    }).execute();
  } catch (error) {
    if (/applications_open_idx|unique/i.test(String((error as Error).message))) throw cardError('CARD_APPLICATION_PENDING');
    throw error;
  }
  await recordCardEvent(tx, ctx.audit, now, {
    applicationId: id, kind: 'application.received', actor: { staff }, lgCode: resident.lgCode, residentCode: resident.residentCode,
    detail: { channel: input.channel, ...(employer ? { employer: employer.name } : {}), ...(input.identityCheck ? { identityDocuments: input.identityCheck.documents } : {}) },
  });
  const row = await tx.selectFrom('card.applications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return toApplicationRecord(row);
}

function checkChannelInput(input: ApplyInput, employer: { name: string } | undefined): void {
  const problems: Problem[] = [];
  const channels = ['mail', 'online', 'visit_at_application', 'employer_batch', 'mobile_counter'];
  if (!channels.includes(input.channel)) problems.push({ field: 'channel', reason: `申請方法は ${channels.join(' / ')} のいずれかです` });
  if ((input.channel === 'employer_batch') !== (employer !== undefined)) problems.push({ field: 'channel', reason: '企業一括申請は一括申請の窓口（applications/batch）から受け付けます' });
  if (!input.photo) problems.push({ field: 'photo', reason: '顔写真（JPEG または PNG）が必要です' });
  else if (!isImage(input.photo.bytes, input.photo.type)) problems.push({ field: 'photo', reason: '顔写真は JPEG または PNG の画像にしてください' });
  else if (input.photo.bytes.length > MAX_PHOTO_BYTES) problems.push({ field: 'photo', reason: '顔写真は2MB以下にしてください' });
  const needsIdentity = input.channel === 'visit_at_application' || input.channel === 'mobile_counter' || input.channel === 'employer_batch';
  if (needsIdentity && !validIdentityCheck(input.identityCheck)) problems.push({ field: 'identityCheck', reason: 'この申請方法では申請時の本人確認（書類名と確認者）を記録してください' });
  if (input.channel === 'mobile_counter' && !input.place?.trim()) problems.push({ field: 'place', reason: '出張窓口の場所を入力してください' });
  if (input.channel !== 'visit_at_application' && input.pins !== undefined) problems.push({ field: 'pins', reason: '暗証番号を申請時に設定するのは申請時来庁方式だけです（他は交付時に設定します）' });
  if (problems.length > 0) throw cardError('CARD_APPLICATION_INVALID', { problems });
}

/** Whether an identity check names at least one document and who checked. */
export function validIdentityCheck(check: { documents?: unknown; checkedBy?: unknown } | undefined): boolean {
  return !!check && Array.isArray(check.documents) && check.documents.length > 0
    && check.documents.every((d) => typeof d === 'string' && d.trim().length > 0 && d.length <= 100)
    && typeof check.checkedBy === 'string' && check.checkedBy.trim().length > 0 && check.checkedBy.length <= 100;
}

function isImage(bytes: Uint8Array, type: string): boolean {
  if (type === 'image/jpeg') return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (type === 'image/png') return bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  return false;
}
