// Monthly settlement (精算): copies, fees and store commissions per municipality and operator, from one row per printed copy (J-LIS's yearly charge: operating-charge-statement.ts).
import { sql, type Kysely } from 'kysely';
import { issuanceError } from './errors.ts';

/** One line of a month's statement. */
export interface SettlementLine {
  month: string;
  lgCode: string;
  operatorId: string;
  type: string;
  copies: number;
  feesYen: number;
  commissionYen: number;
  refunds: number;
  refundedYen: number;
}

/** The statement of a month (`YYYY-MM`, JST), by municipality, operator and certificate type. */
export async function settlementStatement(db: Kysely<any>, month: string, filter: { lgCode?: string; operatorId?: string } = {}): Promise<SettlementLine[]> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw issuanceError('ISSUANCE_REQUEST_INVALID', { detail: '月は YYYY-MM で指定してください' });
  let printed = db.selectFrom('issuance.settlement_rows')
    .select(['lg_code', 'operator_id', 'type'])
    .select((eb) => [eb.fn.countAll<number>().as('copies'), eb.fn.sum<number>('fee_yen').as('fees'), eb.fn.sum<number>('commission_yen').as('commission')])
    .where('month', '=', month).groupBy(['lg_code', 'operator_id', 'type']);
  if (filter.lgCode) printed = printed.where('lg_code', '=', filter.lgCode);
  if (filter.operatorId) printed = printed.where('operator_id', '=', filter.operatorId);
  const rows = await printed.execute();
  const refunds = await db.selectFrom('issuance.refunds as r').innerJoin('issuance.orders as o', 'o.id', 'r.order_id')
    .select(['o.lg_code', 'o.operator_id', 'o.type']).select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('r.amount_yen').as('yen')])
    // The JST month, as for printed copies (the database's own time zone may be UTC).
    .where(sql<string>`to_char((r.at AT TIME ZONE 'UTC') + interval '9 hours', 'YYYY-MM')`, '=', month)
    .groupBy(['o.lg_code', 'o.operator_id', 'o.type']).execute();
  const key = (r: { lg_code: string; operator_id: string; type: string }) => `${r.lg_code}/${r.operator_id}/${r.type}`;
  const lines = new Map<string, SettlementLine>();
  for (const r of rows) lines.set(key(r), { month, lgCode: r.lg_code, operatorId: r.operator_id, type: r.type, copies: Number(r.copies), feesYen: Number(r.fees), commissionYen: Number(r.commission), refunds: 0, refundedYen: 0 });
  for (const r of refunds) {
    if (filter.lgCode && r.lg_code !== filter.lgCode) continue;
    if (filter.operatorId && r.operator_id !== filter.operatorId) continue;
    const line = lines.get(key(r)) ?? { month, lgCode: r.lg_code, operatorId: r.operator_id, type: r.type, copies: 0, feesYen: 0, commissionYen: 0, refunds: 0, refundedYen: 0 };
    line.refunds = Number(r.n);
    line.refundedYen = Number(r.yen);
    lines.set(key(r), line);
  }
  return [...lines.values()].sort((a, b) => key({ lg_code: a.lgCode, operator_id: a.operatorId, type: a.type }).localeCompare(key({ lg_code: b.lgCode, operator_id: b.operatorId, type: b.type })));
}

/** The statement as CSV (UTF-8 with a header; what a municipality's accounting imports). */
export function settlementCsv(lines: readonly SettlementLine[]): string {
  const header = '対象月,地方公共団体コード,事業者,証明書,交付通数,手数料（円）,委託手数料（円）,返金件数,返金額（円）';
  return [header, ...lines.map((l) => [l.month, l.lgCode, l.operatorId, l.type, l.copies, l.feesYen, l.commissionYen, l.refunds, l.refundedYen].join(','))].join('\n') + '\n';
}
