// Builds the card service from its dependencies.
import { loadIssuerKey, type IssuerKey } from './issuer-key.ts';
import { createChipStore } from './chip-store.ts';
import type { CardDeps } from './config.ts';
import type { CardContext } from './card-context.ts';
import type { CardService } from './contract.ts';
import { cardError } from './errors.ts';
import { isUuid } from '../../kernel/ids/uuid.ts';
import { toApplicationRecord, toCardRecord } from './card-records.ts';
import { applyForCard, checkApplication, storeApplication, type CheckedApplication } from './lifecycle/apply-for-card.ts';
import { produceCard } from './lifecycle/produce-card.ts';
import { handOverCard } from './lifecycle/hand-over-card.ts';
import { endCard, resumeCard, suspendCard } from './lifecycle/card-status-changes.ts';
import { updateCardAttributes } from './lifecycle/update-card-attributes.ts';
import { applyResidentChangeToCards } from './lifecycle/apply-resident-change.ts';
import { createDemoCards, demoPinsOf } from './lifecycle/demo-cards.ts';
import { installFreeArea } from './lifecycle/install-free-area-application.ts';

/**
 * @example
 * const card = createCard({ database, clock, audit, logger, registry, jpki, sealingKey, settings: DEFAULT_CARD_SETTINGS });
 * const application = await card.apply(staff, { residentId, channel: 'online', photo });
 */
export function createCard(deps: CardDeps): CardService {
  const db = deps.database.db;
  let issuer: Promise<IssuerKey> | undefined;
  const caCertificates = new Map<string, Uint8Array>();
  const ctx: CardContext = {
    db, clock: deps.clock, audit: deps.audit, logger: deps.logger, registry: deps.registry, jpki: deps.jpki, settings: deps.settings,
    chips: createChipStore(db, deps.clock, deps.sealingKey),
    issuerKey: () => (issuer ??= loadIssuerKey(db, deps.clock, deps.sealingKey).catch((error) => { issuer = undefined; throw error; })),
    pinSealingKey: deps.sealingKey,
    async caCertificate(kind, generation) {
      const key = `${kind}/${generation}`;
      let certificate = caCertificates.get(key);
      if (!certificate) {
        const found = (await deps.jpki.caGenerations(kind)).find((g) => g.generation === generation);
        if (!found) throw new Error(`no ${kind} CA generation ${generation}`);
        certificate = found.certificate;
        caCertificates.set(key, certificate);
      }
      return certificate;
    },
  };

  async function card(cardId: string) {
    const row = await db.selectFrom('card.cards').selectAll().where('id', '=', known(cardId)).executeTakeFirst();
    if (!row) throw cardError('CARD_NOT_FOUND');
    return toCardRecord(row);
  }

  /** A malformed id is "not found", never a database error. */
  const known = (id: string, code: 'CARD_NOT_FOUND' | 'CARD_APPLICATION_NOT_FOUND' = 'CARD_NOT_FOUND') => {
    if (!isUuid(id)) throw cardError(code);
    return id;
  };

  return {
    apply: (staff, input) => applyForCard(ctx, staff, input),
    async applyBatch(staff, { employer, place, applications }) {
      if (!employer?.name?.trim()) throw cardError('CARD_APPLICATION_INVALID', { problems: [{ field: 'employer.name', reason: '事業者名を入力してください' }] });
      if (!Array.isArray(applications) || applications.length === 0 || applications.length > 1000) {
        throw cardError('CARD_APPLICATION_INVALID', { problems: [{ field: 'applications', reason: '一括申請は1〜1000人分です' }] });
      }
      // Every person is checked before anything is stored (registry reads stay outside the transaction).
      const checked: CheckedApplication[] = [];
      for (const input of applications) checked.push(await checkApplication(ctx, staff, { ...input, channel: 'employer_batch', ...(place ? { place } : {}) }, employer));
      return db.transaction().execute(async (tx) => {
        const records = [];
        for (const one of checked) records.push(await storeApplication(ctx, tx, one));
        return records;
      });
    },
    async getApplication(lgCode, applicationId) {
      const row = await db.selectFrom('card.applications').selectAll().where('id', '=', known(applicationId, 'CARD_APPLICATION_NOT_FOUND')).where('lg_code', '=', lgCode).executeTakeFirst();
      if (!row) throw cardError('CARD_APPLICATION_NOT_FOUND');
      return toApplicationRecord(row);
    },
    async listApplications(lgCode, filter = {}) {
      let query = db.selectFrom('card.applications').selectAll().where('lg_code', '=', lgCode);
      if (filter.status) query = query.where('status', '=', filter.status);
      const rows = await query.orderBy('received_at', 'desc').limit(Math.min(filter.limit ?? 100, 1000)).execute();
      return rows.map(toApplicationRecord);
    },
    produce: async (applicationId, options) => produceCard(ctx, known(applicationId, 'CARD_APPLICATION_NOT_FOUND'), options),
    handOver: async (staff, cardId, input) => handOverCard(ctx, staff, known(cardId), input),
    getCard: card,
    async listCards(filter) {
      let query = db.selectFrom('card.cards').selectAll();
      if (filter.lgCode) query = query.where('lg_code', '=', filter.lgCode);
      if (filter.residentCode) query = query.where('resident_code', '=', filter.residentCode);
      if (filter.status) query = query.where('status', '=', filter.status);
      if (filter.demo !== undefined) query = query.where('demo', '=', filter.demo);
      const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(Math.min(filter.limit ?? 100, 1000)).execute();
      return rows.map(toCardRecord);
    },
    async cardHistory(cardId) {
      await card(cardId);
      const rows = await db.selectFrom('card.events').selectAll().where('card_id', '=', cardId).orderBy('id').execute();
      return rows.map((r) => ({ kind: r.kind, actor: r.actor, detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail, at: r.at }));
    },
    suspend: async (cardId, input) => suspendCard(ctx, known(cardId), input),
    resume: async (cardId, input) => resumeCard(ctx, known(cardId), input),
    reportLost: async (cardId, input) => endCard(ctx, known(cardId), input.actor, 'lost', { reportedBy: input.reportedBy }),
    invalidate: async (cardId, input) => endCard(ctx, known(cardId), input.actor, input.reason),
    updateAttributes: async (staff, cardId, input) => updateCardAttributes(ctx, staff, known(cardId), input),
    installFreeArea: async (staff, cardId, input) => installFreeArea(ctx, staff, known(cardId), input),
    applyResidentChange: (notice) => applyResidentChangeToCards(ctx, notice),
    async openChip(cardId) {
      await card(cardId);
      return ctx.chips.open(cardId);
    },
    demoPins: async (cardId) => demoPinsOf(ctx, known(cardId)),
    createDemoCards: (lgCode, count) => createDemoCards(ctx, lgCode, count),
  };
}
