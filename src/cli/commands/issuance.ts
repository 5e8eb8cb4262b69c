// コンビニ交付 commands: a scripted kiosk (`kiosk run`) and the monthly settlement statement (`issuance settlement`).
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../kernel/config.ts';
import { readHandover } from '../../platform/server-handover.ts';
import { connect } from '../connect.ts';
import { runCommand } from '../run-command.ts';
import { CardClient, digestInfo, virtualReaderTransport } from '../../modules/card/index.ts';
import { kioskClient, settlementCsv } from '../../modules/issuance/index.ts';

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

export function registerIssuanceCommands(program: Command): void {
  const kiosk = program.command('kiosk').description('コンビニ交付の端末（スクリプト） / scripted kiosk');
  kiosk.command('run')
    .description('キオスクと同じ手順で証明書を1件交付し、印刷した PDF を書き出す / walk the kiosk protocol and write the printed PDF')
    .requiredOption('--card <card-id>', 'デモ用カードのID（card list --demo）')
    .requiredOption('--pin <pin>', '利用者証明用電子証明書の暗証番号（4桁）')
    .requiredOption('--type <type>', 'juminhyo | juminhyo_kisai_jiko | inkan | tax | koseki | koseki_fuhyo')
    .option('--option <name=value>', '選択肢（繰り返し可）例: layout=individual, showHonseki=yes, fiscalYear=2026', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--target <target>', 'residence（住所地）| honseki（本籍地、戸籍）')
    .option('--copies <n>', '通数（1〜10）', '1')
    .requiredOption('--out <file>', '書き出す PDF（2通以上は file-2.pdf … も）')
    .option('--url <url>', 'プラットフォームの URL（既定: 稼働中のローカルサーバー）')
    .option('--credential <credential>', '端末の認証情報（既定: デモ端末、環境変数 MYNA_KIOSK_CREDENTIAL）')
    .action(runCommand(async (options: { card: string; pin: string; type: string; option: string[]; target?: 'residence' | 'honseki'; copies: string; out: string; url?: string; credential?: string }) => {
      const url = platformUrl(options.url);
      const credential = options.credential ?? process.env['MYNA_KIOSK_CREDENTIAL'] ?? (await (await fetch(`${url}/kiosk/config.json`)).json() as { kioskCredential: string }).kioskCredential;
      const client = new CardClient(virtualReaderTransport(url, options.card));
      await client.reset();
      const run = await kioskClient(url, credential).run({
        authCertificate: () => client.readCertificate('auth'),
        signChallenge: (challenge, pin) => client.sign('auth', digestInfo(challenge), pin),
      }, { pin: options.pin, type: options.type, copies: Number(options.copies), options: parseOptions(options.option), ...(options.target ? { target: options.target } : {}) });
      await client.reset();
      run.documents.forEach((pdf, i) => writeFileSync(i === 0 ? options.out : options.out.replace(/(\.pdf)?$/i, `-${i + 1}.pdf`), pdf));
      console.log(`${run.municipality.name}の${run.order.title}を${run.order.copies}通交付しました（手数料 ${run.order.totalYen}円、受付番号 ${run.receipt.receiptNo}）。`);
      console.log(`  → ${options.out}${run.documents.length > 1 ? ` ほか${run.documents.length - 1}通` : ''}。カードと証明書のお取り忘れにご注意ください。`);
    }));

  const issuance = program.command('issuance').description('コンビニ交付の精算と検証 / settlement and verification');
  registerIssuanceVerifyCommand(issuance);
  issuance.command('maintenance')
    .description('保守のための停止時間を登録する（キオスクは再開時刻を案内） / schedule a maintenance window')
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
        await c.ops.issuanceMaintenance({ lgCode: options.lgCode ?? null, from: from.toISOString(), until: until.toISOString(), reason: options.reason });
        console.log(`${options.lgCode ? `団体 ${options.lgCode}` : 'サービス全体'}の停止を登録しました: ${from.toISOString()} 〜 ${until.toISOString()}（${options.reason}）`);
      } finally { await c.close(); }
    }));
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
          if (result.serialNumber) console.log(`  発行番号 ${result.serialNumber}  団体 ${result.lgCode}  種類 ${result.kind}  発行 ${result.issuedAt}`);
        }
        if (result.result !== 'genuine') process.exitCode = 1;
      } finally { await c.close(); }
    }));
}
