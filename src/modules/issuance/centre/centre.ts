// 証明書交付センター (J-LIS): kiosk sessions with a one-time challenge, card authentication (JPKI + OCSP), orders routed to the municipality, payment, printing, settlement.
import { randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { credentialHash } from './kiosks.ts';
import { sql, type Kysely } from 'kysely';
import { jstDate, type Clock } from '../../../kernel/clock.ts';
import { timedStage } from '../../../kernel/stage-timings.ts';
import { isUuid } from '../../../kernel/ids/uuid.ts';
import type { JpkiService } from '../../jpki/index.ts';
import type { CertificateKind } from '../documents/certificate-document.ts';
import { CERTIFICATE_KINDS } from '../documents/certificate-document.ts';
import { issuanceError } from '../errors.ts';
import { commissionPerCopy, type CommissionPeriod } from '../fees/store-commission.ts';
import { serviceAvailability, type ServiceAvailability } from '../service-calendar.ts';
import type { Offer } from '../municipal/municipal-server.ts';
import { ocspRequestFor, readOcspStatus } from './ocsp-status.ts';
import { MAINTENANCE_WINDOWS_KEY, PARTICIPANT_KEY, type ReferenceDataCache } from '../reference-data-cache.ts';

/** How the centre reaches municipal certificate servers (over their HTTP API). */
export interface MunicipalServerClient {
  offers(lgCode: string, request: { residentCode: string; target: 'residence' | 'honseki'; honseki?: { honseki: string; hittosha: string } }): Promise<Offer[]>;
  issue(lgCode: string, request: { orderId: string; residentCode: string; type: CertificateKind; options: Record<string, unknown>; copies: number; honseki?: { honseki: string; hittosha: string } }):
    Promise<{ title: string; feePerCopyYen: number; documents: { copy: number; serialNumber: string; pdf: Uint8Array }[] }>;
}

/** A paid order still waiting for its print result (`GET /unfinished-orders`). */
export interface UnfinishedOrder {
  sessionId: string;
  orderId: string;
  copies: number;
  /** The session is neither ended nor past its 10 minutes. */
  sessionLive: boolean;
}

export interface Receipt {
  receiptNo: string;
  municipality: string;
  items: { title: string; copies: number; feePerCopyYen: number }[];
  paidYen: number;
  refundedYen: number;
  printedAt: Date;
}

export interface CentreDeps {
  db: Kysely<any>;
  clock: Clock;
  jpki: JpkiService;
  municipal: MunicipalServerClient;
  /** The centre's credential as a registered JPKI verifier (OCSP is billed to it). */
  verifierCredential(): Promise<string>;
  commissionPeriods: readonly CommissionPeriod[];
  municipalityName(lgCode: string): Promise<string>;
  /** Participation and maintenance windows, kept a few seconds (invalidated by changes through this process). */
  cache: ReferenceDataCache;
}

const SESSION_MINUTES = 10;

export function createCentre(deps: CentreDeps) {
  const { db, clock } = deps;

  async function kiosk(credential: string | undefined): Promise<{ id: string; operatorId: string }> {
    if (!credential) throw issuanceError('ISSUANCE_KIOSK_UNKNOWN');
    const row = await db.selectFrom('issuance.kiosks').select(['id', 'operator_id']).where('credential_hash', '=', credentialHash(credential)).executeTakeFirst();
    if (!row) throw issuanceError('ISSUANCE_KIOSK_UNKNOWN');
    return { id: row.id, operatorId: row.operator_id };
  }

  const windows = () => deps.cache.get(MAINTENANCE_WINDOWS_KEY, async () => {
    const rows = await db.selectFrom('issuance.maintenance_windows').selectAll().where('ends_at', '>', clock.now()).execute();
    return rows.map((r) => ({ lgCode: r.lg_code, from: r.starts_at, until: r.ends_at, reason: r.reason }));
  });

  /** The municipality's participation (コンビニ交付, and 戸籍 too), or null when it does not take part. */
  const participation = (lgCode: string) => deps.cache.get(`${PARTICIPANT_KEY}${lgCode}`, async () =>
    (await db.selectFrom('issuance.participants').select('koseki').where('lg_code', '=', lgCode).executeTakeFirst()) ?? null);

  /** A session open for the next step: not ended, not past its 10 minutes. */
  async function session(credential: string | undefined, sessionId: string) {
    const found = await anySession(credential, sessionId);
    checkOpen(found.row);
    return found;
  }

  function checkOpen(row: { status: string; expires_at: Date }): void {
    if (row.status === 'ended') throw issuanceError('ISSUANCE_SESSION_STATE', { detail: '受付は終了しています' });
    if (row.expires_at <= clock.now()) throw issuanceError('ISSUANCE_SESSION_EXPIRED');
  }

  /** The kiosk's session in whatever state. */
  async function anySession(credential: string | undefined, sessionId: string) {
    if (!credential) throw issuanceError('ISSUANCE_KIOSK_UNKNOWN');
    if (!isUuid(sessionId)) { await kiosk(credential); throw issuanceError('ISSUANCE_SESSION_NOT_FOUND'); }
    // The kiosk and its session in one round trip: every kiosk step starts here.
    const found = await db.selectFrom('issuance.sessions as s').innerJoin('issuance.kiosks as k', 'k.id', 's.kiosk_id').selectAll('s').select('k.operator_id')
      .where('s.id', '=', sessionId).where('k.credential_hash', '=', credentialHash(credential)).executeTakeFirst();
    if (!found) { await kiosk(credential); throw issuanceError('ISSUANCE_SESSION_NOT_FOUND'); }
    const { operator_id: operatorId, ...rest } = found;
    const row = rest as Record<string, any> & { id: string; kiosk_id: string; status: string; expires_at: Date };
    const k = { id: row.kiosk_id, operatorId: operatorId as string };
    return { kiosk: k, row };
  }

  // The user-authentication CA generations, read once and again only when a card names one not yet
  // known (a key rollover): a generation's certificate never changes.
  let caGenerations: X509Certificate[] = [];
  async function issuingCaOf(certificate: Uint8Array): Promise<Uint8Array> {
    const card = new X509Certificate(certificate);
    let ca = caGenerations.find((g) => card.checkIssued(g));
    if (!ca) {
      caGenerations = (await deps.jpki.caGenerations('auth')).map((g) => new X509Certificate(g.certificate));
      ca = caGenerations.find((g) => card.checkIssued(g));
    }
    if (!ca) throw issuanceError('ISSUANCE_CERTIFICATE_UNTRUSTED', { detail: 'issuing CA generation not found' });
    return new Uint8Array(ca.raw);
  }

  // An operator's kind (store, post office, counter) never changes once registered.
  const operatorKinds = new Map<string, string>();
  async function operatorKind(operatorId: string): Promise<string> {
    let kind = operatorKinds.get(operatorId);
    if (!kind) {
      kind = (await db.selectFrom('issuance.operators').select('kind').where('id', '=', operatorId).executeTakeFirstOrThrow()).kind as string;
      operatorKinds.set(operatorId, kind);
    }
    return kind;
  }

  async function closedError(lgCode: string | null): Promise<void> {
    const state = serviceAvailability(clock.now(), lgCode ?? '', await windows());
    if (!state.open) throw issuanceError('ISSUANCE_SERVICE_CLOSED', { message: state.message, detail: state.reopensAt.toISOString() });
  }

  async function order(credential: string | undefined, sessionId: string, orderId: string) {
    const { kiosk: k, row } = await anySession(credential, sessionId);
    if (!isUuid(orderId)) throw issuanceError('ISSUANCE_ORDER_NOT_FOUND');
    const o = await db.selectFrom('issuance.orders').selectAll().where('id', '=', orderId).where('session_id', '=', row.id).executeTakeFirst();
    if (!o) throw issuanceError('ISSUANCE_ORDER_NOT_FOUND');
    // Once paid, the copies are printed and settled (or refunded) even after the session's 10 minutes or its
    // end: a slow print, or a kiosk reconciling after a crash (unfinished-orders), must not leave money taken.
    if (o.status === 'ready') checkOpen(row);
    return { kiosk: k, session: row, order: o };
  }

  return {
    /** Is the service open now (for a municipality, or in general)? */
    async availability(lgCode?: string): Promise<ServiceAvailability> {
      return serviceAvailability(clock.now(), lgCode ?? '', await windows());
    },

    async openSession(credential: string | undefined): Promise<{ sessionId: string; challenge: string; expiresAt: Date }> {
      const k = await kiosk(credential);
      await closedError(null);
      const id = randomUUID();
      const challenge = randomBytes(32);
      const expiresAt = new Date(clock.now().getTime() + SESSION_MINUTES * 60_000);
      await db.insertInto('issuance.sessions').values({ id, kiosk_id: k.id, challenge, status: 'open', expires_at: expiresAt, created_at: clock.now() }).execute();
      return { sessionId: id, challenge: challenge.toString('base64url'), expiresAt };
    },

    /**
     * Checks the card: the JPKI verification service (chain, validity, signature over the challenge)
     * and the OCSP responder (revocation, as a registered verifier); then finds the municipality.
     */
    async authenticate(credential: string | undefined, sessionId: string, input: { certificate: Uint8Array; signature: Uint8Array }) {
      const { row } = await session(credential, sessionId);
      if (row.status !== 'open') throw issuanceError('ISSUANCE_CHALLENGE_USED');
      // Claim the challenge first: a replay of the same answer finds it used, whatever the outcome.
      const claimed = await db.updateTable('issuance.sessions').set({ status: 'authenticated' }).where('id', '=', row.id).where('status', '=', 'open').executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw issuanceError('ISSUANCE_CHALLENGE_USED');
      const verifier = await deps.verifierCredential();
      const checked = await timedStage('verification', () => deps.jpki.verifySignature(verifier, { certificate: input.certificate, signature: input.signature, data: new Uint8Array(row.challenge), expectedKind: 'auth' }));
      if (!checked.valid) {
        if (checked.failure === 'JPKI_CERT_REVOKED') throw issuanceError('ISSUANCE_CARD_REVOKED');
        if (checked.failure === 'JPKI_CERT_ON_HOLD') throw issuanceError('ISSUANCE_CARD_SUSPENDED');
        if (checked.failure === 'JPKI_SIGNATURE_INVALID') throw issuanceError('ISSUANCE_SIGNATURE_INVALID');
        throw issuanceError('ISSUANCE_CERTIFICATE_UNTRUSTED', { detail: checked.failure });
      }
      const ocsp = await timedStage('ocsp', async () => {
        const caCertificate = await issuingCaOf(input.certificate);
        return readOcspStatus(await deps.jpki.answerOcsp(verifier, 'auth', ocspRequestFor(checked.serialHex, caCertificate)), { caCertificate, serialHex: checked.serialHex });
      });
      if (ocsp.status === 'revoked') throw issuanceError(ocsp.reason === 6 ? 'ISSUANCE_CARD_SUSPENDED' : 'ISSUANCE_CARD_REVOKED');
      if (ocsp.status !== 'good') throw issuanceError('ISSUANCE_CERTIFICATE_UNTRUSTED', { detail: 'OCSP: unknown' });
      const holder = await deps.jpki.holderOf({ serialHex: checked.serialHex });
      if (!(await participation(holder.lgCode))) throw issuanceError('ISSUANCE_MUNICIPALITY_NOT_PARTICIPATING');
      await closedError(holder.lgCode);
      const registration = await db.selectFrom('issuance.koseki_registrations').selectAll().where('resident_code', '=', holder.residentCode).executeTakeFirst();
      const honsekiParticipates = registration ? (await participation(registration.honseki_lg_code))?.koseki === true : false;
      await db.updateTable('issuance.sessions').set({
        resident_code: holder.residentCode, lg_code: holder.lgCode, certificate_serial: checked.serialHex,
        honseki_lg_code: honsekiParticipates ? registration!.honseki_lg_code : null,
      }).where('id', '=', row.id).execute();
      const offers = await deps.municipal.offers(holder.lgCode, { residentCode: holder.residentCode, target: 'residence' });
      let honseki = null;
      if (honsekiParticipates && registration) {
        honseki = { lgCode: registration.honseki_lg_code, name: await deps.municipalityName(registration.honseki_lg_code) };
        offers.push(...await deps.municipal.offers(registration.honseki_lg_code, { residentCode: holder.residentCode, target: 'honseki', honseki: { honseki: registration.honseki, hittosha: registration.hittosha } }));
      }
      return { municipality: { lgCode: holder.lgCode, name: await deps.municipalityName(holder.lgCode) }, honseki, offers };
    },

    async placeOrder(credential: string | undefined, sessionId: string, input: { type: CertificateKind; target?: 'residence' | 'honseki'; options?: Record<string, unknown>; copies: number }) {
      const { kiosk: k, row } = await session(credential, sessionId);
      if (row.status !== 'authenticated' || !row.lg_code) throw issuanceError('ISSUANCE_SESSION_STATE', { detail: 'カードの認証が済んでいません' });
      if (!CERTIFICATE_KINDS.includes(input.type)) throw issuanceError('ISSUANCE_TYPE_NOT_OFFERED');
      if (!Number.isInteger(input.copies) || input.copies < 1 || input.copies > 10) throw issuanceError('ISSUANCE_COPIES_INVALID');
      const target = input.target ?? 'residence';
      const honseki = target === 'honseki';
      if (honseki && !row.honseki_lg_code) throw issuanceError('ISSUANCE_TYPE_NOT_OFFERED', { detail: '本籍地の利用登録がありません' });
      const lgCode = honseki ? row.honseki_lg_code! : row.lg_code;
      const registration = honseki ? await db.selectFrom('issuance.koseki_registrations').selectAll().where('resident_code', '=', row.resident_code).executeTakeFirstOrThrow() : undefined;
      const orderId = randomUUID();
      const issued = await deps.municipal.issue(lgCode, {
        orderId, residentCode: row.resident_code!, type: input.type, options: input.options ?? {}, copies: input.copies,
        ...(registration ? { honseki: { honseki: registration.honseki, hittosha: registration.hittosha } } : {}),
      });
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        await tx.insertInto('issuance.orders').values({
          id: orderId, session_id: row.id, lg_code: lgCode, operator_id: k.operatorId, type: input.type, title: issued.title,
          options: JSON.stringify(input.options ?? {}), copies: input.copies, fee_per_copy_yen: issued.feePerCopyYen,
          total_yen: issued.feePerCopyYen * input.copies, status: 'ready', created_at: now, updated_at: now,
        }).execute();
        await tx.insertInto('issuance.pending_documents').values(issued.documents.map((d) => ({ order_id: orderId, copy: d.copy, serial_number: d.serialNumber, pdf: Buffer.from(d.pdf) }))).execute();
      });
      return { orderId, type: input.type, title: issued.title, copies: input.copies, feePerCopyYen: issued.feePerCopyYen, totalYen: issued.feePerCopyYen * input.copies };
    },

    async pay(credential: string | undefined, sessionId: string, orderId: string, input: { method: 'cash'; amountYen: number }) {
      const { order: o } = await order(credential, sessionId, orderId);
      if (input.method !== 'cash' || !Number.isInteger(input.amountYen) || input.amountYen < 0) throw issuanceError('ISSUANCE_REQUEST_INVALID', { detail: '支払方法は cash、金額は0以上の整数（円）です' });
      if (o.status !== 'ready') return { paidYen: o.paid_yen, changeYen: o.paid_yen - o.total_yen };
      if (input.amountYen < o.total_yen) throw issuanceError('ISSUANCE_PAYMENT_INSUFFICIENT', { detail: `${o.total_yen}円に${o.total_yen - input.amountYen}円足りません` });
      await db.updateTable('issuance.orders').set({ status: 'paid', paid_yen: input.amountYen, updated_at: clock.now() }).where('id', '=', o.id).where('status', '=', 'ready').execute();
      return { paidYen: input.amountYen, changeYen: input.amountYen - o.total_yen };
    },

    async document(credential: string | undefined, sessionId: string, orderId: string, copy: number): Promise<Uint8Array> {
      const { order: o } = await order(credential, sessionId, orderId);
      if (o.status === 'ready') throw issuanceError('ISSUANCE_NOT_PAID');
      const doc = await db.selectFrom('issuance.pending_documents').select('pdf').where('order_id', '=', o.id).where('copy', '=', copy).executeTakeFirst();
      if (!doc) throw issuanceError('ISSUANCE_ORDER_NOT_FOUND', { detail: o.status === 'completed' ? '印刷済みの証明書はセンターに残っていません' : `${copy}通目はありません` });
      return new Uint8Array(doc.pdf);
    },

    /**
     * The kiosk's print result: one settlement row per printed copy, a refund per failed copy,
     * documents deleted — all in one transaction, and a repeat returns the same receipt.
     */
    async printResults(credential: string | undefined, sessionId: string, orderId: string, input: { copies: { copy: number; printed: boolean; error?: string }[] }): Promise<Receipt> {
      const { order: o } = await order(credential, sessionId, orderId);
      if (o.status === 'ready') throw issuanceError('ISSUANCE_NOT_PAID');
      const reported = new Map(input.copies.map((c) => [c.copy, c]));
      if (reported.size !== input.copies.length || [...reported.keys()].some((c) => !Number.isInteger(c) || c < 1 || c > o.copies)) {
        throw issuanceError('ISSUANCE_REQUEST_INVALID', { detail: `1〜${o.copies}通目の結果を1回ずつ報告してください` });
      }
      const now = clock.now();
      if (o.status === 'paid') {
        // Stores and post offices are paid per copy; at the municipality's own counter (窓口交付) nobody is.
        // (Read before the transaction: on PGlite's one connection a read outside it would wait for it.)
        const commission = (await operatorKind(o.operator_id)) === 'counter' ? 0 : commissionPerCopy(jstDate(now), deps.commissionPeriods);
        await db.transaction().execute(async (tx) => {
          const locked = await tx.selectFrom('issuance.orders').select('status').where('id', '=', o.id).forUpdate().executeTakeFirstOrThrow();
          if (locked.status !== 'paid') return;
          const serials = await tx.selectFrom('issuance.pending_documents').select(['copy', 'serial_number']).where('order_id', '=', o.id).execute();
          const printedRows = serials.filter(({ copy }) => reported.get(copy)?.printed).map(({ copy, serial_number }) => ({
            order_id: o.id, copy, serial_number, lg_code: o.lg_code, operator_id: o.operator_id, type: o.type,
            fee_yen: o.fee_per_copy_yen, commission_yen: commission, month: jstDate(now).slice(0, 7), printed_at: now,
          }));
          const refundRows = serials.filter(({ copy }) => !reported.get(copy)?.printed).map(({ copy }) => ({
            order_id: o.id, copy, amount_yen: o.fee_per_copy_yen, reason: reported.get(copy)?.error ?? '印刷結果の報告なし', at: now,
          }));
          if (printedRows.length > 0) await tx.insertInto('issuance.settlement_rows').values(printedRows).onConflict((oc) => oc.columns(['order_id', 'copy']).doNothing()).execute();
          if (refundRows.length > 0) await tx.insertInto('issuance.refunds').values(refundRows).onConflict((oc) => oc.columns(['order_id', 'copy']).doNothing()).execute();
          await tx.deleteFrom('issuance.pending_documents').where('order_id', '=', o.id).execute();
          await tx.updateTable('issuance.orders').set({ status: 'completed', receipt_no: `R${now.getTime().toString(36).toUpperCase()}${o.id.slice(0, 4).toUpperCase()}`, updated_at: now }).where('id', '=', o.id).execute();
        });
      }
      // The receipt from what is committed (the same for a repeat): the order with its printed copies and refunds, in one query.
      const done = await db.selectFrom('issuance.orders as o').selectAll('o').select((eb) => [
        eb.selectFrom('issuance.settlement_rows as r').select(eb.fn.countAll<number>().as('n')).whereRef('r.order_id', '=', 'o.id').as('printed_copies'),
        eb.selectFrom('issuance.settlement_rows as r').select(eb.fn.min('r.printed_at').as('t')).whereRef('r.order_id', '=', 'o.id').as('first_printed_at'),
        eb.selectFrom('issuance.refunds as f').select(sql<number>`coalesce(sum(f.amount_yen), 0)::int`.as('s')).whereRef('f.order_id', '=', 'o.id').as('refunded_yen'),
      ]).where('o.id', '=', o.id).executeTakeFirstOrThrow();
      return {
        receiptNo: done.receipt_no, municipality: await deps.municipalityName(done.lg_code),
        items: [{ title: done.title, copies: Number(done.printed_copies), feePerCopyYen: done.fee_per_copy_yen }],
        paidYen: done.paid_yen, refundedYen: Number(done.refunded_yen), printedAt: done.first_printed_at ? new Date(done.first_printed_at) : done.updated_at,
      };
    },

    async endSession(credential: string | undefined, sessionId: string): Promise<void> {
      const k = await kiosk(credential);
      if (!isUuid(sessionId)) throw issuanceError('ISSUANCE_SESSION_NOT_FOUND');
      await db.transaction().execute(async (tx) => {
        const ended = await tx.updateTable('issuance.sessions').set({ status: 'ended' }).where('id', '=', sessionId).where('kiosk_id', '=', k.id).executeTakeFirst();
        if (Number(ended.numUpdatedRows) === 0) return;
        // Orders left unpaid (the resident cancelled) keep no document at the centre.
        const unpaid = tx.selectFrom('issuance.orders').select('id').where('session_id', '=', sessionId).where('status', '=', 'ready');
        await tx.deleteFrom('issuance.pending_documents').where('order_id', 'in', unpaid).execute();
      });
    },

    /**
     * Paid orders of this kiosk still waiting for a print result (a kiosk reconciles them after a crash).
     * `sessionLive`: the session is neither ended nor past its 10 minutes — with one credential shared by
     * several kiosk programs, such an order may still be printing elsewhere, so a kiosk whose journal
     * does not know it leaves it until the session has lapsed.
     */
    async unfinishedOrders(credential: string | undefined): Promise<UnfinishedOrder[]> {
      const k = await kiosk(credential);
      const rows = await db.selectFrom('issuance.orders as o').innerJoin('issuance.sessions as s', 's.id', 'o.session_id')
        .select(['o.id', 'o.session_id', 'o.copies', 's.status as session_status', 's.expires_at']).where('s.kiosk_id', '=', k.id).where('o.status', '=', 'paid').execute();
      const now = clock.now();
      return rows.map((r) => ({ sessionId: r.session_id, orderId: r.id, copies: r.copies, sessionLive: r.session_status !== 'ended' && new Date(r.expires_at) > now }));
    },
  };
}

export type Centre = ReturnType<typeof createCentre>;
