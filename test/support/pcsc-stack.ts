// pcscd + vpcd for tests and benches: what is missing, one user at a time across processes, and pcscd started (and stopped) when none runs.
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { listPcscReaders } from '../../src/modules/card/index.ts';
import { isProcessAlive } from '../../src/kernel/process-alive.ts';

const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const VPCD_CONFIG = '/etc/reader.conf.d/vpcd';
const PCSCD_SOCKET = '/run/pcscd/pcscd.comm';
const PCSCD_PID = '/run/pcscd/pcscd.pid';
const INSTALL = 'apt-get install -y pcscd vsmartcard-vpcd opensc libpcsclite-dev && npm install';
const LOCK = join(tmpdir(), 'myna-pcsc-stack.lock');
const LOCK_WAIT_MS = 120_000;

/** The tool's path, looking also in the sbin folders where Debian puts pcscd (often not on a user's PATH). */
function which(tool: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return join(dir, tool);
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function pcscliteLoads(): boolean {
  try {
    createRequire(import.meta.url)('pcsclite');
    return true;
  } catch {
    return false;
  }
}

/**
 * The `skip` reason of a test needing pcscd + vpcd + OpenSC + the pcsclite module: undefined when all
 * are there, else which are missing and the install command. Under CI=true a missing piece throws
 * (CI installs everything: .ci/run), like missingTool().
 */
export function pcscToolsMissing(): string | undefined {
  const missing = [
    which('pcscd') ? undefined : 'pcscd',
    existsSync(VPCD_DRIVER) && existsSync(VPCD_CONFIG) ? undefined : 'vsmartcard-vpcd',
    which('pkcs15-tool') ? undefined : 'pkcs15-tool (opensc)',
    which('pkcs11-tool') ? undefined : 'pkcs11-tool (opensc)',
    pcscliteLoads() ? undefined : 'npm pcsclite (libpcsclite-dev)',
  ].filter((name) => name !== undefined);
  if (missing.length === 0) return undefined;
  if (process.env['CI'] === 'true') throw new Error(`${missing.join(', ')} required in CI but missing; .ci/run must install them (${INSTALL})`);
  return `${missing.join(', ')} が見つかりません。インストールしてください: ${INSTALL}`;
}

/** vpcd's first reader from its reader.conf (`DEVICENAME /dev/null:0x8C7B`, `FRIENDLYNAME "Virtual PCD"`). */
function vpcdReader(): { vpcdPort: number; readerName: string } {
  const config = existsSync(VPCD_CONFIG) ? readFileSync(VPCD_CONFIG, 'utf8') : '';
  const port = /^\s*DEVICENAME\s+\S*:(0x[0-9a-f]+|\d+)/im.exec(config)?.[1];
  const name = /^\s*FRIENDLYNAME\s+"([^"]+)"/im.exec(config)?.[1];
  return { vpcdPort: port ? Number(port) : 0x8c7b, readerName: `${name ?? 'Virtual PCD'} 00 00` };
}


async function readPid(file: string): Promise<number | undefined> {
  const pid = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/**
 * A lock directory (mkdir is atomic) holding the owner's pid. A lock whose owner died is taken
 * over; one without an owner file yet is only stale after a grace period (its owner may be writing it).
 */
async function lock(): Promise<() => Promise<void>> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(LOCK);
      await writeFile(join(LOCK, 'owner'), String(process.pid));
      return () => rm(LOCK, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readPid(join(LOCK, 'owner'));
    const age = Date.now() - ((await stat(LOCK).catch(() => undefined))?.mtimeMs ?? Date.now());
    if (owner === undefined ? age > 5000 : !isProcessAlive(owner)) {
      // Renaming first: of two processes finding the same stale lock, only one removes it.
      const grave = `${LOCK}.stale-${process.pid}`;
      if (await rename(LOCK, grave).then(() => true, () => false)) await rm(grave, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`PC/SC のテスト用ロックを取得できません / ${LOCK} held by pid ${owner ?? '?'} for over ${LOCK_WAIT_MS} ms`);
    await sleep(100);
  }
}

/** A pcscd that answers on its socket; a pid check alone is fooled by zombies and reused pids. */
function pcscdAnswers(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path: PCSCD_SOCKET });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Whether a pcscd serves; files left by a dead one are removed, as pcscd itself does when their pid is gone. */
async function pcscdRunning(): Promise<boolean> {
  if (!existsSync(PCSCD_SOCKET)) return false;
  if (await pcscdAnswers()) return true;
  await Promise.all([rm(PCSCD_SOCKET, { force: true }), rm(PCSCD_PID, { force: true })]);
  return false;
}

interface Started {
  stop(): Promise<void>;
  /** Rejects when pcscd exits before stop(), with its output. */
  readonly failed: Promise<never>;
}

function startPcscd(): Started {
  const child = spawn(which('pcscd') ?? 'pcscd', ['--foreground'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  // The tail is enough to say why pcscd stopped.
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const failed = new Promise<never>((_, reject) => {
    const fail = (why: string) => {
      if (!stopping) reject(new Error(`pcscd が起動できません / pcscd failed (${why}): ${output.trim()}`));
    };
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`exit ${code ?? signal}`));
  });
  failed.catch(() => {});
  return {
    failed,
    stop: async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Polls until pcscd lists vpcd's reader (pcscd loads the drivers from reader.conf.d at start). */
async function readerVisible(readerName: string, failed: Promise<never> | undefined): Promise<void> {
  let givenUp = false;
  const poll = async () => {
    const deadline = Date.now() + 10_000;
    let last: unknown;
    while (!givenUp && Date.now() < deadline) {
      try {
        const readers = await listPcscReaders({ timeoutMs: 2000 });
        if (readers.some((r) => r.name === readerName)) return;
        last = `readers: ${readers.map((r) => r.name).join(', ') || 'none'}`;
      } catch (error) {
        last = error; // pcscd may not have created its socket yet
      }
      await sleep(50);
    }
    throw new Error(`vpcd のリーダー「${readerName}」が現れません / vpcd reader not visible`, { cause: last });
  };
  try {
    await Promise.race([poll(), ...(failed ? [failed] : [])]);
  } finally {
    givenUp = true;
  }
}

/**
 * Runs `fn` with pcscd (with vpcd's readers) up, holding a lock so one test file at a time uses it:
 * node's test runner runs files in parallel and vpcd's reader takes one card. Reuses a running
 * pcscd, else starts `pcscd --foreground` and stops it afterwards. Not reentrant.
 *
 * @example
 * await withPcscStack(async ({ vpcdPort, readerName }) => { const slot = await attachToVpcd(card, { port: vpcdPort }); … });
 */
export async function withPcscStack<T>(fn: (stack: { vpcdPort: number; readerName: string }) => Promise<T>): Promise<T> {
  const unlock = await lock();
  let started: Started | undefined;
  try {
    if (!(await pcscdRunning())) started = startPcscd();
    const stack = vpcdReader();
    await readerVisible(stack.readerName, started?.failed);
    return await fn(stack);
  } finally {
    await started?.stop();
    await unlock();
  }
}
