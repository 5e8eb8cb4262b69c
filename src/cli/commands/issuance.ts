// コンビニ交付 commands: a scripted kiosk (`kiosk run`, `kiosk reconcile` after a crash); the settlement and operating-charge statements, maintenance windows and verification (`issuance …`).
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../kernel/config.ts';
import { readHandover } from '../../platform/server-handover.ts';
import { connect } from '../connect.ts';
import { runCommand } from '../run-command.ts';
import { CardClient, digestInfo, virtualReaderTransport } from '../../modules/card/index.ts';
import { openKioskJournal, type ReconcileSummary } from '../../modules/issuance/index.ts';
import { join } from 'node:path';
import { CERTIFICATE_TITLES, kioskClient, operatingChargeCsv, settlementCsv } from '../../modules/issuance/index.ts';
import { formatJst } from '../../kernel/clock.ts';
import type { MaintenanceSummary } from '../../platform/platform-operations.ts';

/** The running platform's URL: --url, or the local server's hand-over file. */
function platformUrl(url: string | undefined): string {
  if (url) return url;
  const handover = readHandover(loadConfig(process.env).dataDir);
  if (!handover) throw new Error('稼働中のサーバーが見つかりません。npm start で起動するか、--url でサーバーを指定してください。');
  return handover.url;
}

/** `--option name=value` (repeatable); a value with commas becomes a list (members=id1,id2). */
function parseOptions(pairs: string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`--option は 名前=値 の形で指定してください: ${pair}`);
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    options[name] = name === 'members' && value !== 'all' ? value.split(',') : value;
  }
  return options;
}

/** Where `kiosk run` and `kiosk reconcile` keep the kiosk's journal unless --journal says: beside the platform's data, as the demo kiosk belongs to it. */
const KIOSK_JOURNAL = 'kiosk/journal.jsonl';

function defaultJournalPath(): string {
  return join(loadConfig(process.env).dataDir, KIOSK_JOURNAL);
}

/** The kiosk credential: --credential, MYNA_KIOSK_CREDENTIAL, or the demo kiosk's (`GET /kiosk/config.json`). */
async function kioskCredential(url: string, given: string | undefined): Promise<string> {
  return given ?? process.env['MYNA_KIOSK_CREDENTIAL'] ?? (await (await fetch(`${url}/kiosk/config.json`)).json() as { kioskCredential: string }).kioskCredential;
}

function reconcileLine(s: ReconcileSummary): string {
  const extra = [s.unknown > 0 ? `センターに記録のない受付 ${s.unknown} 件` : '', s.left > 0 ? `未照合 ${s.left} 件` : ''].filter(Boolean).join('、');
  return `照合しました: 注文 ${s.orders} 件、印刷済み ${s.copiesConfirmed} 通（精算）、未印刷 ${s.copiesRefunded} 通（返金）、受付の終了 ${s.sessionsEnded} 件${extra ? `、${extra}` : ''}。`;
}

