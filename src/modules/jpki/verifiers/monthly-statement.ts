// The monthly statement of one verifier: status checks by service, priced from the configured table.
import type { JpkiDeps } from '../config.ts';
import type { MonthlyStatement, StatementLine } from '../contract.ts';
import { endOfJstDay } from '../certificate-validity.ts';
import { isUuid } from '../../../kernel/ids/uuid.ts';
import { jpkiError } from '../errors.ts';
import { toVerifierRecord } from './register-verifier.ts';

function monthBounds(month: string): { start: Date; end: Date } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const lastDay = new Date(Date.UTC(y, m, 0)).getUTCDate();
  // From 00:00 JST of the 1st to 23:59:59 JST of the last day.
  return { start: new Date(Date.UTC(y, m - 1, 1) - 9 * 3_600_000), end: endOfJstDay(`${month}-${String(lastDay).padStart(2, '0')}`) };
}

/**
 * OCSP and verification API calls are billed per call. The CRL is billed per certificate per month:
 * in a month in which the verifier downloaded a CRL, each certificate it had stored and that was
 * valid at some time in the month counts once.
 */
export async function monthlyStatement(deps: JpkiDeps, verifierId: string, month: string): Promise<MonthlyStatement> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw jpkiError('JPKI_REQUEST_INVALID', { detail: '対象月は YYYY-MM です' });
  if (!isUuid(verifierId)) throw jpkiError('JPKI_VERIFIER_NOT_FOUND');
  const db = deps.database.db;
  const row = await db.selectFrom('jpki.verifiers').selectAll().where('id', '=', verifierId).executeTakeFirst();
  if (!row) throw jpkiError('JPKI_VERIFIER_NOT_FOUND');
  const usage = await db.selectFrom('jpki.usage').select(['service', 'count']).where('verifier_id', '=', verifierId).where('month', '=', month).execute();
  const used = (service: string) => Number(usage.find((u) => u.service === service)?.count ?? 0);
  const prices = deps.settings.prices;
  const lines: StatementLine[] = [
    { service: 'ocsp', label: 'OCSP による失効確認（1件）', quantity: used('ocsp'), unitYen: prices.ocspYen, amountYen: used('ocsp') * prices.ocspYen },
    { service: 'verify', label: '検証 API（1件）', quantity: used('verify'), unitYen: prices.verifyYen, amountYen: used('verify') * prices.verifyYen },
  ];
  if (used('crl') > 0) {
    const { start, end } = monthBounds(month);
    const certificates = await db.selectFrom('jpki.stored_certificates as s').innerJoin('jpki.certificates as c', 'c.id', 's.certificate_id')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('s.verifier_id', '=', verifierId).where('s.stored_at', '<=', end).where('c.not_after', '>=', start).where('c.not_before', '<=', end)
      .executeTakeFirstOrThrow();
    const quantity = Number(certificates.n);
    lines.push({ service: 'crl', label: `CRL による失効確認（証明書1枚・月額、CRL 取得 ${used('crl')} 回）`, quantity, unitYen: prices.crlCertificateMonthYen, amountYen: quantity * prices.crlCertificateMonthYen });
  }
  return { verifier: toVerifierRecord(row), month, lines, totalYen: lines.reduce((sum, line) => sum + line.amountYen, 0) };
}
