// Starts `myna-platform start` on a fixed port, so it can be SIGKILLed and started again on the same data folder and URL (crash tests).
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { bin, root } from './cli-server.ts';

export interface KillableServer {
  pid: number;
  url: string;
  output(): string;
  /** SIGKILL: no shutdown, no hand-over clean-up; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM, and wait for it to exit (no-op when it already has). */
  stop(): Promise<void>;
}

/** A port nothing listens on right now (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts the server on `port` with `env` and resolves once it printed its URLs.
 *
 * @example
 * const port = await freePort();
 * let server = await startServerOnPort(env, port);
 * await server.kill();
 * server = await startServerOnPort(env, port); // same data folder, same URL
 */
export function startServerOnPort(env: NodeJS.ProcessEnv, port: number): Promise<KillableServer> {
  const child = spawn(process.execPath, [bin, 'start', '--port', String(port)], { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const kill = async () => {
    if (gone()) return;
    child.kill('SIGKILL');
    await exited;
  };
  const stop = async () => {
    if (gone()) return;
    child.kill('SIGTERM');
    await exited;
  };
  child.stderr!.on('data', (chunk: Buffer) => { errors += chunk.toString(); });
  return new Promise((resolveServer, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /稼働確認:\s+(\S+)\/healthz/.exec(output);
      if (m) resolveServer({ pid: child.pid!, url: m[1]!, output: () => output, kill, stop });
    });
    child.on('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}): ${output}\n${errors}`)));
  });
}
