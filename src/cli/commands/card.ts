// Card commands: list, info, PIN status, certificate read-out, signing, the PC/SC bridge (attach) and the hotline (suspend/resume).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { connect, type Connection } from '../connect.ts';
import { runCommand } from '../run-command.ts';
import { formatJst } from '../../kernel/clock.ts';
import {
  attachToVpcd, CARD_ATR, CardClient, digestInfo, listPcscReaders, openPcscTransport, VPCD_DEFAULT_PORT,
  type CardPinKind, type CardRecord, type CardTransport,
} from '../../modules/card/index.ts';

const STATUS_NAMES: Record<string, string> = { produced: '作成済み（交付前）', active: '有効', suspended: '一時停止中', invalid: '廃止' };
/** The history's event kinds as the counter calls them (the code stays beside it for support). */
const EVENT_NAMES: Record<string, string> = {
  'application.received': '交付申請の受付', 'card.produced': 'カードの作成', 'card.handed_over': '交付',
  'card.attributes_outdated': '券面記載事項の変更が必要（住民異動）', 'card.attributes_updated': '券面記載事項の変更',
  'card.free_area_installed': '空き領域へのアプリ搭載', 'card.suspended': '一時停止', 'card.resumed': '一時停止の解除', 'card.invalidated': '廃止',
};
const REASON_NAMES: Record<string, string> = { lost: '紛失', deceased: '死亡', moved_abroad: '国外転出', returned: '返納', replaced: '更新による切替', expired: '有効期限切れ' };
const PIN_NAMES: Record<CardPinKind, string> = {
  auth: '利用者証明用電子証明書（4桁）', sign: '署名用電子証明書（6〜16文字）', kenhojo: '券面事項入力補助用（4桁）', juki: '住民基本台帳用（4桁）',
  collationA: '照合番号A（個人番号）', collationB: '照合番号B（生年月日・有効期限・セキュリティコード）',
};
const MEMORY = ['--memory', 'メモリ上の一時データベースを使う（試験用）'] as const;
const READER = ['--reader [name]', '仮想カードではなく PC/SC のカードリーダーのカードを使う（名前を省くと最初にカードがあるリーダー）'] as const;

/** Where a command's card is: a platform-held virtual card by id, or a card in a PC/SC reader. */
async function openCard(cardId: string | undefined, options: { reader?: string | boolean; memory?: boolean }): Promise<{ client: CardClient; done(): Promise<void> }> {
  if (options.reader !== undefined) {
    const transport = await openPcscTransport(typeof options.reader === 'string' ? options.reader : undefined);
    return { client: new CardClient(transport), done: () => transport.close() };
  }
  if (!cardId) throw new Error('カードID を指定してください（`myna-platform card list --demo` で確認できます）。実物のカードは --reader を指定します。');
  const c = await connect(options);
  let transport: CardTransport;
  try {
    transport = await c.ops.cardTransport(cardId);
  } catch (error) {
    await c.close();
    throw error;
  }
  return { client: new CardClient(transport), done: async () => { await transport.close(); await c.close(); } };
}

/** The PIN from --pin or MYNA_CARD_PIN (which keeps it out of the process list). */
function pinFrom(options: { pin?: string }, what: string): string {
  const pin = options.pin ?? process.env['MYNA_CARD_PIN'];
  if (!pin) throw new Error(`${what}の暗証番号を --pin か環境変数 MYNA_CARD_PIN で指定してください`);
  return pin;
}

function printCard(card: CardRecord): void {
  console.log([
    `  カードID: ${card.id}`,
    `  製造番号: ${card.serial}   住民票コード: ${card.residentCode}   団体: ${card.lgCode}`,
    `  状態:     ${STATUS_NAMES[card.status] ?? card.status}${card.invalidReason ? `（${REASON_NAMES[card.invalidReason] ?? card.invalidReason}）` : ''}${card.attributesOutdated ? '  ※券面記載事項変更が必要です' : ''}`,
    `  発行日:   ${card.issuedOn}   有効期限: ${card.expiresOn}`,
    `  電子証明書: 利用者証明用 ${card.authCertificateId ?? 'なし'} / 署名用 ${card.signCertificateId ?? 'なし（15歳未満）'}`,
  ].join('\n'));
}

