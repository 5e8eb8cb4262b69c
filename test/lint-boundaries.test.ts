// The boundary lint (dependency-cruiser with .dependency-cruiser.cjs) really fails on a deep import, a cycle, and a kernel importing a module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = resolve(import.meta.dirname, '..');

/** Runs the project's depcruise config over a small tree of files; returns its exit code and output. */
function cruise(files: Record<string, string>): { status: number; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'myna-lint-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    copyFileSync(join(root, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext' } }));
    const r = spawnSync(process.execPath, [join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'src', '--config', '.dependency-cruiser.cjs'], { cwd: dir, encoding: 'utf8' });
    return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const clean = {
  'src/kernel/clock.ts': 'export const now = () => 1;\n',
  'src/modules/a/index.ts': "export { a } from './a.ts';\n",
  'src/modules/a/a.ts': "import { now } from '../../kernel/clock.ts';\nexport const a = now();\n",
  'src/modules/b/index.ts': "import { a } from '../a/index.ts';\nexport const b = a;\n",
};

test('a tree that keeps the rules passes', () => {
  const r = cruise(clean);
  assert.equal(r.status, 0, r.output);
});

test('a deep import into another module fails', () => {
  const r = cruise({ ...clean, 'src/modules/b/index.ts': "import { a } from '../a/a.ts';\nexport const b = a;\n" });
  assert.notEqual(r.status, 0);
  assert.match(r.output, /no-deep-import-into-module/);
});

test('an import cycle fails', () => {
  const r = cruise({ ...clean, 'src/modules/a/a.ts': "import { b } from '../b/index.ts';\nexport const a = b;\n" });
  assert.notEqual(r.status, 0);
  assert.match(r.output, /no-circular/);
});

test('the kernel importing a module fails', () => {
  const r = cruise({ ...clean, 'src/kernel/clock.ts': "import { a } from '../modules/a/index.ts';\nexport const now = () => a;\n" });
  assert.notEqual(r.status, 0);
  assert.match(r.output, /kernel-depends-on-no-module/);
});
