// End to end: `npm start` issues demo cards; the card commands list them with PINs, read certificates, sign, count wrong PINs, suspend and resume.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingTool } from './support/require-tool.ts';
import { bin, root, startServer, type RunningServer } from './support/cli-server.ts';

const opensslMissing = missingTool('openssl', 'apt-get install -y openssl');

describe('myna-platform card …', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'myna-cli-card-'));
  const env = { ...process.env, MYNA_DATA_DIR: dataDir, DATABASE_URL: '', MYNA_DEMO_RESIDENTS: '150', MYNA_DEMO_CARDS: '2', LOG_LEVEL: 'warn' };
  let server: RunningServer;
  const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', cwd: root });
  type DemoCard = { cardId: string; resident: string; status: string; pins: { auth: string; sign?: string; kenhojo: string; juki: string } };
  let cards: DemoCard[] = [];

  before(async () => {
    server = await startServer(env);
    const listed = cli('card', 'list', '--demo', '--json');
    assert.equal(listed.status, 0, listed.stderr);
    cards = JSON.parse(listed.stdout) as DemoCard[];
  });
  after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('start issued the demo cards; list --demo shows holders and PINs; --help lists every command', () => {
    assert.match(server.output(), /デモ用カード 2 枚を作成/);
    assert.equal(cards.length, 2);
    for (const card of cards) {
      assert.equal(card.status, 'active');
      assert.match(card.pins.auth, /^\d{4}$/);
      assert.match(card.pins.sign!, /^[A-Z0-9]{6,16}$/);
      assert.ok(card.resident.length > 2);
    }
    const help = cli('card', '--help').stdout;
    for (const command of ['list', 'info', 'pin-status', 'read-cert', 'sign', 'attach', 'suspend', 'resume']) assert.match(help, new RegExp(`\\n  ${command}\\b`));
    assert.match(cli('card', 'read-cert', '--help').stdout, /--out <file>/);
  });

  test('read-cert and sign: OpenSSL verifies the card\'s signature with the card\'s certificate', { skip: opensslMissing }, () => {
    const card = cards[0]!;
    const cert = join(dataDir, 'auth.pem');
    assert.equal(cli('card', 'read-cert', card.cardId, '--auth', '--out', cert).status, 0);
    const message = join(dataDir, 'message.txt');
    writeFileSync(message, 'ログイン確認 2026-11-24');
    const signed = cli('card', 'sign', card.cardId, '--auth', '--pin', card.pins.auth, '--in', message, '--out', join(dataDir, 'message.sig'));
    assert.equal(signed.status, 0, signed.stderr);
    spawnSync('openssl', ['x509', '-in', cert, '-pubkey', '-noout', '-out', join(dataDir, 'auth.pub')]);
    const verified = spawnSync('openssl', ['dgst', '-sha256', '-verify', join(dataDir, 'auth.pub'), '-signature', join(dataDir, 'message.sig'), message], { encoding: 'utf8' });
    assert.match(verified.stdout, /Verified OK/);
    const noPin = cli('card', 'read-cert', card.cardId, '--sign', '--out', join(dataDir, 'sign.der'));
    assert.notEqual(noPin.status, 0);
    const sign = cli('card', 'read-cert', card.cardId, '--sign', '--pin', card.pins.sign!, '--out', join(dataDir, 'sign.pem'));
    assert.equal(sign.status, 0, sign.stderr);
    const subject = spawnSync('openssl', ['x509', '-in', join(dataDir, 'sign.pem'), '-noout', '-subject'], { encoding: 'utf8' }).stdout;
    assert.match(subject, /L = Mitaka-shi/);
  });

  test('a wrong PIN fails with the tries left, pin-status shows it, and the PIN never reaches the output', () => {
    const card = cards[1]!;
    const wrong = cli('card', 'sign', card.cardId, '--auth', '--pin', '0000', '--in', bin);
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /CARD_PIN_INCORRECT.*残り2回/);
    const status = JSON.parse(cli('card', 'pin-status', card.cardId, '--json').stdout) as Record<string, number>;
    assert.deepEqual(status, { auth: 2, sign: 5, kenhojo: 3, juki: 3, collationA: 10, collationB: 10 });
    assert.ok(!server.output().includes(card.pins.auth) || !/"pin"/.test(server.output()));
  });

  test('suspend and resume through the hotline commands; bad ids get clear errors', () => {
    const card = cards[1]!;
    assert.match(cli('card', 'suspend', card.cardId, '--reported-by', '本人（電話）').stdout, /一時停止中/);
    assert.match(cli('card', 'info', card.cardId).stdout, /^ {4}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d JST {2}一時停止（card\.suspended） {2}/m);
    assert.match(cli('card', 'resume', card.cardId).stdout, /有効/);
    const missing = cli('card', 'info', '00000000-0000-4000-8000-000000000000');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /CARD_NOT_FOUND/);
    const bad = cli('card', 'pin-status', 'nonsense');
    assert.match(bad.stderr, /CARD_NOT_FOUND/);
  });
});
