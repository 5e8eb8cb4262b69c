// OpenSC 0.23's own tools against an issued virtual card in vpcd's reader: recognition after the probes, certificates, signatures, PIN counters (card-apdu.md §10).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachToVpcd, insertedChip, type CardPins, type InsertedCard } from '../src/modules/card/index.ts';
import { createTestPlatform } from './support/test-platform.ts';
import { withPcscStack } from './support/pcsc-stack.ts';
import { issuedVirtualCard, waitForCard } from './support/vpcd-card.ts';
import { OPENSC_PKCS11_MODULE, jpkiOnlyOpenscConf, openscToolsMissing, pemCertificateDer, runTool, type ToolRun } from './support/opensc-tools.ts';

const missing = openscToolsMissing();
const PINS: CardPins = { auth: '1234', sign: 'ABC123', kenhojo: '5678', juki: '9012' };
const JPKI_SELECT = '00a4040c0ad392f000260100000001';

/** One APDU as the card saw it, in lower-case hex, and the status word it answered. */
interface Exchange {
  command: string;
  sw: string;
}

/** Wraps a card so the test can see what OpenSC sent and what the card answered. */
function recorded(card: InsertedCard): { card: InsertedCard; exchanges: Exchange[] } {
  const exchanges: Exchange[] = [];
  return {
    exchanges,
    card: {
      ...card,
      transmit: async (command) => {
        const answer = await card.transmit(command);
        exchanges.push({ command: Buffer.from(command).toString('hex'), sw: Buffer.from(answer.subarray(-2)).toString('hex') });
        return answer;
      },
    },
  };
}

