// Revocation push, step 1: a status change writes one webhook delivery per subscribed verifier, in the change's own transaction.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { StatusChangeListener } from '../config.ts';
import type { CertificateRecord, CertificateStatus, CaKind, RevocationReason } from '../contract.ts';

/** What a status change is called on the wire. */
export type WebhookEventType = 'certificate.revoked' | 'certificate.held' | 'certificate.released';

/**
 * The JSON body a verifier receives (`POST` to its webhook URL).
 *
 * @example
 * {
 *   "type": "certificate.revoked", "deliveryId": "5b0c…", "certificateId": "e1f2…",
 *   "serialHex": "3fa4…", "kind": "auth", "status": "revoked", "reason": "keyCompromise",
 *   "sequence": 2, "occurredAt": "2026-11-24T01:00:00.000Z"
 * }
 */
export interface WebhookPayload {
  type: WebhookEventType;
  /** Unique per delivery and the same on every retry: receivers de-duplicate on it. */
  deliveryId: string;
  /** The certificate ID the verifier was given when it stored the certificate (never JPKI's internal id). */
  certificateId: string;
  serialHex: string;
  kind: CaKind;
  status: CertificateStatus;
  /** The revocation reason; `certificateHold` for a hold; null for a release. */
  reason: RevocationReason | null;
  /**
   * 1 for the certificate's first status change, 2 for the next, … Deliveries of one certificate are
   * sent in this order, and a receiver that keeps the highest sequence seen can drop a late one.
   */
  sequence: number;
  /** When the change was recorded (ISO 8601, UTC). */
  occurredAt: string;
}

const EVENT_TYPE: Record<CertificateStatus, WebhookEventType> = {
  revoked: 'certificate.revoked',
  hold: 'certificate.held',
  good: 'certificate.released',
};

function reasonOf(certificate: CertificateRecord): RevocationReason | null {
  if (certificate.status === 'revoked') return certificate.revocationReason;
  return certificate.status === 'hold' ? 'certificateHold' : null;
}

/**
 * The StatusChangeListener of the revocation push: for every verifier that stored `certificate`,
 * subscribed to it, is active and has a webhook URL, one row in jpki.webhook_deliveries, due at once.
 * Because it writes inside the status change's transaction, a change is never committed without its
 * deliveries nor a delivery without its change (transactional outbox); webhook-dispatcher.ts sends them.
 *
 * The time and the sequence come from the jpki.revocation_events row recordStatusChange has just
 * written (a release has no statusChangedAt, and two changes in one instant still need an order);
 * the certificate row is locked, so the count cannot race.
 *
 * @example
 * createJpki({ ...deps, statusChangeListeners: [enqueueStatusWebhooks] });
 */
export const enqueueStatusWebhooks: StatusChangeListener = async (tx, certificate) => {
  const subscriptions = await tx.selectFrom('jpki.stored_certificates as s')
    .innerJoin('jpki.verifiers as v', 'v.id', 's.verifier_id')
    .select(['s.id', 's.verifier_id'])
    .where('s.certificate_id', '=', certificate.id).where('s.subscribed', '=', true)
    .where('v.active', '=', true).where('v.webhook_url', 'is not', null)
    .orderBy('s.id')
    .execute();
  if (subscriptions.length === 0) return;

  const event = await tx.selectFrom('jpki.revocation_events')
    .select([sql<number>`count(*)::int`.as('sequence'), sql<Date>`(array_agg(occurred_at ORDER BY id DESC))[1]`.as('occurred_at')])
    .where('certificate_id', '=', certificate.id)
    .executeTakeFirstOrThrow();
  if (event.sequence === 0) throw new TypeError('enqueueStatusWebhooks runs after recordStatusChange has written the revocation event');
  const occurredAt = new Date(event.occurred_at);

  await tx.insertInto('jpki.webhook_deliveries').values(subscriptions.map((subscription) => {
    const deliveryId = randomUUID();
    const payload: WebhookPayload = {
      type: EVENT_TYPE[certificate.status], deliveryId, certificateId: subscription.id, serialHex: certificate.serialHex,
      kind: certificate.kind, status: certificate.status, reason: reasonOf(certificate), sequence: event.sequence,
      occurredAt: occurredAt.toISOString(),
    };
    return {
      id: deliveryId, verifier_id: subscription.verifier_id, stored_certificate_id: subscription.id, payload: JSON.stringify(payload),
      created_at: occurredAt, attempts: 0, next_attempt_at: occurredAt, delivered_at: null, last_error: null,
    };
  })).execute();
};
