// Starts a throwaway PostgreSQL server (Debian's binaries) in a temporary folder on a free port, for benchmarks.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function findPgBin(): string | undefined {
  const candidates = ['/usr/local/bin'];
  if (existsSync('/usr/lib/postgresql')) {
    for (const v of readdirSync('/usr/lib/postgresql').sort().reverse()) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  }
  return candidates.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A running server and how to stop it; undefined when no PostgreSQL binaries are installed. */
export async function startTempPostgres(): Promise<{ url: string; version: string; stop(): void } | undefined> {
  const bin = findPgBin();
  if (!bin) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'myna-bench-pg-'));
  const asPostgres = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const full = asPostgres ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]] as const : [join(bin, cmd), args] as const;
    const r = spawnSync(full[0], [...full[1]], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  };
  if (asPostgres) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, -1);
  }
  const port = await freePort();
  run('initdb', ['-D', join(dir, 'data'), '-U', 'myna', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8']);
  // Default durability (fsync on): the figure is what a real server does.
  run('pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'server.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_wal_size=4GB`, 'start']);
  const version = execFileSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
  return {
    url: `postgres://myna@127.0.0.1:${port}/postgres`,
    version,
    stop() {
      try { run('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', 'stop']); } finally { rmSync(dir, { recursive: true, force: true }); }
    },
  };
}
