// Rows of the card schema as contract records, and the one way a card's history (and the person's audit trail) is written.
import type { Kysely } from 'kysely';
import type { AuditLog } from '../../kernel/audit/audit-log.ts';
import type { CardActor, CardApplicationRecord, CardRecord } from './contract.ts';
import { cardError } from './errors.ts';

export function toCardRecord(row: Record<string, any>): CardRecord {
  return {
    id: row.id, serial: row.serial, lgCode: row.lg_code, residentCode: row.resident_code, applicationId: row.application_id,
    status: row.status, invalidReason: row.invalid_reason ?? null,
    // DATE columns come back as `YYYY-MM-DD` text (kernel/db/database.ts).
    issuedOn: row.issued_on, expiresOn: row.expires_on,
    handedOverAt: row.handed_over_at ?? null,
    authCertificateId: row.auth_certificate_id ?? null, signCertificateId: row.sign_certificate_id ?? null,
    attributesOutdated: row.attributes_outdated, replacesCardId: row.replaces_card_id ?? null, demo: row.demo,
    createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

export function toApplicationRecord(row: Record<string, any>): CardApplicationRecord {
  return {
    id: row.id, lgCode: row.lg_code, residentCode: row.resident_code, channel: row.channel, status: row.status,
    hasPhoto: row.photo !== null && row.photo !== undefined, identityChecked: row.identity_checked ?? null,
    employer: row.employer ?? null, place: row.place ?? null, renewalOf: row.renewal_of ?? null,
    cardId: row.card_id ?? null, receivedAt: row.received_at,
  };
}

/** The card row, locked for update inside `tx`; throws CARD_NOT_FOUND. */
export async function lockCard(tx: Kysely<any>, cardId: string): Promise<CardRecord> {
  const row = await tx.selectFrom('card.cards').selectAll().where('id', '=', cardId).forUpdate().executeTakeFirst();
  if (!row) throw cardError('CARD_NOT_FOUND');
  return toCardRecord(row);
}

/** Name of an actor for the history. */
export function actorName(actor: CardActor): string {
  return 'staff' in actor ? `${actor.staff.staffName}（${actor.staff.lgCode}）` : actor.system;
}

/**
 * Writes one history entry for a card (or application) and the matching audit record under the
 * person, inside the caller's transaction: a state change and its record commit together.
 */
export async function recordCardEvent(
  tx: Kysely<any>, audit: AuditLog, at: Date,
  event: { cardId?: string | null; applicationId?: string | null; kind: string; actor: CardActor; lgCode: string; residentCode: string; detail?: Record<string, unknown> },
): Promise<void> {
  await tx.insertInto('card.events').values({
    card_id: event.cardId ?? null, application_id: event.applicationId ?? null, kind: event.kind,
    actor: actorName(event.actor), detail: JSON.stringify(event.detail ?? {}), at,
  }).execute();
  await audit.recordIn(tx, {
    actor: 'staff' in event.actor
      ? { kind: 'staff', id: event.actor.staff.apiKeyId, name: event.actor.staff.staffName }
      : { kind: 'system', id: event.actor.system, name: event.actor.system },
    lgCode: event.lgCode,
    action: `card.${event.kind}`,
    subject: { kind: 'resident', ref: event.residentCode },
    detail: { ...(event.cardId ? { cardId: event.cardId } : {}), ...(event.applicationId ? { applicationId: event.applicationId } : {}), ...event.detail },
  });
}
