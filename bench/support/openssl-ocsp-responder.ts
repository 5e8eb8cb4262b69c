// The OCSP benchmark's reference: `openssl ocsp -index` as a responder, with an RSA-2048 CA and delegated responder made by openssl itself.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function openssl(cwd: string, ...args: string[]): void {
  const run = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (run.error || run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.error?.message ?? run.stderr}`);
}

/** The version `openssl version` prints, or undefined when openssl is not installed. */
export function opensslVersion(): string | undefined {
  const run = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return run.error || run.status !== 0 ? undefined : run.stdout.trim();
}

/**
 * In `dir`: ca.pem/ca.key (RSA-2048 root) and responder.pem/responder.key (RSA-2048, OCSPSigning,
 * id-pkix-ocsp-nocheck), like our delegated responder (RSA-2048, sha256WithRSAEncryption).
 * Returns the CA certificate's DER.
 */
export function makeReferenceCa(dir: string): Uint8Array {
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '3650', '-keyout', 'ca.key', '-out', 'ca.pem',
    '-subj', '/C=JP/O=myna-platform bench/CN=Reference OCSP CA', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl(dir, 'req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'responder.key', '-out', 'responder.csr',
    '-subj', '/C=JP/O=myna-platform bench/CN=Reference OCSP responder');
  writeFileSync(join(dir, 'responder.ext'), [
    'basicConstraints = critical, CA:FALSE',
    'keyUsage = critical, digitalSignature',
    'extendedKeyUsage = OCSPSigning',
    '1.3.6.1.5.5.7.48.1.5 = ASN1:NULL',
    '',
  ].join('\n'));
  openssl(dir, 'x509', '-req', '-in', 'responder.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '0x1001', '-days', '7', '-sha256',
    '-extfile', 'responder.ext', '-out', 'responder.pem');
  openssl(dir, 'x509', '-in', 'ca.pem', '-outform', 'DER', '-out', 'ca.der');
  return new Uint8Array(readFileSync(join(dir, 'ca.der')));
}

export interface OpensslResponder {
  pid: number;
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts `openssl ocsp -index index.txt -port <port> -rsigner responder.pem -rkey responder.key -CA ca.pem -nmin 5 -ignore_err`
 * in `dir`: one process answering one connection at a time (no `-multi`, which forks that many
 * responder processes). It binds the port before reading the index, so readiness is for the caller
 * to check with a real request.
 */
export function startOpensslResponder(dir: string, port: number): OpensslResponder {
  // unique_subject = no: the synthetic rows share one subject DN, which a unique name index would refuse.
  writeFileSync(join(dir, 'index.txt.attr'), 'unique_subject = no\n');
  const child: ChildProcess = spawn('openssl', ['ocsp', '-index', 'index.txt', '-port', String(port), '-rsigner', 'responder.pem', '-rkey', 'responder.key',
    '-CA', 'ca.pem', '-nmin', '5', '-ignore_err'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => { log = (log + chunk.toString()).slice(-4000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (child.pid === undefined) throw new Error('openssl ocsp did not start');
  return {
    pid: child.pid,
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      if (child.exitCode !== null && child.exitCode !== 0 && !child.killed) throw new Error(`openssl ocsp exited with ${child.exitCode}: ${log}`);
    },
  };
}
