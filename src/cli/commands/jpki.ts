// JPKI commands: init (the CAs), issue, revoke/hold/release, status, crl, verifier registration and statements.
import { createPublicKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { connect } from '../connect.ts';
import { runCommand } from '../run-command.ts';
import { formatJst } from '../../kernel/clock.ts';
import type { CertificateSummary } from '../../platform/platform-operations.ts';
import type { CertificateRef, VerifierKind } from '../../modules/jpki/index.ts';

const KIND_NAMES: Record<string, string> = { sign: '署名用認証局', auth: '利用者証明用認証局' };

/** PEM of base64 DER; CRLs take OpenSSL's `X509 CRL` label. */
function pem(base64: string, label: 'CERTIFICATE' | 'X509 CRL' = 'CERTIFICATE'): string {
  return `-----BEGIN ${label}-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
}

const STATUS_NAMES: Record<string, string> = { good: '有効', hold: '一時停止中', revoked: '失効' };
/** Revocation reasons as 運用規程 §4.9.9 words them (docs/jpki.md); the code stays beside it. */
const REASON_NAMES: Record<string, string> = {
  keyCompromise: '秘密鍵の危殆化（紛失等）', affiliationChanged: '記載内容の変更', superseded: '更新',
  cessationOfOperation: '必要性の消滅', certificateHold: '一時保留',
};
const jst = (iso: string) => formatJst(new Date(iso));
const REVOKE_REASONS = ['keyCompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation'] as const;
const VERIFIER_KINDS: Record<string, VerifierKind> = { signature: 'signature', auth: 'user_authentication', user_authentication: 'user_authentication', operator: 'platform_operator', platform_operator: 'platform_operator' };

/** A public key file (PEM or DER; SPKI, or an RSA public key) as DER SubjectPublicKeyInfo, base64. */
function readPublicKey(file: string): string {
  const bytes = readFileSync(file);
  const text = bytes.toString('latin1');
  try {
    const key = text.includes('-----BEGIN') ? createPublicKey(text) : createPublicKey({ key: bytes, format: 'der', type: 'spki' });
    return key.export({ format: 'der', type: 'spki' }).toString('base64');
  } catch {
    throw new Error(`${file} は公開鍵（PEM または DER の SubjectPublicKeyInfo）として読めません。例: openssl rsa -in key.pem -pubout -out pub.pem`);
  }
}

/** A serial (hex, colons allowed) or a certificate id. */
function certificateRef(value: string): CertificateRef {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(value) ? { id: value } : { serialHex: value };
}

function writeCertificate(file: string, derBase64: string): void {
  writeFileSync(file, file.endsWith('.pem') ? pem(derBase64) : Buffer.from(derBase64, 'base64'));
}

function printCertificate(c: CertificateSummary): void {
  console.log([
    `  種別:     ${c.kind === 'sign' ? '署名用電子証明書' : '利用者証明用電子証明書'}（認証局 第${c.caGeneration}世代）`,
    `  シリアル: ${c.serialHex}`,
    `  ID:       ${c.id}`,
    `  有効期間: ${jst(c.notBefore)} 〜 ${jst(c.notAfter)}`,
    `  状態:     ${STATUS_NAMES[c.status] ?? c.status}${c.revocationReason ? `（${REASON_NAMES[c.revocationReason] ?? ''} ${c.revocationReason}）` : ''}${c.statusChangedAt ? ` ${jst(c.statusChangedAt)}` : ''}`,
  ].join('\n'));
}

export function registerJpkiCommands(program: Command): void {
  const jpki = program.command('jpki').description('公的個人認証（JPKI）の認証局と証明書 / JPKI certificate authorities');
  jpki.command('init')
    .description('署名用・利用者証明用の認証局を作成する（作成済みなら何もしない） / create the two CAs')
    .option('--new-generation', '新しい世代の認証局を作り、以後の発行に使う（鍵の更新）')
    .option('--out <dir>', '認証局証明書を <dir>/sign-ca.pem と <dir>/auth-ca.pem に書き出す')
    .option('--memory', 'メモリ上の一時データベースを使う（試験用）')
    .action(runCommand(async (options: { newGeneration?: boolean; out?: string; memory?: boolean }) => {
      const c = await connect(options);
      try {
        const { created, existing } = await c.ops.jpkiInit({ newGeneration: options.newGeneration === true });
        for (const ca of created) console.log(`${KIND_NAMES[ca.kind]}（第${ca.generation}世代、シリアル ${ca.serialHex}）を作成しました。有効期間 ${jst(ca.notBefore)} 〜 ${jst(ca.notAfter)}`);
        for (const ca of existing) console.log(`${KIND_NAMES[ca.kind]}は作成済みです（第${ca.generation}世代、シリアル ${ca.serialHex}）`);
        if (options.out) {
          for (const ca of [...created, ...existing]) {
            const file = join(options.out, `${ca.kind}-ca.pem`);
            writeFileSync(file, pem(ca.certificateBase64));
            console.log(`  → ${file}`);
          }
        }
        console.log(`完了（${c.via}）。証明書は /jpki/ca/sign.cer と /jpki/ca/auth.cer でも取得できます。`);
      } finally { await c.close(); }
    }));

  jpki.command('issue')
    .description('住民の公開鍵に電子証明書を発行する / issue a certificate for a resident\'s public key')
    .requiredOption('--resident <code>', '住民票コード（11桁）')
    .requiredOption('--kind <kind>', 'sign（署名用）または auth（利用者証明用）')
    .requiredOption('--public-key <file>', '公開鍵ファイル（PEM/DER、RSA-2048）')
    .option('--lg-code <code>', '住所地の地方公共団体コード', process.env['MYNA_DEMO_MUNICIPALITY'] || '132047')
    .option('--card-expires <date>', 'カードの有効期限（YYYY-MM-DD）。証明書はこれを超えない')
    .option('--renews <id>', '更新する証明書の ID（旧証明書は superseded で失効）')
    .option('--out <file>', '証明書を書き出す（.pem なら PEM、それ以外は DER）')
    .option('--memory', 'メモリ上の一時データベースを使う（試験用）')
    .action(runCommand(async (options: { resident: string; kind: string; publicKey: string; lgCode: string; cardExpires?: string; renews?: string; out?: string; memory?: boolean }) => {
      if (options.kind !== 'sign' && options.kind !== 'auth') throw new Error('--kind は sign か auth です');
      const spkiBase64 = readPublicKey(options.publicKey);
      const c = await connect(options);
      try {
        const issued = await c.ops.jpkiIssue({
          lgCode: options.lgCode, residentCode: options.resident, kind: options.kind, spkiBase64,
          ...(options.cardExpires ? { cardExpiresOn: options.cardExpires } : {}), ...(options.renews ? { replacesId: options.renews } : {}),
        });
        console.log('電子証明書を発行しました。');
        printCertificate(issued);
        if (options.out) {
          writeCertificate(options.out, issued.derBase64);
          console.log(`  → ${options.out}`);
        }
      } finally { await c.close(); }
    }));

  jpki.command('revoke')
    .description('電子証明書を失効・一時停止・停止解除する / revoke, hold or release a certificate')
    .argument('<serial-or-id>', 'シリアル番号（16進）または証明書 ID')
    .option('--reason <reason>', `失効理由: ${REVOKE_REASONS.join(' | ')}`)
    .option('--hold', '一時停止する（certificateHold）')
    .option('--release', '一時停止を解除する')
    .option('--source <text>', '依頼元（監査記録に残る）', '運用者（CLI）')
    .option('--memory', 'メモリ上の一時データベースを使う（試験用）')
    .action(runCommand(async (serial: string, options: { reason?: string; hold?: boolean; release?: boolean; source: string; memory?: boolean }) => {
      const chosen = [options.reason !== undefined, options.hold === true, options.release === true].filter(Boolean).length;
      if (chosen !== 1) throw new Error('--reason <理由>、--hold、--release のどれか一つを指定してください');
      if (options.reason !== undefined && !(REVOKE_REASONS as readonly string[]).includes(options.reason)) {
        throw new Error(`失効理由は ${REVOKE_REASONS.join(' / ')} のいずれかです（一時停止は --hold）`);
      }
      const action = options.hold ? 'hold' : options.release ? 'release' : 'revoke';
      const c = await connect(options);
      try {
        const changed = await c.ops.jpkiChangeStatus({
          ref: certificateRef(serial), action, source: options.source,
          ...(options.reason ? { reason: options.reason as (typeof REVOKE_REASONS)[number] } : {}),
        });
        console.log({ revoke: '失効させました。', hold: '一時停止しました。', release: '一時停止を解除しました。' }[action]);
        printCertificate(changed);
      } finally { await c.close(); }
    }));

  jpki.command('status')
    .description('電子証明書の状態を表示する / show a certificate\'s status')
    .argument('<serial-or-id>', 'シリアル番号（16進）または証明書 ID')
    .option('--json', 'JSON で出力する')
    .option('--out <file>', '証明書を書き出す（.pem なら PEM）')
    .option('--memory', 'メモリ上の一時データベースを使う（試験用）')
    .action(runCommand(async (serial: string, options: { json?: boolean; out?: string; memory?: boolean }) => {
      const c = await connect(options);
      try {
        const found = await c.ops.jpkiStatus(certificateRef(serial));
        if (options.json) console.log(JSON.stringify(found, null, 2));
        else printCertificate(found);
        if (options.out) writeCertificate(options.out, found.derBase64);
      } finally { await c.close(); }
    }));

  jpki.command('crl')
    .description('CRL（失効リスト）を表示・生成・書き出す / show, generate or write out a CRL')
    .requiredOption('--kind <kind>', 'sign（署名用）または auth（利用者証明用）')
    .option('--generation <n>', '認証局の世代（既定: 発行中の世代）')
    .option('--generate', '今すぐ新しい CRL を生成する（通常は定期生成）')
    .option('--out <file>', 'CRL を書き出す（.pem なら PEM、それ以外は DER）')
    .option('--memory', 'メモリ上の一時データベースを使う（試験用）')
    .action(runCommand(async (options: { kind: string; generation?: string; generate?: boolean; out?: string; memory?: boolean }) => {
      if (options.kind !== 'sign' && options.kind !== 'auth') throw new Error('--kind は sign か auth です');
      const generation = options.generation === undefined ? undefined : Number(options.generation);
      if (generation !== undefined && (!Number.isInteger(generation) || generation < 1)) throw new Error('--generation は 1 以上の整数です');
      const c = await connect(options);
      try {
        const crl = await c.ops.jpkiCrl({ kind: options.kind, ...(generation ? { generation } : {}), ...(options.generate ? { generate: true } : {}) });
        console.log(`${KIND_NAMES[crl.kind]}（第${crl.generation}世代）の CRL 第${crl.crlNumber}号: 失効・一時停止 ${crl.entries.toLocaleString('ja-JP')} 件`);
        console.log(`  発行 ${jst(crl.thisUpdate)}、次回更新 ${jst(crl.nextUpdate)}`);
        if (options.out) {
          writeFileSync(options.out, options.out.endsWith('.pem') ? pem(crl.derBase64, 'X509 CRL') : Buffer.from(crl.derBase64, 'base64'));
          console.log(`  → ${options.out}（openssl crl -inform ${options.out.endsWith('.pem') ? 'PEM' : 'DER'} -in ${options.out} -noout -text で確認できます）`);
        }
      } finally { await c.close(); }
    }));

  const verifier = jpki.command('verifier').description('検証者（署名検証者・利用者証明検証者・プラットフォーム事業者） / verifiers');
  verifier.command('add')
    .description('検証者を登録し、認証情報を一度だけ表示する / register a verifier')
    .requiredOption('--name <name>', '検証者名')
    .requiredOption('--kind <kind>', 'signature（署名検証者） | auth（利用者証明検証者） | operator（プラットフォーム事業者）')
    .option('--webhook <url>', '失効通知（webhook）の送信先')
    .option('--memory', 'メモリ上の一時データベースを使う（試験用）')
    .action(runCommand(async (options: { name: string; kind: string; webhook?: string; memory?: boolean }) => {
      const kind = VERIFIER_KINDS[options.kind];
      if (!kind) throw new Error('--kind は signature / auth / operator のいずれかです');
      const c = await connect(options);
      try {
        const { verifier: added, credential } = await c.ops.jpkiAddVerifier({ name: options.name, kind, ...(options.webhook ? { webhookUrl: options.webhook } : {}) });
        console.log(`検証者「${added.name}」を登録しました（ID ${added.id}）。`);
        console.log(`  認証情報: ${credential}`);
        console.log('  この認証情報は二度と表示されません。X-JPKI-Verifier-Key ヘッダで送ってください（例: openssl ocsp -header X-JPKI-Verifier-Key=<認証情報>）。');
      } finally { await c.close(); }
    }));
  verifier.command('list')
    .description('登録済みの検証者を表示する / list verifiers')
    .option('--memory', 'メモリ上の一時データベースを使う（試験用）')
    .action(runCommand(async (options: { memory?: boolean }) => {
      const c = await connect(options);
      try {
        for (const v of await c.ops.jpkiListVerifiers()) console.log(`${v.id}  ${v.kind.padEnd(19)}  ${v.active ? '有効' : '停止'}  ${v.name}`);
      } finally { await c.close(); }
    }));

  jpki.command('statement')
    .description('検証者の月次利用明細 / a verifier\'s monthly statement')
    .requiredOption('--verifier <id>', '検証者 ID')
    .requiredOption('--month <YYYY-MM>', '対象月（日本時間）')
    .option('--json', 'JSON で出力する')
    .option('--memory', 'メモリ上の一時データベースを使う（試験用）')
    .action(runCommand(async (options: { verifier: string; month: string; json?: boolean; memory?: boolean }) => {
      const c = await connect(options);
      try {
        const statement = await c.ops.jpkiStatement({ verifierId: options.verifier, month: options.month });
        if (options.json) { console.log(JSON.stringify(statement, null, 2)); return; }
        console.log(`${statement.verifier.name} ${statement.month} 利用明細`);
        for (const line of statement.lines) console.log(`  ${line.label.padEnd(40)} ${String(line.quantity).padStart(10)} × ${line.unitYen}円 = ${line.amountYen.toLocaleString('ja-JP')}円`);
        console.log(`  合計 ${statement.totalYen.toLocaleString('ja-JP')}円`);
      } finally { await c.close(); }
    }));
}
