// `myna-platform start`: runs the platform (HTTP server) and seeds the demo municipality on first start.
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../kernel/config.ts';
import { PlatformError } from '../../kernel/errors.ts';
import { createPlatform, type Platform } from '../../platform/create-platform.ts';
import { readHandover, removeHandover, writeHandover } from '../../platform/server-handover.ts';
import { startBackgroundWork } from '../../platform/background-work.ts';
import { registerDemoKoseki } from '../../platform/demo-issuance.ts';
import { createServer } from '../../http/create-server.ts';
import { progressBar } from '../progress.ts';
import { runCommand } from '../run-command.ts';

const DEMO_STAFF = 'デモ 窓口職員';

/** Seeds the demo municipality once; returns the demo staff key when it was just created. */
async function ensureDemoMunicipality(platform: Platform): Promise<{ apiKey?: string; residents: number } | undefined> {
  const lgCode = platform.config.demoMunicipality;
  if (!lgCode) return undefined;
  try {
    await platform.registry.getMunicipality(lgCode);
    return { residents: -1 };
  } catch (error) {
    if (!(error instanceof PlatformError) || error.code !== 'REGISTRY_MUNICIPALITY_NOT_FOUND') throw error;
  }
  const bar = progressBar('デモ自治体の住民データを作成中');
  const summary = await platform.registry.seedMunicipality({
    lgCode, residents: platform.config.demoResidents, onProgress: (d, t) => bar.update(d, t),
  });
  bar.stop();
  const key = await platform.registry.createApiKey(lgCode, DEMO_STAFF);
  return { apiKey: key.apiKey, residents: summary.residents };
}

/** Issues the missing demo cards (MYNA_DEMO_CARDS) through the real card flow; idempotent across starts. */
async function ensureDemoCards(platform: Platform): Promise<number> {
  const lgCode = platform.config.demoMunicipality;
  if (!lgCode || platform.config.demoCards === 0) return 0;
  const existing = await platform.card.listCards({ lgCode, demo: true, limit: 1000 });
  const missing = platform.config.demoCards - existing.length;
  if (missing <= 0) return 0;
  const bar = progressBar('デモ用マイナンバーカードを作成中');
  let made = 0;
  for (let i = 0; i < missing; i++) {
    made += (await platform.card.createDemoCards(lgCode, 1)).length;
    bar.update(i + 1, missing);
  }
  bar.stop();
  return made;
}

export function registerStartCommand(program: Command): void {
  program.command('start')
    .description('基盤を起動する（既定: 組込みPGlite、デモ自治体） / start the platform')
    .option('--memory', 'データをディスクに残さない一時起動')
    .option('--port <port>', '待受ポート（既定 PORT または 8080）')
    .action(runCommand(async (options: { memory?: boolean; port?: string }) => {
      const started = performance.now();
      const config = loadConfig(process.env, {
        ...(options.memory ? { memory: true } : {}),
        ...(options.port ? { port: Number(options.port) } : {}),
      });
      const usesFolder = !config.databaseUrl && !config.memory;
      const running = usesFolder ? readHandover(config.dataDir) : undefined;
      if (running) {
        throw new Error(`このデータフォルダ（${config.dataDir}）では既にサーバーが稼働中です（pid ${running.pid}, ${running.url}）。停止してから起動してください。`);
      }
      const platform = await createPlatform(config);
      const demo = await ensureDemoMunicipality(platform);
      // The CAs exist from the first start, so certificates can be issued at once (idempotent afterwards).
      const cas = await platform.jpki.initCertificateAuthorities();
      const demoCards = await ensureDemoCards(platform);
      // コンビニ交付: the demo municipality takes part with every certificate type; a demo kiosk is registered.
      if (config.demoMunicipality) {
        await platform.issuance.setUpDemo(config.demoMunicipality);
        await registerDemoKoseki(platform, config.demoMunicipality);
      }
      const stopBackgroundWork = startBackgroundWork(platform);
      const opsToken = randomBytes(32).toString('base64url');
      const app = await createServer(platform, { opsToken });
      await app.listen({ port: config.port, host: config.host });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
      if (usesFolder) writeHandover(config.dataDir, { pid: process.pid, url, opsToken, startedAt: platform.clock.now().toISOString() });

      const demoKeyFile = join(config.dataDir, 'demo-api-key.txt');
      const lines = [
        '',
        `myna-platform が起動しました（${((performance.now() - started) / 1000).toFixed(1)} 秒）`,
        `  データベース: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : config.memory ? 'PGlite（メモリ、終了時に破棄）' : `PGlite（${config.dataDir}）`}`,
        `  稼働確認:     ${url}/healthz`,
        `  API文書:      ${url}/docs`,
        `  住民記録API:  ${url}/registry/v1`,
        `  JPKI:         ${url}/jpki/ca/sign.cer, ${url}/jpki/ocsp/auth, ${url}/jpki/crl/auth.crl${cas.created.length > 0 ? '（認証局を作成しました）' : ''}`,
      ];
      if (demo?.apiKey) {
        lines.push(`  デモ自治体:   ${config.demoMunicipality}（住民 ${demo.residents.toLocaleString('ja-JP')} 人を作成）`);
        lines.push(`  デモ職員APIキー: ${demo.apiKey}`);
        if (usesFolder) {
          mkdirSync(config.dataDir, { recursive: true });
          writeFileSync(demoKeyFile, `${demo.apiKey}\n`, { mode: 0o600 });
          lines.push(`    （${demoKeyFile} にも保存しました）`);
        }
      } else if (demo && usesFolder && existsSync(demoKeyFile)) {
        lines.push(`  デモ自治体:   ${config.demoMunicipality}（職員APIキーは ${demoKeyFile}）`);
      }
      lines.push(`  カード:       ${url}/card/v1（窓口）, ${url}/card/virtual/v1（デモ用の仮想カードリーダー）${demoCards > 0 ? `（デモ用カード ${demoCards} 枚を作成）` : ''}`);
      if (config.demoMunicipality && config.demoCards > 0) lines.push('    デモ用カードと初期暗証番号: npx myna-platform card list --demo');
      lines.push(`  コンビニ交付: ${url}/kiosk/（キオスク画面）, ${url}/verify（証明書の確認）`);
      lines.push('    npx myna-platform kiosk run --card <カードID> --pin <4桁> --type juminhyo --out juminhyo.pdf');
      lines.push('  停止: Ctrl+C', '');
      console.log(lines.join('\n'));
      console.log(`例: curl -H "Authorization: Bearer $(cat ${demoKeyFile} 2>/dev/null || echo <APIキー>)" ${url}/registry/v1/municipality`);

      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        platform.logger.info({ signal }, 'shutting down');
        await app.close();
        await stopBackgroundWork();
        await platform.close();
        if (usesFolder) removeHandover(config.dataDir, process.pid);
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    }));
}
