// Benchmark: READ BINARY round trips through pcscd + vpcd on an issued virtual card, against the echo card in the same reader and run (the transport's floor).
import { attachToVpcd, insertedChip, openPcscTransport, type CardTransport, type ChipSession, type InsertedCard } from '../src/modules/card/index.ts';
import { echoCard } from '../test/support/echo-card.ts';
import { pcscToolsMissing, withPcscStack } from '../test/support/pcsc-stack.ts';
import { createTestPlatform } from '../test/support/test-platform.ts';
import { issuedVirtualCard, waitForCard } from '../test/support/vpcd-card.ts';

const TARGET_RATIO = 1.2;
/** Untimed round trips after each connect: the first ones pay for pcscd's and the card's cold paths. */
const WARM_UP = 10;
/**
 * Echo and virtual blocks alternate (echo, virtual, virtual, echo, …) so slow drift of the machine
 * (frequency, other load) falls on both figures alike.
 */
const ROUNDS = 2;
/** READ BINARY of 256 bytes at offset 0 of the current EF: OpenSC's certificate chunk (card-apdu.md §10.5). */
const READ_BINARY = Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00);
const SELECT_JPKI = Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x0a, 0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01);
const SELECT_AUTH_CERTIFICATE = Uint8Array.of(0x00, 0xa4, 0x02, 0x0c, 0x02, 0x00, 0x0a);

function statusWord(answer: Uint8Array): number {
  return (answer[answer.length - 2]! << 8) | answer[answer.length - 1]!;
}

async function expectOk(transport: CardTransport, command: Uint8Array, length: number, what: string): Promise<void> {
  const answer = await transport.transmit(command);
  if (statusWord(answer) !== 0x9000 || answer.length !== length + 2) {
    throw new Error(`${what}: expected ${length} bytes + 90 00, got ${Buffer.from(answer).toString('hex')}`);
  }
}

/**
 * Inserts `card` in vpcd's reader, connects through pcscd, runs `prepare`, then times `samples`
 * READ BINARY round trips (each checked: `length` data bytes and 90 00); takes the card out again.
 */
async function timeReads(card: InsertedCard, stack: { vpcdPort: number; readerName: string }, samples: number, length: number,
  prepare: (transport: CardTransport) => Promise<void>): Promise<number[]> {
  const slot = await attachToVpcd(card, { port: stack.vpcdPort });
  try {
    await waitForCard(stack.readerName);
    const transport = await openPcscTransport(stack.readerName);
    try {
      await prepare(transport);
      for (let i = 0; i < WARM_UP; i++) await expectOk(transport, READ_BINARY, length, 'READ BINARY');
      const times: number[] = [];
      for (let i = 0; i < samples; i++) {
        const started = performance.now();
        const answer = await transport.transmit(READ_BINARY);
        times.push(performance.now() - started);
        if (statusWord(answer) !== 0x9000 || answer.length !== length + 2) throw new Error(`READ BINARY answered ${Buffer.from(answer).toString('hex')}`);
      }
      return times;
    } finally {
      await transport.close();
    }
  } finally {
    await slot.detach();
    // The next block inserts a card in the same reader: pcscd must have seen this one go first.
    await waitForCard(stack.readerName, false);
  }
}

/** The same READ BINARY on the chip session directly (after selecting EF 000A), `samples` times. */
async function timeInProcess(chip: ChipSession, samples: number): Promise<number[]> {
  for (const command of [SELECT_JPKI, SELECT_AUTH_CERTIFICATE]) {
    const answer = await chip.transmit(command);
    if (statusWord(answer) !== 0x9000) throw new Error(`in process: ${Buffer.from(command).toString('hex')} answered ${Buffer.from(answer).toString('hex')}`);
  }
  const times: number[] = [];
  for (let i = 0; i < WARM_UP + samples; i++) {
    const started = performance.now();
    const answer = await chip.transmit(READ_BINARY);
    if (i >= WARM_UP) times.push(performance.now() - started);
    if (answer.length !== 258) throw new Error(`in process: READ BINARY answered ${answer.length} bytes`);
  }
  return times;
}

/** Nearest-rank percentile, in ms with 0.001 ms resolution. */
function percentile(times: readonly number[], p: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  return Math.round(sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]! * 1000) / 1000;
}

/**
 * Issues a virtual card on a throwaway platform, then through pcscd + vpcd (reader "Virtual PCD 00 00")
 * times `samples` READ BINARY round trips on it (the auth certificate's first 256 bytes) and as many
 * on the echo card (answers 90 00 at once), and prints one JSON line: p50/p90 of each,
 * ratio = virtual p50 ÷ echo p50 (target ≤ 1.2), and the card's own p50 in process for scale.
 * Without pcscd/vpcd it prints a skipped line.
 * @example await runCardVpcdBenchmark(); // {"benchmark":"card-vpcd","samples":200,"virtualP50Ms":…,"echoP50Ms":…,"ratio":1.01,…}
 */
export async function runCardVpcdBenchmark(samples = 200): Promise<void> {
  if (!Number.isSafeInteger(samples) || samples < ROUNDS) throw new TypeError(`samples must be an integer ≥ ${ROUNDS}, got ${samples}`);
  let missing: string | undefined;
  try {
    missing = pcscToolsMissing();
  } catch (error) {
    missing = (error as Error).message; // CI=true turns a missing tool into an error; a benchmark only reports it
  }
  if (missing) {
    console.log(JSON.stringify({ benchmark: 'card-vpcd', skipped: missing }));
    return;
  }

  const t = await createTestPlatform();
  try {
    await t.platform.jpki.initCertificateAuthorities();
    const issued = await issuedVirtualCard(t, { auth: '1234', sign: 'ABC123', kenhojo: '5678', juki: '9012' });
    const virtualCard = insertedChip(issued.chip);
    const { virtual, echo, readerName } = await withPcscStack(async (stack) => {
      const times = { virtual: [] as number[], echo: [] as number[] };
      const perBlock = Math.ceil(samples / ROUNDS);
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? (['echo', 'virtual'] as const) : (['virtual', 'echo'] as const);
        for (const which of order) {
          const n = Math.min(perBlock, samples - times[which].length);
          if (which === 'echo') {
            times.echo.push(...await timeReads(echoCard(), stack, n, 0, async () => {}));
          } else {
            times.virtual.push(...await timeReads(virtualCard, stack, n, 256, async (transport) => {
              await expectOk(transport, SELECT_JPKI, 0, 'SELECT JPKI AP');
              await expectOk(transport, SELECT_AUTH_CERTIFICATE, 0, 'SELECT EF 000A');
            }));
          }
        }
      }
      return { ...times, readerName: stack.readerName };
    });
    // The card's own share: the same READ BINARY on the chip session in process, no PC/SC at all.
    const cardOnly = await timeInProcess(issued.chip, samples);
    const virtualP50 = percentile(virtual, 0.5);
    const echoP50 = percentile(echo, 0.5);
    const ratio = Math.round((virtualP50 / echoP50) * 1000) / 1000;
    console.log(JSON.stringify({
      benchmark: 'card-vpcd', reader: readerName, apdu: Buffer.from(READ_BINARY).toString('hex').toUpperCase(), samples,
      virtualP50Ms: virtualP50, virtualP90Ms: percentile(virtual, 0.9),
      echoP50Ms: echoP50, echoP90Ms: percentile(echo, 0.9),
      cardOnlyP50Ms: percentile(cardOnly, 0.5),
      ratio, targetRatio: TARGET_RATIO, pass: ratio <= TARGET_RATIO,
    }));
  } finally {
    await t.close();
  }
}
