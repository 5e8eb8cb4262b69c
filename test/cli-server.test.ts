// End to end: `myna-platform start` on a data folder, the CLI working through the running server, then directly once it stops.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, root, startServer, type RunningServer } from './support/cli-server.ts';

describe('npm start and the CLI', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'myna-cli-'));
  // Always the embedded database here, even in the PostgreSQL run of the suite.
  const env = { ...process.env, MYNA_DATA_DIR: dataDir, DATABASE_URL: '', MYNA_DEMO_RESIDENTS: '200', LOG_LEVEL: 'warn' };
  let server: RunningServer;
  let url = '';
  let output = '';
  const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', cwd: root });

  before(async () => {
    server = await startServer(env);
    url = server.url;
    output = server.output();
  });
  after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('start prints its URLs and the demo key, and /healthz answers', async () => {
    assert.match(output, /API文書:\s+http:\/\/127\.0\.0\.1:\d+\/docs/);
    const key = readFileSync(join(dataDir, 'demo-api-key.txt'), 'utf8').trim();
    assert.ok(output.includes(key));
    const health = await (await fetch(`${url}/healthz`)).json() as { status: string; database: string };
    assert.deepEqual([health.status, health.database], ['ok', 'pglite']);
    const me = await fetch(`${url}/registry/v1/municipality`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(((await me.json()) as { name: string }).name, '三鷹市');
  });

  test('while it runs, the CLI reads and changes its data through it', () => {
    const seeded = cli('seed', '--municipality', '131016', '--residents', '150');
    assert.equal(seeded.status, 0, seeded.stderr);
    assert.match(seeded.stdout, /住民 150 人/);
    assert.match(seeded.stdout, /稼働中のサーバー経由/);
    const list = cli('municipality', 'list');
    assert.match(list.stdout, /131016\s+東京都千代田区\s+住民 150 人/);
    assert.match(list.stdout, /132047\s+東京都三鷹市\s+住民 200 人/);
    const csvFile = join(dataDir, 'residents.csv');
    writeFileSync(csvFile, /```csv\n([\s\S]*?)```/.exec(readFileSync(join(root, 'docs/registry-import.md'), 'utf8'))![1]!);
    const imported = cli('registry', 'import', csvFile, '--municipality', '131016');
    assert.equal(imported.status, 0, imported.stderr);
    assert.match(imported.stdout, /住民 3 人（世帯 2）を登録し/);
    const again = cli('registry', 'import', csvFile, '--municipality', '131016');
    assert.equal(again.status, 2);
    assert.match(again.stderr, /REGISTRY_IMPORT_INVALID/);
    assert.match(again.stderr, /2行目 列 household_key: 世帯キー「H001」の世帯は既に登録されています/);
    const verify = cli('audit', 'verify');
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /監査ログは正常です/);
  });

  test('a second server on the same folder is refused', () => {
    const second = cli('start', '--port', '0');
    assert.equal(second.status, 2);
    assert.match(second.stderr, /既にサーバーが稼働中/);
  });

  test('after it stops, the CLI opens the folder itself and sees the same data', async () => {
    await server.stop();
    assert.ok(!existsSync(join(dataDir, 'server.json')), 'hand-over file removed on stop');
    const list = cli('municipality', 'list');
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /131016\s+東京都千代田区\s+住民 153 人/);
  });
});
