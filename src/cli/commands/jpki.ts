// JPKI commands: `jpki init` creates the two CAs (or a new generation) and can write their certificates out.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { connect } from '../connect.ts';
import { runCommand } from '../run-command.ts';

const KIND_NAMES: Record<string, string> = { sign: '署名用認証局', auth: '利用者証明用認証局' };

function pem(base64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
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
        for (const ca of created) console.log(`${KIND_NAMES[ca.kind]}（第${ca.generation}世代、シリアル ${ca.serialHex}）を作成しました。有効期間 ${ca.notBefore} 〜 ${ca.notAfter}`);
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
}
