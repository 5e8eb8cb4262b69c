// 個人番号の変更: replaces a leaked individual number with the next generation of the same 住民票コード (番号法 第7条第2項).
import { jstDate } from '../../kernel/clock.ts';
import type { ResidentRecord, StaffPrincipal } from './contract.ts';
import type { RegistryContext } from './registry-context.ts';
import { individualNumbersFor } from './numbering.ts';
import { loadResident, reloadRecord, requireActive } from './resident-access.ts';
import { writeResidentEvent } from './resident-events.ts';
import { checkText, collectProblems, throwIfProblems } from './change-input-checks.ts';
import { registryError } from './errors.ts';

/** The generation is one digit of the numbering plaintext (numbering.ts): 0 first, then up to nine replacements. */
const LAST_GENERATION = 9;

/**
 * Gives the resident a new individual number (the next generation) and keeps the old one in
 * registry.retired_individual_numbers with the reason. The history entry and the outbox message
 * name only the generations, never a number.
 *
 * @throws REGISTRY_RESIDENT_NOT_FOUND, REGISTRY_RESIDENT_NOT_ACTIVE, REGISTRY_MOVE_OUT_PENDING,
 *   REGISTRY_NUMBER_GENERATIONS_EXHAUSTED, REGISTRY_RESIDENT_INVALID (no reason)
 * @example
 * const record = await reissueIndividualNumber(ctx, staff, id, { reason: '漏えいにより不正に用いられるおそれ' });
 */
export async function reissueIndividualNumber(ctx: RegistryContext, staff: StaffPrincipal, residentId: string, input: { reason: string }): Promise<ResidentRecord> {
  const { problems, report } = collectProblems();
  checkText(report, 'reason', '変更の理由', input.reason, 200);
  throwIfProblems(problems);
  const now = ctx.clock.now();
  return ctx.db.transaction().execute(async (tx) => {
    const resident = await loadResident(tx, staff, residentId, { forUpdate: true });
    requireActive(resident);
    const generation = resident.number_generation + 1;
    if (generation > LAST_GENERATION) throw registryError('REGISTRY_NUMBER_GENERATIONS_EXHAUSTED');
    const [number] = individualNumbersFor(ctx.keys, [resident.resident_code], generation) as [string];
    await tx.insertInto('registry.retired_individual_numbers').values({
      individual_number: resident.individual_number, resident_code: resident.resident_code,
      generation: resident.number_generation, retired_at: now, reason: input.reason.trim(),
    }).execute();
    await tx.updateTable('registry.residents')
      .set({ individual_number: number, number_generation: generation, version: resident.version + 1, updated_at: now })
      .where('id', '=', resident.id).execute();
    await writeResidentEvent(tx, {
      staff, resident, kind: 'number_reissue', occurredOn: jstDate(now), recordedAt: now,
      before: { number_generation: resident.number_generation }, after: { number_generation: generation },
      note: input.reason.trim(), outboxTopic: 'resident.number-reissued',
    });
    return reloadRecord(tx, staff, resident.id);
  });
}