async function withConnection<T>(options: { memory?: boolean }, work: (c: Connection) => Promise<T>): Promise<T> {
  const c = await connect(options);
  try { return await work(c); } finally { await c.close(); }
}

export function registerCardCommands(program: Command): void {
  const card = program.command('card').description('マイナンバーカード（仮想カード・PC/SC のカード） / My Number cards');

  card.command('list')
    .description('カードの一覧。--demo でデモ用カードと初期暗証番号を表示 / list cards')
    .option('--demo', 'デモ用カードだけを、所有者名と初期暗証番号つきで表示する')
    .option('--lg-code <code>', 'この団体のカードだけ')
    .option('--status <status>', 'produced | active | suspended | invalid')
    .option('--limit <n>', '最大件数', '50')
    .option('--json', 'JSON で出力する（スクリプト用）')
    .option(...MEMORY)
    .action(runCommand(async (options: { demo?: boolean; lgCode?: string; status?: CardRecord['status']; limit: string; json?: boolean; memory?: boolean }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new Error('--limit は 1〜1000 です');
      const cards = await withConnection(options, (c) => c.ops.cardList({
        ...(options.demo ? { demo: true } : {}), ...(options.lgCode ? { lgCode: options.lgCode } : {}), ...(options.status ? { status: options.status } : {}), limit,
      }));
      if (options.json) {
        console.log(JSON.stringify(cards.map((c) => ({
          cardId: c.id, serial: c.serial, lgCode: c.lgCode, residentCode: c.residentCode, status: c.status, expiresOn: c.expiresOn,
          ...(c.demoHolder ? { resident: c.demoHolder.name, pins: c.demoHolder.pins } : {}),
        })), null, 2));
        return;
      }
      if (cards.length === 0) {
        console.log(options.demo ? 'デモ用カードはありません（npm start で初回起動時に作られます。MYNA_DEMO_CARDS）。' : 'カードはありません。');
        return;
      }
      for (const c of cards) {
        const holder = c.demoHolder ? `  ${c.demoHolder.name}` : '';
        console.log(`${c.id}  ${c.serial}  ${STATUS_NAMES[c.status] ?? c.status}  有効期限 ${c.expiresOn}${holder}`);
        if (c.demoHolder) {
          const p = c.demoHolder.pins;
          console.log(`    初期暗証番号  利用者証明用 ${p.auth}  署名用 ${p.sign ?? '（なし: 15歳未満）'}  券面事項入力補助用 ${p.kenhojo}  住基用 ${p.juki}`);
        }
      }
      console.log(`${cards.length} 枚${options.demo ? '（デモ用: 暗証番号は公開の導出値です。実在の方のカードには使いません）' : ''}`);
    }));

  card.command('info')
    .description('カードの状態と履歴 / a card and its history')
    .argument('<card-id>', 'カードID')
    .option('--json', 'JSON で出力する')
    .option(...MEMORY)
    .action(runCommand(async (cardId: string, options: { json?: boolean; memory?: boolean }) => {
      const info = await withConnection(options, (c) => c.ops.cardInfo(cardId));
      if (options.json) { console.log(JSON.stringify(info, null, 2)); return; }
      printCard(info.card);
      console.log('  履歴:');
      for (const e of info.history) console.log(`    ${formatJst(new Date(e.at))}  ${EVENT_NAMES[e.kind] ?? e.kind}（${e.kind}）  ${e.actor}`);
    }));

  card.command('pin-status')
    .description('暗証番号の残り試行回数（試行回数は減りません） / PIN tries left')
    .argument('[card-id]', 'カードID（--reader のときは不要）')
    .option(...READER)
    .option('--json', 'JSON で出力する')
    .option(...MEMORY)
    .action(runCommand(async (cardId: string | undefined, options: { reader?: string | boolean; json?: boolean; memory?: boolean }) => {
      const { client, done } = await openCard(cardId, options);
      try {
        const status = await client.pinStatus();
        if (options.json) { console.log(JSON.stringify(status)); return; }
        for (const [kind, left] of Object.entries(status) as [CardPinKind, number][]) {
          console.log(`  ${PIN_NAMES[kind]}: 残り ${left} 回${left === 0 ? '  ← ロック中: 市区町村の窓口で初期化してください' : ''}`);
        }
      } finally { await done(); }
    }));

  card.command('read-cert')
    .description('カードの電子証明書を読み出す / read a certificate from the card')
    .argument('[card-id]', 'カードID（--reader のときは不要）')
    .option('--auth', '利用者証明用電子証明書（暗証番号不要）')
    .option('--sign', '署名用電子証明書（署名用の暗証番号が必要）')
    .option('--auth-ca', '利用者証明用認証局の証明書')
    .option('--sign-ca', '署名用認証局の証明書')
    .option('--pin <pin>', '署名用の暗証番号（--sign のとき）')
    .requiredOption('--out <file>', '書き出し先（.pem なら PEM、それ以外は DER）')
    .option(...READER)
    .option(...MEMORY)
    .action(runCommand(async (cardId: string | undefined, options: { auth?: boolean; sign?: boolean; authCa?: boolean; signCa?: boolean; pin?: string; out: string; reader?: string | boolean; memory?: boolean }) => {
      const chosen = (['auth', 'sign', 'authCa', 'signCa'] as const).filter((k) => options[k]);
      if (chosen.length !== 1) throw new Error('--auth、--sign、--auth-ca、--sign-ca のどれか一つを指定してください');
      const which = ({ auth: 'auth', sign: 'sign', authCa: 'auth-ca', signCa: 'sign-ca' } as const)[chosen[0]!];
      const { client, done } = await openCard(cardId, options);
      try {
        const der = await client.readCertificate(which, which === 'sign' ? pinFrom(options, '署名用電子証明書') : undefined);
        writeFileSync(options.out, options.out.endsWith('.pem')
          ? `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`
          : der);
        console.log(`証明書（${der.length} バイト、SHA-256 ${createHash('sha256').update(der).digest('hex').slice(0, 16)}…）を ${options.out} に書き出しました。`);
      } finally { await done(); }
    }));

  card.command('sign')
    .description('カードの秘密鍵で署名する（PKCS#1 v1.5、カード内で計算） / sign with the card')
    .argument('[card-id]', 'カードID（--reader のときは不要）')
    .option('--auth', '利用者証明用の鍵（4桁の暗証番号）')
    .option('--sign', '署名用の鍵（6〜16文字の暗証番号）')
    .requiredOption('--in <file>', '署名するファイル')
    .option('--hash <alg>', 'sha256 | sha384 | sha512 | sha1（DigestInfo をカードに渡す）', 'sha256')
    .option('--pin <pin>', '暗証番号（省略時は環境変数 MYNA_CARD_PIN）')
    .option('--out <file>', '署名（256バイト）の書き出し先。省略時は16進で表示')
    .option(...READER)
    .option(...MEMORY)
    .action(runCommand(async (cardId: string | undefined, options: { auth?: boolean; sign?: boolean; in: string; hash: string; pin?: string; out?: string; reader?: string | boolean; memory?: boolean }) => {
      if (!!options.auth === !!options.sign) throw new Error('--auth か --sign のどちらかを指定してください');
      if (!['sha1', 'sha256', 'sha384', 'sha512'].includes(options.hash)) throw new Error('--hash は sha256、sha384、sha512、sha1 のいずれかです');
      const key = options.auth ? 'auth' : 'sign';
      const pin = pinFrom(options, key === 'auth' ? '利用者証明用' : '署名用');
      const input = digestInfo(readFileSync(options.in), options.hash as 'sha256');
      const { client, done } = await openCard(cardId, options);
      try {
        const signature = await client.sign(key, input, pin);
        if (options.out) {
          writeFileSync(options.out, signature);
          console.log(`署名（${signature.length} バイト、${options.hash.toUpperCase()} with RSA）を ${options.out} に書き出しました。検証例: openssl dgst -${options.hash} -verify pub.pem -signature ${options.out} ${options.in}`);
        } else {
          console.log(Buffer.from(signature).toString('hex'));
        }
      } finally { await done(); }
    }));

  card.command('attach')
    .description('仮想カードを pcscd の仮想リーダー（vsmartcard vpcd）に挿入する。Ctrl-C で抜く / insert a virtual card into pcscd')
    .argument('<card-id>', 'カードID')
    .option('--host <host>', 'vpcd のホスト', '127.0.0.1')
    .option('--port <port>', `vpcd のポート（1台目 ${VPCD_DEFAULT_PORT}、2台目 ${VPCD_DEFAULT_PORT + 1}）`, String(VPCD_DEFAULT_PORT))
    .option(...MEMORY)
    .action(runCommand(async (cardId: string, options: { host: string; port: string; memory?: boolean }) => {
      const port = Number(options.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error('--port は 1〜65535 です');
      const c = await connect(options);
      const transport = await c.ops.cardTransport(cardId);
      let apdus = 0;
      const attachment = await attachToVpcd({
        atr: () => CARD_ATR,
        powerOn: async () => undefined,
        powerOff: async () => { await transport.reset(); },
        reset: async () => { await transport.reset(); },
        transmit: async (command) => { apdus += 1; return transport.transmit(command); },
      }, { host: options.host, port, onError: (error) => console.error(`カードの処理でエラー: ${error.message}`) }).catch(async (error) => { await c.close(); throw error; });
      console.log(`カード ${cardId} を仮想リーダー（${options.host}:${port}）に挿入しました。PC/SC のソフトウェア（pkcs15-tool、jpki/myna など）から使えます。Ctrl-C で取り出します。`);
      const stop = async () => { await attachment.detach(); };
      process.once('SIGINT', () => { void stop(); });
      process.once('SIGTERM', () => { void stop(); });
      await attachment.detached;
      await transport.close();
      await c.close();
      console.log(`カードを取り出しました（APDU ${apdus} 件を処理）。`);
    }));

  card.command('readers')
    .description('PC/SC のカードリーダーの一覧 / list PC/SC readers')
    .action(runCommand(async () => {
      const readers = await listPcscReaders();
      if (readers.length === 0) console.log('カードリーダーがありません（pcscd は動いています）。');
      for (const r of readers) console.log(`${r.name}  ${r.cardPresent ? `カードあり ATR ${r.atr}` : 'カードなし'}`);
    }));

  for (const [name, action, summary] of [['suspend', 'suspend', '一時停止（電子証明書を一時停止） / suspend a card'], ['resume', 'resume', '一時停止の解除 / resume a card']] as const) {
    card.command(name)
      .description(summary)
      .argument('<card-id>', 'カードID')
      .option('--reported-by <text>', '届出者（監査記録に残る）', '本人（電話）')
      .option(...MEMORY)
      .action(runCommand(async (cardId: string, options: { reportedBy: string; memory?: boolean }) => {
        const changed = await withConnection(options, (c) => c.ops.cardChangeStatus({ cardId, action, reportedBy: options.reportedBy }));
        console.log(action === 'suspend' ? 'カードを一時停止しました（電子証明書は一時停止中）。' : '一時停止を解除しました。');
        printCard(changed);
      }));
  }
}
