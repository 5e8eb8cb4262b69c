// Starts `myna-platform start` as a child process for end-to-end CLI tests, and stops it.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository root and the CLI entry point. */
export const root = resolve(import.meta.dirname, '../..');
export const bin = join(root, 'bin/myna-platform.js');

export interface RunningServer {
  process: ChildProcess;
  /** e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Everything the server printed on stdout so far. */
  output(): string;
  /** SIGTERM, and wait for it to exit (no-op when it already has). */
  stop(): Promise<void>;
}

/**
 * Starts the server on a free port with `env` and resolves once it printed its URLs.
 *
 * @example
 * const server = await startServer({ ...process.env, MYNA_DATA_DIR: dir, DATABASE_URL: '' });
 * after(() => server.stop());
 */
export function startServer(env: NodeJS.ProcessEnv): Promise<RunningServer> {
  const child = spawn(process.execPath, [bin, 'start', '--port', '0'], { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  return new Promise((resolveServer, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /稼働確認:\s+(\S+)\/healthz/.exec(output);
      if (m) resolveServer({ process: child, url: m[1]!, output: () => output, stop });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}
