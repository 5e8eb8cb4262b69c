// Data commands: db migrate, seed, registry import, audit verify, municipality add/list, api-key create.
import { createReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Command } from 'commander';
import { connect } from '../connect.ts';
import { progressBar } from '../progress.ts';
import { runCommand } from '../run-command.ts';

/** Counts the lines of a file quickly (for the import progress bar's total). */
async function countDataLines(path: string): Promise<number> {
  const handle = await open(path);
  let lines = 0;
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length);
    if (bytesRead === 0) break;
    for (let i = 0; i < bytesRead; i++) if (buffer[i] === 10) lines++;
  }
  await handle.close();
  return Math.max(lines - 1, 0);
}

export function registerDataCommands(program: Command): void {
  const memory = (cmd: Command) => cmd.option('--memory', 'メモリ上の一時データベースを使う（試験用）');

  memory(program.command('db').command('migrate').description('全モジュールのマイグレーションを適用する / apply all migrations'))
    .action(runCommand(async (options: { memory?: boolean }) => {
      const c = await connect(options);
      try {
        const reports = await c.ops.migrate();
        for (const r of reports) console.log(`${r.schema}: 適用 ${r.applied.length} 件${r.applied.length ? ` (${r.applied.join(', ')})` : ''}、適用済み ${r.alreadyApplied} 件`);
        console.log(`完了（${c.via}）`);
      } finally { await c.close(); }
    }));

  memory(program.command('seed').description('合成住民データで地方公共団体を作る（同じシード → 同じ住民） / seed a synthetic municipality'))
    .requiredOption('--municipality <lg-code>', '地方公共団体コード（6桁）')
    .option('--residents <n>', '住民数', '1000')
    .option('--seed <text>', '乱数シード', 'myna-demo')
    .action(runCommand(async (options: { municipality: string; residents: string; seed: string; memory?: boolean }) => {
      const residents = Number(options.residents);
      if (!Number.isInteger(residents) || residents < 1 || residents > 10_000_000) {
        throw new Error('--residents は 1〜10,000,000 の整数で指定してください');
      }
      const c = await connect(options);
      const bar = progressBar('住民データ生成・登録');
      try {
        const s = await c.ops.seed({ lgCode: options.municipality, residents, seed: options.seed, onProgress: (d, t) => bar.update(d, t ?? residents) });
        bar.stop();
        console.log(`${s.municipality.prefecture}${s.municipality.name}（${s.lgCode}）${s.created ? 'を登録し、' : 'に'}住民 ${s.residents.toLocaleString('ja-JP')} 人・世帯 ${s.households.toLocaleString('ja-JP')}・印鑑登録 ${s.seals.toLocaleString('ja-JP')} 件・課税情報 ${s.taxRecords.toLocaleString('ja-JP')} 件・戸籍 ${s.familyRegisters.toLocaleString('ja-JP')} 件を作成しました（${(s.elapsedMs / 1000).toFixed(1)} 秒、${c.via}）`);
      } finally { bar.stop(); await c.close(); }
    }));

  memory(program.command('registry').command('import').description('住民をCSVから一括登録する（誤りがあれば全件取り込まない） / bulk import residents'))
    .argument('<file.csv>', '取込ファイル（形式は docs/registry-import.md）')
    .requiredOption('--municipality <lg-code>', '取込先の地方公共団体コード')
    .action(runCommand(async (file: string, options: { municipality: string; memory?: boolean }) => {
      try { statSync(file); } catch { throw new Error(`ファイル ${file} が見つかりません`); }
      const total = await countDataLines(file);
      const c = await connect(options);
      const bar = progressBar('住民の取込');
      try {
        const s = await c.ops.importCsv(options.municipality, createReadStream(file), { totalHint: total, onProgress: (d, t) => bar.update(d, t) });
        bar.stop();
        console.log(`住民 ${s.residents.toLocaleString('ja-JP')} 人（世帯 ${s.households.toLocaleString('ja-JP')}）を登録し、住民票コードと個人番号を付番しました（${(s.elapsedMs / 1000).toFixed(1)} 秒、${c.via}）`);
      } finally { bar.stop(); await c.close(); }
    }));

  memory(program.command('audit').command('verify').description('監査ログのハッシュ連鎖を検証する / verify the audit chain'))
    .action(runCommand(async (options: { memory?: boolean }) => {
      const c = await connect(options);
      const bar = progressBar('監査ログの検証');
      try {
        const report = await c.ops.verifyAudit((d, t) => bar.update(d, t));
        bar.stop();
        if (report.ok) {
          console.log(`監査ログは正常です: ${report.checked.toLocaleString('ja-JP')} 件を検証しました / audit chain intact`);
        } else {
          console.log(`監査ログに改ざん・削除が見つかりました（${report.problems.length} 件） / audit chain broken:`);
          for (const p of report.problems) console.log(`  - ${p.message}`);
          console.log('次の手順: 該当する記録をバックアップと照合し、データベースへのアクセス記録を調査してください。');
          process.exitCode = 1;
        }
      } finally { bar.stop(); await c.close(); }
    }));

  const municipality = program.command('municipality').description('地方公共団体（テナント）の管理');
  memory(municipality.command('add').description('地方公共団体を登録する'))
    .requiredOption('--lg-code <code>', '地方公共団体コード（6桁）')
    .requiredOption('--name <name>', '名称（例: 三鷹市）')
    .requiredOption('--name-kana <kana>', '名称のフリガナ（全角カタカナ）')
    .requiredOption('--prefecture <name>', '都道府県（例: 東京都）')
    .option('--population <n>', '人口', '0')
    .action(runCommand(async (o: { lgCode: string; name: string; nameKana: string; prefecture: string; population: string; memory?: boolean }) => {
      const c = await connect(o);
      try {
        const m = await c.ops.registerMunicipality({ lgCode: o.lgCode, name: o.name, nameKana: o.nameKana, prefecture: o.prefecture, population: Number(o.population) });
        console.log(`${m.prefecture}${m.name}（${m.lgCode}）を登録しました`);
      } finally { await c.close(); }
    }));
  memory(municipality.command('list').description('登録済みの地方公共団体を一覧する'))
    .action(runCommand(async (o: { memory?: boolean }) => {
      const c = await connect(o);
      try {
        const list = await c.ops.listMunicipalities();
        if (list.length === 0) console.log('登録された地方公共団体はありません');
        for (const m of list) console.log(`${m.lgCode}  ${m.prefecture}${m.name}  住民 ${m.residents.toLocaleString('ja-JP')} 人`);
      } finally { await c.close(); }
    }));

  memory(program.command('api-key').command('create').description('職員用APIキーを発行する（キーは一度だけ表示）'))
    .requiredOption('--municipality <lg-code>', '地方公共団体コード')
    .requiredOption('--staff <name>', '職員名')
    .action(runCommand(async (o: { municipality: string; staff: string; memory?: boolean }) => {
      const c = await connect(o);
      try {
        const k = await c.ops.createApiKey(o.municipality, o.staff);
        console.log(`APIキー（この表示限り。安全に保管してください）: ${k.apiKey}`);
        console.log(`キーID: ${k.id}`);
      } finally { await c.close(); }
    }));
}
