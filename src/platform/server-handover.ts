// The running server's hand-over file (<data dir>/server.json): how the CLI finds a server that owns the embedded database.
import { readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from '../kernel/process-alive.ts';

/** Written when the server listens, removed when it stops. Mode 0600: it holds the operator token. */
export interface ServerHandover {
  pid: number;
  url: string;
  opsToken: string;
  startedAt: string;
}

export function handoverPath(dataDir: string): string {
  return join(dataDir, 'server.json');
}

export function writeHandover(dataDir: string, handover: ServerHandover): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(handoverPath(dataDir), JSON.stringify(handover, null, 2), { mode: 0o600 });
}

export function removeHandover(dataDir: string, pid: number): void {
  const current = readHandover(dataDir);
  if (current?.pid === pid) rmSync(handoverPath(dataDir), { force: true });
}

/** The hand-over of a live server process, or undefined (none, unreadable, or its process is gone). */
export function readHandover(dataDir: string): ServerHandover | undefined {
  let parsed: ServerHandover;
  try {
    parsed = JSON.parse(readFileSync(handoverPath(dataDir), 'utf8')) as ServerHandover;
  } catch {
    return undefined;
  }
  return isProcessAlive(parsed.pid) ? parsed : undefined;
}

