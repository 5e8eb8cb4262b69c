// A scripted kiosk process for the crash tests: walks one journey with a journal and SIGKILLs itself (or pauses) exactly at a named step.
//
// Run: node --import tsx test/support/kiosk-driver.ts '<json DriverArgs>', with the PIN in KIOSK_DRIVER_PIN and the kiosk
// credential in MYNA_KIOSK_CREDENTIAL (neither on the command line). Prints `step:<name>` for every step (stdout, written
// synchronously, so it is out before a kill), `paused:<name>` when it waits for a line on stdin, and `done:<json>` at the end.
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { CardClient, digestInfo, virtualReaderTransport } from '../../src/modules/card/index.ts';
import { kioskClient, openKioskJournal, type KioskStep } from '../../src/modules/issuance/index.ts';

/** What the test asks of one kiosk process. */
export interface DriverArgs {
  url: string;
  cardId: string;
  type: string;
  copies: number;
  journal: string;
  /** SIGKILL at this step (`paid`, `printed:1`, `retrying:print-results`, …). */
  stopAt?: string;
  /** Wait for a line on stdin at this step, then go on. */
  pauseAt?: string;
  printFails?: number[];
  attempts?: number;
  retryDelayMs?: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as DriverArgs;
const pin = process.env['KIOSK_DRIVER_PIN'] ?? '';
const credential = process.env['MYNA_KIOSK_CREDENTIAL'] ?? '';
const say = (line: string) => writeSync(1, `${line}\n`);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function onStep(step: KioskStep): Promise<void> {
  say(`step:${step}`);
  if (step === args.stopAt) process.kill(process.pid, 'SIGKILL');
  if (step === args.pauseAt) {
    say(`paused:${step}`);
    await lines.next();
  }
}

const journal = openKioskJournal(args.journal);
const kiosk = kioskClient(args.url, credential, { journal, onStep, attempts: args.attempts ?? 3, retryDelayMs: args.retryDelayMs ?? 200 });
const card = new CardClient(virtualReaderTransport(args.url, args.cardId));
await card.reset();
const run = await kiosk.run({
  authCertificate: () => card.readCertificate('auth'),
  signChallenge: (challenge, p) => card.sign('auth', digestInfo(challenge), p),
}, { pin, type: args.type, copies: args.copies, ...(args.printFails ? { printFails: args.printFails } : {}) });
journal.close();
say(`done:${JSON.stringify({ orderId: run.order.orderId, receiptNo: run.receipt.receiptNo, printed: run.printed })}`);
process.exit(0);