/** pkcs15-tool's blocks ("X.509 Certificate [label]" / "PIN [label]" then indented "Key : value" lines), keyed by ID. */
function blocks(output: string): Map<string, { label: string; fields: Map<string, string> }> {
  const result = new Map<string, { label: string; fields: Map<string, string> }>();
  for (const block of output.split(/\n(?=\S)/)) {
    const label = /^[^\n[]*\[([^\]]+)\]/.exec(block)?.[1];
    if (label === undefined) continue;
    const fields = new Map([...block.matchAll(/^\s+([^:\n]+?)\s*:\s*(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()]));
    result.set(fields.get('ID') ?? label, { label, fields });
  }
  return result;
}

/** `02 <len> <SERIAL>` as pkcs15-tool prints a DER INTEGER serial. */
function encodedSerial(serialHex: string): string {
  const hex = serialHex.toUpperCase();
  return `02 ${(hex.length / 2).toString(16).toUpperCase().padStart(2, '0')} ${hex}`;
}

function explain(run: ToolRun): string {
  return `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
}

test('OpenSC through pcscd and vpcd: opensc-tool, pkcs15-tool and pkcs11-tool on an issued virtual card', { skip: missing ?? false, timeout: 300_000 }, async (t) => {
  const platform = await createTestPlatform();
  const dir = mkdtempSync(join(tmpdir(), 'myna-opensc-'));
  try {
    await platform.platform.jpki.initCertificateAuthorities();
    const issued = await issuedVirtualCard(platform, PINS);
    const authCa = await platform.platform.jpki.issuingCa('auth');
    const signCa = await platform.platform.jpki.issuingCa('sign');
    const trace = recorded(insertedChip(issued.chip));
    const jpkiOnly = { OPENSC_CONF: jpkiOnlyOpenscConf(dir) };
    const pkcs11Module = OPENSC_PKCS11_MODULE!;
    const data = join(dir, 'data.txt');
    writeFileSync(data, 'ログイン要求 nonce=42\n');

    await withPcscStack(async ({ vpcdPort, readerName }) => {
      // By name: the first reader with a card could be a real one on a developer's machine.
      const pkcs15 = (args: string[]) => runTool('pkcs15-tool', ['--reader', readerName, ...args], jpkiOnly);
      /** pkcs11-tool signing `data` with SHA256-RSA-PKCS: hashed by OpenSC, the DigestInfo padded and signed by the card. */
      const pkcs11Sign = (slotIndex: number, id: string, pin: string, output: string) => runTool('pkcs11-tool', [
        '--module', pkcs11Module, '--slot-index', String(slotIndex), '--login', '--pin', pin,
        '--sign', '--id', id, '-m', 'SHA256-RSA-PKCS', '--input-file', data, '--output-file', output,
      ], jpkiOnly);
      /** Tries left per PIN ID as `pkcs15-tool --list-pins` reads them from the card (status query, 63 Cx). */
      const triesLeft = async (): Promise<Record<string, number>> => {
        const run = await pkcs15(['--list-pins']);
        assert.equal(run.code, 0, explain(run));
        return Object.fromEntries([...blocks(run.stdout)].map(([id, pin]) => [id, Number(pin.fields.get('Tries left'))]));
      };
      const opensslVerifies = async (certificate: Uint8Array, signature: string): Promise<ToolRun> => {
        const publicKey = join(dir, 'public.pem');
        writeFileSync(publicKey, new X509Certificate(certificate).publicKey.export({ type: 'spki', format: 'pem' }));
        return runTool('openssl', ['dgst', '-sha256', '-verify', publicKey, '-signature', signature, data]);
      };

      const slot = await attachToVpcd(trace.card, { port: vpcdPort });
      try {
        await waitForCard(readerName);

        await t.test('with the default configuration, opensc-tool sees the card and names it jpki after every other driver\'s probe', async (st) => {
          const readers = await runTool('opensc-tool', ['--list-readers'], { OPENSC_CONF: undefined });
          assert.equal(readers.code, 0, explain(readers));
          assert.match(readers.stdout, new RegExp(`^\\d+\\s+Yes\\s+.*${readerName}\\s*$`, 'm'));

          trace.exchanges.length = 0;
          const name = await runTool('opensc-tool', ['--reader', readerName, '--name'], { OPENSC_CONF: undefined });
          assert.equal(name.code, 0, explain(name));
          assert.equal(name.stdout.trim(), 'jpki');
          // The drivers before jpki probe with foreign AIDs and GET DATA; a 90 00 would make one of them take the card.
          assert.ok(trace.exchanges.length >= 20, `the other drivers probed (${trace.exchanges.length} APDUs)`);
          const accepted = trace.exchanges.filter((e) => e.sw === '9000' && e.command !== JPKI_SELECT);
          assert.deepEqual(accepted, [], 'no probe answered 90 00');
          st.diagnostic(`opensc-tool --name with the default configuration: ${trace.exchanges.length} APDUs`);
        });

        await t.test('pkcs15-tool --list-certificates lists both user certificates and the two CA certificates', async () => {
          trace.exchanges.length = 0;
          const run = await pkcs15(['--list-certificates']);
          assert.equal(run.code, 0, explain(run));
          const listed = blocks(run.stdout);
          assert.deepEqual([...listed.keys()], ['01', '02', '03', '04']);
          const field = (id: string, name: string) => listed.get(id)?.fields.get(name);

          assert.equal(listed.get('01')?.label, 'User Authentication Certificate');
          assert.equal(field('01', 'Path'), '000a');
          assert.equal(field('01', 'Authority'), 'no');
          assert.equal(field('01', 'Encoded serial'), encodedSerial(new X509Certificate(issued.authCertificate).serialNumber));

          // The signing certificate is PIN-protected: listed as private, without a serial (its EF answered 69 82).
          assert.equal(listed.get('02')?.label, 'Digital Signature Certificate');
          assert.equal(field('02', 'Path'), '0001');
          assert.equal(field('02', 'Object Flags'), '[0x01], private');
          assert.equal(field('02', 'Encoded serial'), undefined);
          const select0001 = trace.exchanges.findIndex((e) => e.command === '00a4020c020001');
          assert.deepEqual(trace.exchanges[select0001 + 1], { command: '00b0000004', sw: '6982' }, 'EF 0001 refuses READ BINARY before the signing PIN');

          assert.equal(listed.get('03')?.label, 'User Authentication Certificate CA');
          assert.equal(field('03', 'Path'), '000b');
          assert.equal(field('03', 'Authority'), 'yes');
          assert.equal(field('03', 'Encoded serial'), encodedSerial(authCa.serialHex));
          assert.equal(listed.get('04')?.label, 'Digital Signature Certificate CA');
          assert.equal(field('04', 'Path'), '0002');
          assert.equal(field('04', 'Authority'), 'yes');
          assert.equal(field('04', 'Encoded serial'), encodedSerial(signCa.serialHex));
        });

        await t.test('pkcs15-tool --read-certificate returns the issued certificates byte for byte; 02 only after the signing PIN', async () => {
          const auth = await pkcs15(['--read-certificate', '01']);
          assert.equal(auth.code, 0, explain(auth));
          assert.deepEqual(pemCertificateDer(auth.stdout), issued.authCertificate);

          const refused = await pkcs15(['--read-certificate', '02']);
          assert.notEqual(refused.code, 0, explain(refused));
          assert.match(refused.stderr, /Certificate read failed/);
          assert.equal(pemCertificateDer(refused.stdout), undefined);

          const sign = await pkcs15(['--read-certificate', '02', '--verify-pin', '--auth-id', '02', '--pin', PINS.sign!]);
          assert.equal(sign.code, 0, explain(sign));
          assert.deepEqual(pemCertificateDer(sign.stdout), issued.signCertificate);
        });

        await t.test('pkcs11-tool signs with the user-authentication key (slot 0, ID 01) and openssl verifies it with the certificate', async () => {
          const signature = join(dir, 'auth.sig');
          const run = await pkcs11Sign(0, '01', PINS.auth, signature);
          assert.equal(run.code, 0, explain(run));
          const verified = await opensslVerifies(issued.authCertificate, signature);
          assert.equal(verified.stdout.trim(), 'Verified OK', explain(verified));
        });

        await t.test('pkcs11-tool signs with the signing key (slot 1, ID 02, context-specific login) and openssl verifies it', async () => {
          const signature = join(dir, 'sign.sig');
          const run = await pkcs11Sign(1, '02', PINS.sign!, signature);
          assert.equal(run.code, 0, explain(run));
          const verified = await opensslVerifies(issued.signCertificate, signature);
          assert.equal(verified.stdout.trim(), 'Verified OK', explain(verified));
        });

        await t.test('wrong user-authentication PINs through pkcs11-tool count down, a correct login resets, three block it', async () => {
          const signature = join(dir, 'pin.sig');
          assert.deepEqual(await triesLeft(), { '01': 3, '02': 5 });

          const wrong = async () => {
            const run = await pkcs11Sign(0, '01', '0000', signature);
            assert.notEqual(run.code, 0, explain(run));
            assert.match(run.stderr, /C_Login failed: rv = CKR_PIN_INCORRECT/);
          };
          await wrong();
          assert.deepEqual(await triesLeft(), { '01': 2, '02': 5 });

          const right = await pkcs11Sign(0, '01', PINS.auth, signature);
          assert.equal(right.code, 0, explain(right));
          assert.deepEqual(await triesLeft(), { '01': 3, '02': 5 }, 'a correct PIN resets the counter');

          await wrong();
          await wrong();
          await wrong();
          // The status query still answers (63 C0), so OpenSC binds the blocked card and shows 0.
          assert.deepEqual(await triesLeft(), { '01': 0, '02': 5 });

          rmSync(signature, { force: true });
          const blocked = await pkcs11Sign(0, '01', PINS.auth, signature);
          assert.notEqual(blocked.code, 0, explain(blocked));
          assert.match(blocked.stderr, /C_Login failed: rv = CKR_PIN_LOCKED/, "69 83 on a blocked PIN is OpenSC's CKR_PIN_LOCKED");
          assert.equal(existsSync(signature), false, 'no signature from a blocked PIN');
          assert.deepEqual(await triesLeft(), { '01': 0, '02': 5 });
        });
      } finally {
        await slot.detach();
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await platform.close();
  }
});
