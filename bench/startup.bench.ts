// Benchmark: `npm start` on a fresh data folder until /healthz answers (first start seeds the demo
// municipality), against a bare `node -e ''` start measured in the same run.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function timeToHealthy(dataDir: string): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/myna-platform.js', 'start', '--port', '0'], {
    env: { ...process.env, MYNA_DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /稼働確認:\s+(\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
    });
    const response = await fetch(url);
    if (!response.ok) throw new Error(`healthz ${response.status}`);
    return (performance.now() - started) / 1000;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

export async function runStartupBenchmark(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'myna-bench-start-'));
  try {
    const first = await timeToHealthy(join(dir, 'data'));
    const second = await timeToHealthy(join(dir, 'data'));
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '']);
    const bare = (performance.now() - t) / 1000;
    console.log(JSON.stringify({
      bench: 'startup', firstStartSeconds: round(first), restartSeconds: round(second),
      reference: { name: "node -e ''", seconds: round(bare) }, target: { seconds: 30 }, pass: first <= 30,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
