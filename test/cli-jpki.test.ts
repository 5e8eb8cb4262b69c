// End to end: the jpki commands through a running server — issue from a PEM public key, status, hold/release/revoke, CRL out, verifiers, statement.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingTool } from './support/require-tool.ts';
import { bin, root, startServer, type RunningServer } from './support/cli-server.ts';
const opensslMissing = missingTool('openssl', 'apt-get install -y openssl');

describe('myna-platform jpki …', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'myna-cli-jpki-'));
  const env = { ...process.env, MYNA_DATA_DIR: dataDir, DATABASE_URL: '', MYNA_DEMO_RESIDENTS: '100', LOG_LEVEL: 'warn' };
  let server: RunningServer;
  let url = '';
  let residentCode = '';
  const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', cwd: root });

  before(async () => {
    server = await startServer(env);
    url = server.url;
    const key = readFileSync(join(dataDir, 'demo-api-key.txt'), 'utf8').trim();
    // Any adult of the synthetic population (the seed is deterministic, the common surnames are there).
    const adults: { residentCode: string }[] = [];
    for (const familyNameKana of ['サトウ', 'スズキ', 'タカハシ', 'タナカ', 'ワタナベ', 'イトウ', 'ヤマモト', 'ナカムラ']) {
      const found = await fetch(`${url}/registry/v1/residents/search`, {
        method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ purpose: '電子証明書の発行の試験', query: { familyNameKana, limit: 50 } }),
      });
      assert.equal(found.status, 200, await found.clone().text());
      adults.push(...((await found.json()) as { items: { residentCode: string; birthDate: string }[] }).items.filter((r) => r.birthDate < '2000-01-01'));
    }
    residentCode = adults[0]!.residentCode;
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(dataDir, 'pub.pem'), publicKey.export({ type: 'spki', format: 'pem' }));
  });
  after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('start created the CAs and says where JPKI answers; --help lists every command', () => {
    assert.match(server.output(), /JPKI:\s+http:\/\/127\.0\.0\.1:\d+\/jpki\/ca\/sign\.cer/);
    const help = cli('jpki', '--help');
    for (const command of ['init', 'issue', 'revoke', 'status', 'crl', 'verifier', 'statement']) assert.match(help.stdout, new RegExp(`\\n  ${command}\\b`));
    assert.match(cli('jpki', 'issue', '--help').stdout, /--public-key <file>/);
  });

  test('issue, status, hold, release, revoke; the CRL lists it; mistakes exit 2 with the code', { skip: opensslMissing }, () => {
    const certFile = join(dataDir, 'cert.pem');
    const issued = cli('jpki', 'issue', '--resident', residentCode, '--kind', 'sign', '--public-key', join(dataDir, 'pub.pem'), '--out', certFile);
    assert.equal(issued.status, 0, issued.stderr);
    assert.match(issued.stdout, /稼働中のサーバー経由|電子証明書を発行しました/);
    const serial = /シリアル: ([0-9a-f]+)/.exec(issued.stdout)![1]!;
    const subject = spawnSync('openssl', ['x509', '-in', certFile, '-noout', '-subject', '-serial'], { encoding: 'utf8' }).stdout;
    assert.match(subject, /L = Mitaka-shi/);
    assert.match(subject, new RegExp(`serial=${serial.toUpperCase()}`));

    const status = JSON.parse(cli('jpki', 'status', serial, '--json').stdout) as { status: string; kind: string };
    assert.deepEqual([status.status, status.kind], ['good', 'sign']);
    assert.match(cli('jpki', 'revoke', serial, '--hold').stdout, /一時停止しました/);
    assert.match(cli('jpki', 'revoke', serial, '--release').stdout, /一時停止を解除しました/);
    const revoked = cli('jpki', 'revoke', serial, '--reason', 'keyCompromise', '--source', '本人からの紛失届');
    assert.equal(revoked.status, 0, revoked.stderr);
    assert.match(revoked.stdout, /状態:\s+失効（秘密鍵の危殆化（紛失等） keyCompromise） \d{4}-\d\d-\d\d \d\d:\d\d:\d\d JST/);
    assert.match(revoked.stdout, /有効期間: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d JST 〜 \d{4}-\d\d-\d\d 23:59:59 JST/, 'valid to 23:59:59 JST of its last day');
    const again = cli('jpki', 'revoke', serial, '--reason', 'keyCompromise');
    assert.equal(again.status, 2);
    assert.match(again.stderr, /JPKI_CERTIFICATE_ALREADY_REVOKED/);
    const neither = cli('jpki', 'revoke', serial);
    assert.equal(neither.status, 2);
    assert.match(neither.stderr, /--reason <理由>、--hold、--release のどれか一つ/);
    const badKey = cli('jpki', 'issue', '--resident', residentCode, '--kind', 'auth', '--public-key', join(root, 'package.json'));
    assert.equal(badKey.status, 2);
    assert.match(badKey.stderr, /公開鍵（PEM または DER の SubjectPublicKeyInfo）として読めません/);

    const crlFile = join(dataDir, 'sign.crl');
    const crl = cli('jpki', 'crl', '--kind', 'sign', '--generate', '--out', crlFile);
    assert.equal(crl.status, 0, crl.stderr);
    assert.match(crl.stdout, /失効・一時停止 1 件/);
    const text = spawnSync('openssl', ['crl', '-inform', 'DER', '-in', crlFile, '-noout', '-text'], { encoding: 'utf8' }).stdout;
    assert.match(text, new RegExp(`Serial Number: ${serial.toUpperCase()}[\\s\\S]*?Key Compromise`));
  });

  test('a verifier is registered with a one-time credential, and its monthly statement is printed', async () => {
    const added = cli('jpki', 'verifier', 'add', '--name', '三鷹信用金庫', '--kind', 'operator');
    assert.equal(added.status, 0, added.stderr);
    const id = /ID ([0-9a-f-]{36})/.exec(added.stdout)![1]!;
    const credential = /認証情報: (jpkiv_\S+)/.exec(added.stdout)![1]!;
    const crl = await fetch(`${url}/jpki/crl/auth.crl`, { headers: { 'x-jpki-verifier-key': credential } });
    assert.equal(crl.status, 200);
    assert.match(cli('jpki', 'verifier', 'list').stdout, new RegExp(`${id}\\s+platform_operator\\s+有効\\s+三鷹信用金庫`));
    const month = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit' }).format(new Date());
    const statement = cli('jpki', 'statement', '--verifier', id, '--month', month, '--json');
    assert.equal(statement.status, 0, statement.stderr);
    const parsed = JSON.parse(statement.stdout) as { lines: { service: string; quantity: number }[] };
    assert.equal(parsed.lines.find((l) => l.service === 'crl')?.quantity, 0, 'the CRL line appears once a CRL was downloaded; no stored certificates yet');
  });
});
