// `myna-platform id check|make` run as a real child process: output and exit status.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { vectors } = JSON.parse(readFileSync(new URL('./vectors/identifiers.json', import.meta.url), 'utf8')) as {
  vectors: Array<{ kind: string; base: string; full: string; note: string }>;
};

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/myna-platform.js', 'id', ...args], { cwd: root }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

// Each run starts node and tsx (~0.5 s), so the cases run side by side.
describe('myna-platform id', { concurrency: true }, () => {
  for (const v of vectors) {
    it(`check --kind ${v.kind} accepts ${v.full}`, async () => {
      const run = await cli('check', '--kind', v.kind, v.full);
      assert.deepEqual([run.status, run.stdout], [0, '有効 / valid\n'], `${v.note}: ${run.stderr}`);
    });
    it(`make ${v.kind} ${v.base} prints ${v.full}`, async () => {
      const run = await cli('make', '--kind', v.kind, v.base);
      assert.deepEqual([run.status, run.stdout], [0, `${v.full}\n`], run.stderr);
    });
  }

  it('check rejects a wrong check digit with exit 1 and a Japanese reason', async () => {
    const run = await cli('check', '--kind', 'my-number', '123456789017');
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /^無効 \/ invalid: 個人番号のチェックデジットが一致しません/);
    assert.ok(!run.stdout.includes('123456789017'), 'the number is not echoed');
  });

  it('check rejects a wrong length with exit 1', async () => {
    const run = await cli('check', '--kind', 'corporate', '123456789012');
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stdout, /^無効 \/ invalid: 法人番号は13桁です/);
  });

  it('check with an unknown --kind exits 2 and lists the kinds', async () => {
    const run = await cli('check', '--kind', 'passport', '123456789018');
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /不明な番号の種類です.*my-number, corporate, lg-code, resident-code/);
  });

  it('check without --kind or without digits exits 2, not 1 (which means invalid)', async () => {
    assert.equal((await cli('check', '123456789018')).status, 2);
    assert.equal((await cli('check', '--kind', 'my-number')).status, 2);
  });

  it('make with base digits of the wrong length exits 2 naming the expected length on stderr', async () => {
    const run = await cli('make', '--kind', 'my-number', '1234567890');
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /個人番号はチェックデジットを除いた半角数字11桁で指定してください/);
  });

  it('make with non-digits exits 2', async () => {
    const run = await cli('make', '--kind', 'lg-code', '1310a');
    assert.equal(run.status, 2);
    assert.match(run.stderr, /5桁/);
  });
});
