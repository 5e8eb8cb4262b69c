// Runs OpenSC's command-line tools (opensc-tool, pkcs15-tool, pkcs11-tool) and openssl asynchronously, for tests of a card served through pcscd.
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { missingTool } from './require-tool.ts';
import { pcscToolsMissing } from './pcsc-stack.ts';

/** Where Debian and others put OpenSC's PKCS#11 module (multiarch folders first). */
const PKCS11_MODULE_CANDIDATES = [
  `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu/opensc-pkcs11.so`,
  '/usr/lib/opensc-pkcs11.so',
  '/usr/lib64/opensc-pkcs11.so',
  '/usr/local/lib/opensc-pkcs11.so',
];

/** OpenSC's PKCS#11 module, or undefined when OpenSC is not installed. */
export const OPENSC_PKCS11_MODULE: string | undefined = PKCS11_MODULE_CANDIDATES.find((path) => existsSync(path));

/**
 * The `skip` reason of a test driving OpenSC through pcscd + vpcd: pcscToolsMissing() plus
 * opensc-tool, the PKCS#11 module and openssl. Throws under CI=true, like pcscToolsMissing().
 */
export function openscToolsMissing(): string | undefined {
  const stack = pcscToolsMissing();
  if (stack) return stack;
  const tool = missingTool('opensc-tool', 'apt-get install -y opensc') || missingTool('openssl', 'apt-get install -y openssl');
  if (tool) return tool;
  if (OPENSC_PKCS11_MODULE) return undefined;
  const message = `opensc-pkcs11.so が見つかりません (${PKCS11_MODULE_CANDIDATES.join(', ')})。インストールしてください: apt-get install -y opensc`;
  if (process.env['CI'] === 'true') throw new Error(message);
  return message;
}

/**
 * Writes an opensc.conf in `dir` that leaves only the JPKI driver: OpenSC then skips the 29 probe
 * APDUs of the drivers before it (card-apdu.md §10.3), 1.4 s per command through vpcd. File caching
 * stays off: every JPKI card has the serial 00000000, so a cache would hand one card's certificates
 * out for another. Returns its path, for `OPENSC_CONF`.
 */
export function jpkiOnlyOpenscConf(dir: string): string {
  const path = join(dir, 'opensc.conf');
  writeFileSync(path, 'app default {\n  card_drivers = jpki;\n  framework pkcs15 {\n    use_file_caching = no;\n  }\n}\n');
  return path;
}

export interface ToolRun {
  /** The exit code; null when killed (time limit). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a tool and resolves with its exit code and output, whatever the code. Asynchronous on
 * purpose: the OpenSC tools reach the in-process card through pcscd, so a synchronous spawn would
 * block the event loop that answers them (deadlock).
 *
 * @example
 * const run = await runTool('pkcs15-tool', ['--list-pins'], { OPENSC_CONF: conf });
 */
export function runTool(command: string, args: readonly string[], env: Record<string, string | undefined> = {}, timeoutMs = 60_000): Promise<ToolRun> {
  // An undefined value removes the variable (e.g. OPENSC_CONF, for OpenSC's default configuration).
  const merged = Object.fromEntries(Object.entries({ ...process.env, ...env }).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return new Promise((resolve, reject) => {
    execFile(command, [...args], { env: merged, timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number' && !error.killed) {
        reject(error); // the tool could not be started at all
        return;
      }
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** The DER of the first PEM certificate in `text` (what pkcs15-tool --read-certificate prints). */
export function pemCertificateDer(text: string): Uint8Array | undefined {
  const body = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(text)?.[1];
  return body === undefined ? undefined : new Uint8Array(Buffer.from(body.replace(/\s/g, ''), 'base64'));
}