export function registerIssuanceCommands(program: Command): void {
  const kiosk = program.command('kiosk').description('コンビニ交付の端末（スクリプト） / scripted kiosk');
  kiosk.command('run')
    .description('キオスクと同じ手順で証明書を1件交付し、印刷した PDF を書き出す（開始前に前回の異常終了を照合） / walk the kiosk protocol and write the printed PDF (reconciles first)')
    .requiredOption('--card <card-id>', 'デモ用カードのID（card list --demo）')
    .requiredOption('--pin <pin>', '利用者証明用電子証明書の暗証番号（4桁）')
    .requiredOption('--type <type>', 'juminhyo | juminhyo_kisai_jiko | inkan | tax | koseki | koseki_fuhyo')
    .option('--option <name=value>', '選択肢（繰り返し可）例: layout=individual, showHonseki=yes, fiscalYear=2026', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--target <target>', 'residence（住所地）| honseki（本籍地、戸籍）')
    .option('--copies <n>', '通数（1〜10）', '1')
    .requiredOption('--out <file>', '書き出す PDF（2通以上は file-2.pdf … も）')
    .option('--journal <file>', `端末の記録ファイル（既定: <データフォルダ>/${KIOSK_JOURNAL}）`)
    .option('--url <url>', 'プラットフォームの URL（既定: 稼働中のローカルサーバー）')
    .option('--credential <credential>', '端末の認証情報（既定: デモ端末、環境変数 MYNA_KIOSK_CREDENTIAL）')
    .action(runCommand(async (options: { card: string; pin: string; type: string; option: string[]; target?: 'residence' | 'honseki'; copies: string; out: string; journal?: string; url?: string; credential?: string }) => {
      const url = platformUrl(options.url);
      const credential = await kioskCredential(url, options.credential);
      const journal = openKioskJournal(options.journal ?? defaultJournalPath());
      try {
        const kioskApi = kioskClient(url, credential, { journal });
        const reconciled = await kioskApi.reconcile();
        if (reconciled.orders + reconciled.sessionsEnded + reconciled.unknown + reconciled.left > 0) console.log(reconcileLine(reconciled));
        const client = new CardClient(virtualReaderTransport(url, options.card));
        await client.reset();
        const fileFor = (copy: number) => (copy === 1 ? options.out : options.out.replace(/(\.pdf)?$/i, `-${copy}.pdf`));
        const run = await kioskApi.run({
          authCertificate: () => client.readCertificate('auth'),
          signChallenge: (challenge, pin) => client.sign('auth', digestInfo(challenge), pin),
        }, {
          pin: options.pin, type: options.type, copies: Number(options.copies), options: parseOptions(options.option), ...(options.target ? { target: options.target } : {}),
          // The scripted printer: a copy is printed once its file is written.
          printer: { print: async (copy, pdf) => writeFileSync(fileFor(copy), pdf) },
        });
        await client.reset();
        const printed = run.printed.filter((c) => c.printed).length;
        console.log(`${run.municipality.name}の${run.order.title}を${printed}通交付しました（手数料 ${run.order.feePerCopyYen * printed}円、受付番号 ${run.receipt.receiptNo}）。`);
        if (run.receipt.refundedYen > 0) console.log(`  印刷できなかった ${run.order.copies - printed}通の ${run.receipt.refundedYen}円を返金しました。`);
        console.log(`  → ${options.out}${printed > 1 ? ` ほか${printed - 1}通` : ''}。カードと証明書のお取り忘れにご注意ください。`);
      } finally {
        journal.close();
      }
    }));
  kiosk.command('reconcile')
    .description('異常終了した端末の照合だけを行う（印刷済みは精算、未印刷は返金、受付を終了） / reconcile after a crash: report print results, end sessions')
    .option('--journal <file>', `端末の記録ファイル（既定: <データフォルダ>/${KIOSK_JOURNAL}）`)
    .option('--url <url>', 'プラットフォームの URL（既定: 稼働中のローカルサーバー）')
    .option('--credential <credential>', '端末の認証情報（既定: デモ端末、環境変数 MYNA_KIOSK_CREDENTIAL）')
    .option('--json', 'JSON で出力する')
    .action(runCommand(async (options: { journal?: string; url?: string; credential?: string; json?: boolean }) => {
      const url = platformUrl(options.url);
      const credential = await kioskCredential(url, options.credential);
      const journal = openKioskJournal(options.journal ?? defaultJournalPath());
      try {
        const summary = await kioskClient(url, credential, { journal }).reconcile();
        if (options.json) console.log(JSON.stringify(summary));
        else {
          console.log(reconcileLine(summary));
          for (const r of summary.receipts) console.log(`  注文 ${r.orderId}: 受付番号 ${r.receiptNo}${r.refundedYen > 0 ? `、返金 ${r.refundedYen}円` : ''}`);
        }
        if (summary.left > 0) {
          console.error(`${summary.left} 件はまだ照合できません（記録に残しました）。しばらくしてから再実行してください。`);
          process.exitCode = 1;
        }
      } finally {
        journal.close();
      }
    }));

  const issuance = program.command('issuance').description('コンビニ交付の精算・運営負担金・保守・検証 / settlement, operating charge, maintenance and verification');
  registerIssuanceVerifyCommand(issuance);
  registerMaintenanceCommands(issuance);
  issuance.command('settlement')
    .description('月次の精算書（団体・事業者・証明書ごとの通数、手数料、委託手数料、返金） / monthly settlement statement')
    .requiredOption('--month <YYYY-MM>', '対象月（日本時間）')
    .option('--lg-code <code>', 'この団体だけ')
    .option('--operator <id>', 'この事業者だけ')
    .option('--out <file>', 'CSV の書き出し先（省略時は標準出力）')
    .option('--memory', 'メモリ上の一時データベースを使う（試験用）')
    .action(runCommand(async (options: { month: string; lgCode?: string; operator?: string; out?: string; memory?: boolean }) => {
      const c = await connect(options);
      try {
        const lines = await c.ops.issuanceSettlement({ month: options.month, ...(options.lgCode ? { lgCode: options.lgCode } : {}), ...(options.operator ? { operatorId: options.operator } : {}) });
        const csv = settlementCsv(lines);
        if (options.out) {
          writeFileSync(options.out, csv);
          console.log(`${options.month} の精算書（${lines.length} 行、交付 ${lines.reduce((s, l) => s + l.copies, 0)} 通）を ${options.out} に書き出しました。`);
        } else {
          process.stdout.write(csv);
        }
      } finally { await c.close(); }
    }));
  issuance.command('operating-charge')
    .description('J-LIS の運営負担金（年額）の明細：参加団体ごとの人口・区分・金額 / yearly operating charge per participating municipality')
    .requiredOption('--fiscal-year <YYYY>', '年度（4月〜翌年3月、日本時間）例 2026')
    .option('--out <file>', 'CSV の書き出し先（省略時は標準出力）')
    .option('--memory', 'メモリ上の一時データベースを使う（試験用）')
    .action(runCommand(async (options: { fiscalYear: string; out?: string; memory?: boolean }) => {
      if (!/^\d{4}$/.test(options.fiscalYear)) throw new Error('--fiscal-year は西暦4桁の年度で指定してください（例 2026 = 2026年4月〜2027年3月）');
      const c = await connect(options);
      try {
        const lines = await c.ops.issuanceOperatingCharge({ fiscalYear: Number(options.fiscalYear) });
        const csv = operatingChargeCsv(lines);
        if (options.out) {
          writeFileSync(options.out, csv);
          const total = lines.reduce((sum, l) => sum + l.yenPerYear, 0);
          console.log(`${options.fiscalYear}年度の運営負担金（${lines.length} 団体、合計 ${total.toLocaleString('ja-JP')} 円）を ${options.out} に書き出しました。`);
        } else {
          process.stdout.write(csv);
        }
      } finally { await c.close(); }
    }));
}

const MAINTENANCE_STATE = { current: '停止中', upcoming: '予定', ended: '終了' } as const;

/** 「ID 3 サービス全体 2026-12-01 01:00:00 JST 〜 … 予定 定期保守」 */
function describeWindow(w: MaintenanceSummary): string {
  return `ID ${w.id}  ${w.lgCode ? `団体 ${w.lgCode}` : 'サービス全体'}  ${formatJst(new Date(w.from))} 〜 ${formatJst(new Date(w.until))}  ${MAINTENANCE_STATE[w.state]}  ${w.reason}`;
}

/** `issuance maintenance list|add|end|remove`; `issuance maintenance --from … --until … --reason …` still adds (add is the default). */
function registerMaintenanceCommands(issuance: Command): void {
  const maintenance = issuance.command('maintenance')
    .description('保守のための停止時間の一覧・登録・終了・削除（キオスクは再開時刻を案内） / maintenance windows: list, add, end, remove');
  maintenance.command('add', { isDefault: true })
    .description('停止時間を登録する（サブコマンド省略時もこれ） / schedule a maintenance window')
    .requiredOption('--from <time>', '開始（例 2026-12-01T01:00+09:00）')
    .requiredOption('--until <time>', '終了')
    .requiredOption('--reason <text>', '理由（キオスクに表示）')
    .option('--lg-code <code>', 'この団体だけ（省略時はサービス全体）')
    .option('--memory', 'メモリ上の一時データベースを使う（試験用）')
    .action(runCommand(async (options: { from: string; until: string; reason: string; lgCode?: string; memory?: boolean }) => {
      const from = new Date(options.from);
      const until = new Date(options.until);
      if (Number.isNaN(from.getTime()) || Number.isNaN(until.getTime())) throw new Error('--from と --until は日時（ISO 8601）で指定してください');
      const c = await connect(options);
      try {
        const window = await c.ops.issuanceMaintenance({ lgCode: options.lgCode ?? null, from: from.toISOString(), until: until.toISOString(), reason: options.reason });
        console.log(`${options.lgCode ? `団体 ${options.lgCode}` : 'サービス全体'}の停止を登録しました: ${formatJst(from)} 〜 ${formatJst(until)}（${options.reason}）ID ${window.id}`);
      } finally { await c.close(); }
    }));
  maintenance.command('list')
    .description('終わっていない停止時間（停止中と予定）を開始順に表示する / current and upcoming windows')
    .option('--lg-code <code>', 'この団体に関わるもの（団体の停止とサービス全体の停止）')
    .option('--global', 'サービス全体の停止だけ')
    .option('--json', 'JSON で出力する')
    .option('--memory', 'メモリ上の一時データベースを使う（試験用）')
    .action(runCommand(async (options: { lgCode?: string; global?: boolean; json?: boolean; memory?: boolean }) => {
      if (options.lgCode && options.global) throw new Error('--lg-code と --global は同時に指定できません');
      const c = await connect(options);
      try {
        const windows = await c.ops.issuanceMaintenanceList(options.global ? { lgCode: null } : options.lgCode ? { lgCode: options.lgCode } : {});
        if (options.json) console.log(JSON.stringify(windows));
        else if (windows.length === 0) console.log('停止中・予定の保守はありません。');
        else for (const w of windows) console.log(describeWindow(w));
      } finally { await c.close(); }
    }));
  maintenance.command('end')
    .description('停止を今すぐ終える（開始前の予定は取り消す） / end a window now (one not yet started is removed)')
    .argument('<id>', '停止時間の ID（maintenance list）')
    .option('--memory', 'メモリ上の一時データベースを使う（試験用）')
    .action(runCommand(async (id: string, options: { memory?: boolean }) => {
      const c = await connect(options);
      try {
        const { outcome, window } = await c.ops.issuanceMaintenanceEnd({ id });
        if (outcome === 'ended') console.log(`停止を終了しました（利用時間内ならすぐ再開します）: ${describeWindow(window)}`);
        else if (outcome === 'removed') console.log(`まだ始まっていない停止だったため、予定を取り消しました: ${describeWindow(window)}`);
        else console.log(`この停止は既に終了しています（変更なし）: ${describeWindow(window)}`);
      } finally { await c.close(); }
    }));
  maintenance.command('remove')
    .description('停止時間を削除する / delete a window')
    .argument('<id>', '停止時間の ID（maintenance list）')
    .option('--memory', 'メモリ上の一時データベースを使う（試験用）')
    .action(runCommand(async (id: string, options: { memory?: boolean }) => {
      const c = await connect(options);
      try {
        const window = await c.ops.issuanceMaintenanceRemove({ id });
        console.log(`停止時間を削除しました: ${describeWindow(window)}`);
      } finally { await c.close(); }
    }));
}

/** `issuance verify <file.pdf>`: exit 0 genuine, 1 altered or unknown (scripts can branch on it). */
export function registerIssuanceVerifyCommand(issuance: Command): void {
  const RESULT = { genuine: '本物です（発行後に変更されていません）', altered: '改ざんされています', unknown: '確認できません（このシステムで発行された証明書ではないか、署名がありません）' } as const;
  issuance.command('verify')
    .description('証明書PDFの真正性を確認する（genuine / altered / unknown） / verify a certificate PDF')
    .argument('<file.pdf>', '証明書のPDF')
    .option('--json', 'JSON で出力する')
    .option('--memory', 'メモリ上の一時データベースを使う（試験用）')
    .action(runCommand(async (file: string, options: { json?: boolean; memory?: boolean }) => {
      const pdfBase64 = readFileSync(file).toString('base64');
      const c = await connect(options);
      try {
        const result = await c.ops.issuanceVerify({ pdfBase64 });
        if (options.json) console.log(JSON.stringify(result));
        else {
          console.log(`${result.result}: ${RESULT[result.result]}`);
          console.log(`  ${result.reason}`);
          if (result.serialNumber) console.log(`  発行番号 ${result.serialNumber}  団体 ${result.lgCode}  種類 ${result.kind ? CERTIFICATE_TITLES[result.kind] : '不明'}  発行 ${result.issuedAt ? formatJst(new Date(result.issuedAt)) : '不明'}`);
        }
        if (result.result !== 'genuine') process.exitCode = 1;
      } finally { await c.close(); }
    }));
}
