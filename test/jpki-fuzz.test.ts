// Fuzz test (issue #3, Bad input): random and mutated DER fed to every JPKI parser, the OCSP service and its HTTP route; each refuses bad input as documented and none crashes.
import 'reflect-metadata';
import { describe, test, before, after, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, webcrypto, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  certIdHashes, decodeOcspGetPath, OcspMalformedRequest, parseOcspRequest,
  prepareAnchors, readBasicAttributes, readCertificatePolicyOids, verifyCertificate, verifySignature,
  type PreparedAnchors, type VerificationFailure,
} from '../src/modules/jpki/index.ts';
import { createTestPlatform, type TestPlatform } from './support/test-platform.ts';
import { issueFor, newResident } from './support/jpki-fixtures.ts';
import { missingTool } from './support/require-tool.ts';
import { seededRandom, type SeededRandom } from './support/seeded-random.ts';

/*
 * Reproducing a failure: each message names FUZZ_SEED, the case number and how the input was made,
 * shows its start, and names a file in the temp folder holding the whole input. Each test draws from
 * its own generator, seeded from FUZZ_SEED and the test's name, so `FUZZ_SEED=<n> node
 * scripts/run-tests.js jpki-fuzz` replays the same mutations. NOTE: the seed documents (CA and user
 * certificates) get fresh keys and serials each run, so a replay mutates different bytes the same
 * way: the saved file is the exact input. FUZZ_SCALE=10 runs ten times as many cases. The default
 * seed is fixed so that CI does not find a different bug on every run; exploring means changing it.
 */
const SEED = Number.parseInt(process.env['FUZZ_SEED'] ?? '20261124', 10) >>> 0;
const SCALE = Number(process.env['FUZZ_SCALE'] ?? '1') || 1;
const cases = (n: number): number => Math.max(1, Math.round(n * SCALE));
// Deep enough that a library's error still shows the frame in src/ that called it.
Error.stackTraceLimit = 40;

// Seeded generator: test/support/seeded-random.ts (the same seed gives the same inputs).
type Random = SeededRandom;

/** Each test's own generator, so that one test's cases do not depend on how many another drew. */
function generatorFor(testName: string): Random {
  return seededRandom(SEED ^ createHash('sha256').update(testName).digest().readUInt32BE(0));
}

// ---------------------------------------------------------------------------------------------
// DER: reading headers leniently, a tree to mutate structurally, minimal re-encoding
// ---------------------------------------------------------------------------------------------

interface Header { tag: number; from: number; lengthAt: number; lengthOctets: number; contentStart: number; end: number }

function readHeader(der: Uint8Array, at: number, limit: number): Header | undefined {
  if (at + 2 > limit) return undefined;
  const tag = der[at]!;
  if ((tag & 0x1f) === 0x1f) return undefined;
  const first = der[at + 1]!;
  let length = first;
  let lengthOctets = 1;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4 || at + 2 + n > limit) return undefined;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[at + 2 + i]!;
    lengthOctets += n;
  }
  const contentStart = at + 1 + lengthOctets;
  const end = contentStart + length;
  return end > limit ? undefined : { tag, from: at, lengthAt: at + 1, lengthOctets, contentStart, end };
}

/** Every header that can be read, descending into constructed elements and into OCTET/BIT STRINGs that hold DER (extensions, keys). */
function headersOf(der: Uint8Array, from = 0, limit = der.length, depth = 0, out: Header[] = []): Header[] {
  for (let at = from; at < limit && depth < 24;) {
    const header = readHeader(der, at, limit);
    if (!header) break;
    out.push(header);
    if (header.tag & 0x20) headersOf(der, header.contentStart, header.end, depth + 1, out);
    else if (header.tag === 0x04) headersOf(der, header.contentStart, header.end, depth + 1, out);
    else if (header.tag === 0x03) headersOf(der, header.contentStart + 1, header.end, depth + 1, out);
    at = header.end;
  }
  return out;
}

/**
 * One element; `children` when its content is DER we descend into (for a BIT STRING, after `prefix`,
 * the unused-bits octet). `encoded` is its DER while it is unchanged: re-encoding a mutant then
 * costs only the path from the change up to the root.
 */
interface Node { tag: number; content: Uint8Array; children?: Node[] | undefined; prefix?: Uint8Array | undefined; encoded?: Uint8Array | undefined }

/** The elements of `der`, or undefined when it is not a whole sequence of them. */
function parseNodes(der: Uint8Array, depth = 0): Node[] | undefined {
  const nodes: Node[] = [];
  for (let at = 0; at < der.length;) {
    const header = readHeader(der, at, der.length);
    if (!header) return undefined;
    const content = der.subarray(header.contentStart, header.end);
    const node: Node = { tag: header.tag, content, encoded: der.subarray(header.from, header.end) };
    if (depth < 24) {
      // Strings are descended into only when they start with a constructed element: hashes and serials stay bytes.
      if (header.tag & 0x20) node.children = parseNodes(content, depth + 1);
      else if (header.tag === 0x04 && content.length >= 2 && content[0]! & 0x20) node.children = parseNodes(content, depth + 1);
      else if (header.tag === 0x03 && content.length >= 3 && content[0] === 0 && content[1]! & 0x20) {
        node.children = parseNodes(content.subarray(1), depth + 1);
        if (node.children) node.prefix = content.subarray(0, 1);
      }
    }
    nodes.push(node);
    at = header.end;
  }
  return nodes;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** DER definite length in minimal form (X.690 §10.1). */
function lengthOctets(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const octets: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) octets.unshift(n & 0xff);
  return Uint8Array.of(0x80 | octets.length, ...octets);
}

function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const content = concat(parts);
  return concat([Uint8Array.of(tag), lengthOctets(content.length), content]);
}

function encodeNode(node: Node): Uint8Array {
  if (node.encoded) return node.encoded;
  if (!node.children) return tlv(node.tag, node.content);
  return tlv(node.tag, node.prefix ?? new Uint8Array(0), ...node.children.map(encodeNode));
}

function cloneNode(node: Node): Node {
  // Contents are never changed in place, only replaced: sharing them is safe.
  return { tag: node.tag, content: node.content, children: node.children?.map(cloneNode), prefix: node.prefix, encoded: node.encoded };
}

function hexToBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

/** A real DER document to start from, with its tree. */
interface Seed { name: string; der: Uint8Array; tree: Node[] }

function seedOf(name: string, der: Uint8Array): Seed {
  const tree = parseNodes(der);
  assert.ok(tree, `seed ${name} is not DER`);
  return { name, der, tree };
}

const INTERESTING_TAGS = [
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0a, 0x0c, 0x13, 0x14, 0x16, 0x17, 0x18, 0x1e, 0x1f,
  0x21, 0x23, 0x24, 0x30, 0x31, 0x3f, 0x80, 0x81, 0x82, 0xa0, 0xa1, 0xa2, 0xa3, 0xbf, 0xff,
];
const INTERESTING_BYTES = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x1f, 0x20, 0x30, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0xa0, 0xfe, 0xff];
const ascii = (text: string): number[] => [...Buffer.from(text, 'latin1')];
const INTERESTING_CONTENTS: readonly (readonly number[])[] = [
  [], [0x00], [0x01], [0x02], [0x7f], [0x80], [0xff], [0x00, 0x00], [0x00, 0x7f], [0x00, 0x80], [0xff, 0x7f], [0xff, 0x80],
  [0x07, 0x80], [0x08, 0xff], [0x00, 0xff, 0xff],
  // OIDs: truncated arcs, non-minimal arcs, id-ce extensions (duplicates, critical ones), SHA-1 / SHA-256, the OCSP nonce.
  [0x80], [0x80, 0x01], [0x2a, 0x86], [0x55, 0x1d], [0x55, 0x1d, 0x0e], [0x55, 0x1d, 0x0f], [0x55, 0x1d, 0x11], [0x55, 0x1d, 0x13],
  [0x55, 0x1d, 0x20], [0x55, 0x1d, 0x23], [0x55, 0x1d, 0x25], [0x2b, 0x0e, 0x03, 0x02, 0x1a], [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01],
  [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x02], [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
  // Times: valid, impossible, too short, local time, not digits.
  ascii('991231235959Z'), ascii('000229000000Z'), ascii('491231235959Z'), ascii('20261124010000Z'), ascii('99991231235959Z'),
  ascii('20260230000000Z'), ascii('20261124240000Z'), ascii('2026112401000Z'), ascii('20261124010000+0900'), ascii('2026-11-24T01Z'), ascii('Z'),
  // Strings: odd-length UTF-16, invalid UTF-8, control characters, RFC 4514 specials.
  [0xd8], [0xd8, 0x00], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0x00, 0x0a, 0x1b], ascii(' #,+"\\<>; '),
];

type Mutation = (bytes: Uint8Array, r: Random, seeds: readonly Seed[]) => Uint8Array;

const BYTE_MUTATIONS: Record<string, Mutation> = {
  flipBits(bytes, r) {
    if (bytes.length === 0) return bytes;
    const out = bytes.slice();
    for (let k = 1 + r.int(8); k > 0; k--) out[r.int(out.length)]! ^= 1 << r.int(8);
    return out;
  },
  replaceBytes(bytes, r) {
    if (bytes.length === 0) return bytes;
    const out = bytes.slice();
    for (let k = 1 + r.int(4); k > 0; k--) out[r.int(out.length)] = r.chance(0.5) ? r.pick(INTERESTING_BYTES) : r.int(256);
    return out;
  },
  truncate: (bytes, r) => bytes.slice(0, r.int(bytes.length + 1)),
  corruptLength(bytes, r) {
    const headers = headersOf(bytes);
    if (headers.length === 0) return bytes;
    const h = r.pick(headers);
    const length = h.end - h.contentStart;
    const replacement = r.pick<() => number[]>([
      () => [0x00], () => [0x01], () => [0x7f], () => [0x80], () => [0xff], () => [0x81, 0x00], () => [0x81, 0x7f], () => [0x81, 0xff],
      () => [0x82, 0x00, length & 0xff], () => [0x82, 0xff, 0xff], () => [0x83, 0xff, 0xff, 0xff], () => [0x84, 0x00, 0x00, 0x00, length & 0xff],
      () => [0x84, 0xff, 0xff, 0xff, 0xff], () => [0x85, 0x01, 0x00, 0x00, 0x00, 0x00], () => [0x89, ...new Array<number>(9).fill(0xff)],
      () => [...lengthOctets(length + 1)], () => [...lengthOctets(Math.max(0, length - 1))], () => [...lengthOctets(length + 1 + r.int(300))],
      () => [...lengthOctets(r.int(Math.max(1, length)))],
      // The right length in a padded (BER, not DER) form.
      () => [0x81, length & 0xff], () => [0x82, (length >> 8) & 0xff, length & 0xff], () => [0x83, 0x00, (length >> 8) & 0xff, length & 0xff],
    ])();
    return concat([bytes.subarray(0, h.lengthAt), Uint8Array.from(replacement), bytes.subarray(h.lengthAt + h.lengthOctets)]);
  },
  corruptTag(bytes, r) {
    const headers = headersOf(bytes);
    if (headers.length === 0) return bytes;
    const out = bytes.slice();
    out[r.pick(headers).from] = r.chance(0.7) ? r.pick(INTERESTING_TAGS) : r.int(256);
    return out;
  },
  insertBytes(bytes, r) {
    const at = r.int(bytes.length + 1);
    const inserted = r.chance(0.5) ? r.bytes(1 + r.int(16)) : Uint8Array.of(r.pick(INTERESTING_BYTES));
    return concat([bytes.subarray(0, at), inserted, bytes.subarray(at)]);
  },
  deleteBytes(bytes, r) {
    if (bytes.length === 0) return bytes;
    const at = r.int(bytes.length);
    return concat([bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + 1 + r.int(32)))]);
  },
  duplicateSlice(bytes, r) {
    if (bytes.length === 0) return bytes;
    const headers = headersOf(bytes);
    // Half the time a whole element (a repeated field), otherwise any slice.
    const [from, to] = headers.length > 0 && r.chance(0.5)
      ? ((h) => [h.from, h.end])(r.pick(headers))
      : ((a) => [a, Math.min(bytes.length, a + 1 + r.int(64))])(r.int(bytes.length));
    const at = r.int(bytes.length + 1);
    return concat([bytes.subarray(0, at), bytes.subarray(from, to), bytes.subarray(at)]);
  },
  appendSeed: (bytes, r, seeds) => concat([bytes, r.pick(seeds).der.subarray(0, 1 + r.int(64))]),
};
const BYTE_MUTATION_NAMES = Object.keys(BYTE_MUTATIONS);

/** A place in the tree: `list[index]` is the node, inside `ancestors`, whose encodings a change there makes stale. */
interface Slot { list: Node[]; index: number; ancestors: readonly Node[] }

function slotsOf(nodes: Node[], ancestors: readonly Node[] = [], out: Slot[] = []): Slot[] {
  nodes.forEach((node, index) => {
    out.push({ list: nodes, index, ancestors });
    if (node.children) slotsOf(node.children, [...ancestors, node], out);
  });
  return out;
}

/** Structural mutations: the lengths stay right, so the input gets past framing into the checks behind it. */
const TREE_MUTATIONS: Record<string, (slot: Slot, node: Node, r: Random, seeds: readonly Seed[]) => void> = {
  retag(_slot, node, r) { node.tag = r.chance(0.7) ? r.pick(INTERESTING_TAGS) : r.int(256); },
  randomContent(slot, node, r) {
    const length = r.pick([0, 1, 2, 3, node.content.length, r.int(40), r.int(300)]);
    slot.list[slot.index] = { tag: node.tag, content: r.bytes(length) };
  },
  interestingContent(slot, node, r) {
    slot.list[slot.index] = { tag: node.tag, content: Uint8Array.from(r.pick(INTERESTING_CONTENTS)) };
  },
  flipContent(slot, node, r) {
    if (node.children || node.content.length === 0) return;
    const content = node.content.slice();
    content[r.int(content.length)]! ^= 1 << r.int(8);
    slot.list[slot.index] = { tag: node.tag, content };
  },
  remove(slot) { slot.list.splice(slot.index, 1); },
  duplicate(slot, node, r) { for (let k = r.chance(0.9) ? 1 : 20 + r.int(30); k > 0; k--) slot.list.splice(slot.index, 0, cloneNode(node)); },
  swapWithSibling(slot, node, r) {
    const other = r.int(slot.list.length);
    slot.list[slot.index] = slot.list[other]!;
    slot.list[other] = node;
  },
  insertElement(slot, _node, r) {
    slot.list.splice(slot.index + r.int(2), 0, { tag: r.pick(INTERESTING_TAGS), content: r.chance(0.5) ? Uint8Array.from(r.pick(INTERESTING_CONTENTS)) : r.bytes(r.int(24)) });
  },
  emptyChildren(_slot, node) { if (node.children) node.children = []; },
  fromOtherSeed(slot, _node, r, seeds) {
    const donor = slotsOf(r.pick(seeds).tree.map(cloneNode));
    const picked = r.pick(donor);
    slot.list[slot.index] = picked.list[picked.index]!;
  },
  wrap(slot, node, r) {
    let wrapped = node;
    // Mostly one level; sometimes deep nesting, for recursive readers.
    for (let k = r.chance(0.9) ? 1 : 50 + r.int(400); k > 0; k--) wrapped = { tag: r.chance(0.8) ? 0x30 : r.pick([0x31, 0xa0, 0x24]), content: new Uint8Array(0), children: [wrapped] };
    slot.list[slot.index] = wrapped;
  },
};
const TREE_MUTATION_NAMES = Object.keys(TREE_MUTATIONS);

/** One generated input, and how it was made (for the failure message). */
interface Case<I> { input: I; how: string }

/** A random input: random bytes, a seed mutated structurally, or a seed mutated byte by byte. */
function mutate(r: Random, seeds: readonly Seed[]): Case<Uint8Array> {
  const roll = r.next();
  if (roll < 0.08) {
    const length = r.int(2001);
    return { input: r.bytes(length), how: `random ${length} bytes` };
  }
  const seed = r.pick(seeds);
  const how: string[] = [seed.name];
  let bytes: Uint8Array;
  if (roll < 0.55) {
    const tree = seed.tree.map(cloneNode);
    for (let k = 1 + r.int(3); k > 0; k--) {
      const slots = slotsOf(tree);
      if (slots.length === 0) break;
      const slot = r.pick(slots);
      const name = r.pick(TREE_MUTATION_NAMES);
      const node = slot.list[slot.index]!;
      TREE_MUTATIONS[name]!(slot, node, r, seeds);
      node.encoded = undefined;
      for (const ancestor of slot.ancestors) ancestor.encoded = undefined;
      how.push(name);
    }
    bytes = concat(tree.map(encodeNode));
    if (r.chance(0.2)) {
      const name = r.pick(BYTE_MUTATION_NAMES);
      bytes = BYTE_MUTATIONS[name]!(bytes, r, seeds);
      how.push(name);
    }
  } else {
    bytes = seed.der;
    for (let k = 1 + (r.chance(0.6) ? 0 : r.int(3)); k > 0; k--) {
      const name = r.pick(BYTE_MUTATION_NAMES);
      bytes = BYTE_MUTATIONS[name]!(bytes, r, seeds);
      how.push(name);
    }
  }
  return { input: bytes, how: how.join(' → ') };
}

// ---------------------------------------------------------------------------------------------
// Collecting crashes: every case runs, distinct kinds are reported with their first input
// ---------------------------------------------------------------------------------------------

function show(input: Uint8Array | string): string {
  if (typeof input === 'string') return `${JSON.stringify(input.slice(0, 300))}${input.length > 300 ? `… (${input.length} chars)` : ''}`;
  const hex = Buffer.from(input).toString('hex');
  return `(${input.length} bytes) ${hex.length > 600 ? `${hex.slice(0, 600)}…` : hex}`;
}

/** Class, code and message, where it was thrown and the first place in our own code on the way. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `a non-Error was thrown: ${String(error)}`;
  const code = (error as { code?: unknown }).code;
  const frames = (error.stack ?? '').split('\n').map((line) => line.trim()).filter((line) => line.startsWith('at '));
  const ours = frames.find((line) => line.includes('/src/'));
  const shown = [...frames.slice(0, 2), ...(ours && !frames.slice(0, 2).includes(ours) ? ['…', ours] : [])];
  return `${error.constructor.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message} {${shown.join(' | ')}}`;
}

/** Where the whole first input of each kind of failure is written (messages show the start of it). */
let failureDirectory: string | undefined;

function saveInput(testName: string, caseNo: number, input: unknown): string {
  if (!(input instanceof Uint8Array) && typeof input !== 'string') return '';
  failureDirectory ??= mkdtempSync(join(tmpdir(), 'jpki-fuzz-'));
  const path = join(failureDirectory, `${testName.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 40)}-case${caseNo}.${typeof input === 'string' ? 'txt' : 'der'}`);
  writeFileSync(path, input);
  return `; whole input in ${path}`;
}

class Crashes {
  private readonly kinds = new Map<string, string>();
  count = 0;
  constructor(private readonly what: string) {}

  record(caseNo: number, how: string, input: unknown, shown: string, problem: string): void {
    this.count++;
    const kind = problem.replace(/\{.*\}$/, '').replace(/[0-9a-f]{6,}|\d+/g, '#').slice(0, 160);
    if (this.kinds.has(kind) || this.kinds.size >= 8) return;
    this.kinds.set(kind, `- ${problem}\n  FUZZ_SEED=${SEED} case ${caseNo} (${how})${saveInput(this.what, caseNo, input)}\n  input ${shown}`);
  }

  assertNone(): void {
    assert.equal(this.count, 0, `${this.what}: ${this.count} bad outcome(s); first input of each kind:\n${[...this.kinds.values()].join('\n')}`);
  }
}

/**
 * Runs `n` cases from the test's generator; `check` returns a problem or undefined, and what it
 * throws is a crash. Every case runs: the message lists each kind of failure with its first input.
 */
async function fuzz<I>(
  ctx: TestContext, n: number, generate: (r: Random) => Case<I>,
  check: (input: I) => Promise<string | undefined> | string | undefined,
  render: (input: I) => string = (input) => show(input as Uint8Array | string),
): Promise<void> {
  const r = generatorFor(ctx.name);
  const crashes = new Crashes(ctx.name);
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const { input, how } = generate(r);
    let problem: string | undefined;
    try {
      problem = await check(input);
    } catch (error) {
      problem = `threw ${describeError(error)}`;
    }
    if (problem !== undefined) crashes.record(i, how, input, render(input), problem);
  }
  ctx.diagnostic(`FUZZ_SEED=${SEED}: ${n} cases in ${Math.round(performance.now() - started)} ms`);
  crashes.assertNone();
}

// ---------------------------------------------------------------------------------------------
// OCSP: requests built by hand (RFC 6960 §4.1.1), responses read just enough to classify them
// ---------------------------------------------------------------------------------------------

const SHA1_ALGORITHM = tlv(0x30, tlv(0x06, hexToBytes('2b0e03021a')), tlv(0x05));
const SHA256_ALGORITHM = tlv(0x30, tlv(0x06, hexToBytes('608648016503040201')));
const NONCE_OID = tlv(0x06, hexToBytes('2b0601050507300102'));

/** The issuer's subject DER and subjectPublicKey bits, from the CA certificate's tree. */
function issuerFields(caDer: Uint8Array): { subject: Uint8Array; keyBits: Uint8Array } {
  const tbs = parseNodes(caDer)?.[0]?.children?.[0]?.children;
  assert.ok(tbs);
  const offset = tbs[0]?.tag === 0xa0 ? 1 : 0;
  const subject = tbs[offset + 4];
  const keyBits = tbs[offset + 5]?.children?.[1]?.content.subarray(1);
  assert.ok(subject && keyBits);
  return { subject: encodeNode(subject), keyBits };
}

function certId(caDer: Uint8Array, serialHex: string, algorithm: 'sha1' | 'sha256'): Uint8Array {
  const { subject, keyBits } = issuerFields(caDer);
  const hash = (data: Uint8Array): Uint8Array => new Uint8Array(createHash(algorithm).update(data).digest());
  const serial = hexToBytes(serialHex);
  const integer = serial[0]! & 0x80 ? concat([Uint8Array.of(0), serial]) : serial;
  return tlv(0x30, algorithm === 'sha1' ? SHA1_ALGORITHM : SHA256_ALGORITHM, tlv(0x04, hash(subject)), tlv(0x04, hash(keyBits)), tlv(0x02, integer));
}

function ocspRequest(certIds: Uint8Array[], options: { nonce?: Uint8Array; version?: boolean } = {}): Uint8Array {
  const requestList = tlv(0x30, ...certIds.map((id) => tlv(0x30, id)));
  const extensions = options.nonce ? [tlv(0xa2, tlv(0x30, tlv(0x30, NONCE_OID, tlv(0x04, tlv(0x04, options.nonce)))))] : [];
  const version = options.version ? [tlv(0xa0, tlv(0x02, Uint8Array.of(0)))] : [];
  return tlv(0x30, tlv(0x30, ...version, requestList, ...extensions));
}

/**
 * The responseStatus of a DER OCSPResponse (RFC 6960 §4.2.1), or a description of why it is not one:
 * an error response is exactly `30 03 0a 01 XX`; a successful one is a SEQUENCE that fills the
 * buffer, starting with ENUMERATED 0 and followed by [0] responseBytes.
 */
function ocspResponseStatus(der: Uint8Array): number | string {
  if (der.length === 5 && der[0] === 0x30 && der[1] === 0x03 && der[2] === 0x0a && der[3] === 0x01) return der[4]!;
  const outer = readHeader(der, 0, der.length);
  if (!outer || outer.tag !== 0x30 || outer.end !== der.length) return `not an OCSPResponse: ${show(der)}`;
  const status = der.subarray(outer.contentStart, outer.contentStart + 3);
  const responseBytes = readHeader(der, outer.contentStart + 3, outer.end);
  if (!bytesEqual(status, Uint8Array.of(0x0a, 0x01, 0x00)) || responseBytes?.tag !== 0xa0 || responseBytes.end !== outer.end) {
    return `not a successful OCSPResponse: ${show(der)}`;
  }
  return 0;
}

const SUCCESSFUL = 0;
const MALFORMED_REQUEST = 1;

/** What a registered verifier may get for any request: an answer, or malformedRequest. internalError (2) would be an exception hidden by the responder. */
function ocspProblem(der: Uint8Array, counts: { successful: number }): string | undefined {
  const status = ocspResponseStatus(der);
  if (status === SUCCESSFUL) counts.successful++;
  if (status === SUCCESSFUL || status === MALFORMED_REQUEST) return undefined;
  return typeof status === 'string' ? status : `responseStatus ${status} (${status === 2 ? 'internalError: an exception inside the responder' : 'unexpected'})`;
}

/** Both responders, chosen by the input itself so that a failing input replays on the same one. */
function kindFor(input: Uint8Array): 'auth' | 'sign' {
  return input.length % 2 === 0 ? 'auth' : 'sign';
}

function pem(der: Uint8Array): string {
  return `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

const FAILURES: ReadonlySet<VerificationFailure> = new Set<VerificationFailure>([
  'JPKI_CERT_MALFORMED', 'JPKI_CERT_UNKNOWN_ISSUER', 'JPKI_CERT_BAD_SIGNATURE', 'JPKI_CERT_NOT_YET_VALID', 'JPKI_CERT_EXPIRED',
  'JPKI_CERT_WRONG_POLICY', 'JPKI_CERT_WRONG_KEY_USAGE', 'JPKI_CERT_REVOKED', 'JPKI_CERT_ON_HOLD',
]);

/** Only a TypeError (bad input, documented) may come out of the readers; anything else is a crash. */
function onlyTypeError(read: (der: Uint8Array) => unknown, valid: (value: unknown) => boolean): (input: Uint8Array) => string | undefined {
  return (input) => {
    let value: unknown;
    try {
      value = read(input);
    } catch (error) {
      return error instanceof TypeError ? undefined : `threw ${describeError(error)}`;
    }
    return valid(value) ? undefined : `returned ${JSON.stringify(value)}`;
  };
}

describe('JPKI parsers under random and mutated DER (issue #3, bad input)', () => {
  let t: TestPlatform;
  let credential: string;
  let at: Date;
  let anchors: PreparedAnchors;
  /** CA certificates (both kinds) and user certificates (auth, sign). */
  let caSeeds: Seed[];
  let certificateSeeds: Seed[];
  let ocspSeeds: Seed[];
  let auth: { der: Uint8Array; serialHex: string };
  let sign: { der: Uint8Array; serialHex: string };
  let authCa: Uint8Array;
  let holderKey: KeyObject;
  /** The card keys of `auth` and `sign`. */
  let cardKeys: Record<'auth' | 'sign', webcrypto.CryptoKeyPair>;

  before(async () => {
    t = await createTestPlatform();
    at = t.clock.now();
    const jpki = t.platform.jpki;
    await jpki.initCertificateAuthorities();
    ({ credential } = await jpki.registerVerifier({ name: 'fuzz', kind: 'platform_operator' }));
    authCa = (await jpki.issuingCa('auth')).certificate;
    const signCa = (await jpki.issuingCa('sign')).certificate;
    const resident = await newResident(t);
    const issuedAuth = await issueFor(t, resident, 'auth');
    const issuedSign = await issueFor(t, resident, 'sign');
    auth = { der: issuedAuth.certificate.der, serialHex: issuedAuth.certificate.serialHex };
    sign = { der: issuedSign.certificate.der, serialHex: issuedSign.certificate.serialHex };
    cardKeys = { auth: issuedAuth.keys, sign: issuedSign.keys };
    caSeeds = [seedOf('auth CA', authCa), seedOf('sign CA', signCa)];
    certificateSeeds = [seedOf('auth certificate', auth.der), seedOf('sign certificate', sign.der), ...caSeeds];
    anchors = prepareAnchors([{ kind: 'auth', generation: 1, certificate: authCa }, { kind: 'sign', generation: 1, certificate: signCa }]);
    const check = await verifyCertificate(auth.der, { anchors, at });
    assert.ok(check.ok, 'the unmutated auth certificate verifies: the seeds reach every check');
    holderKey = check.publicKey;
    ocspSeeds = [
      seedOf('OCSP request (SHA-1, nonce)', ocspRequest([certId(authCa, auth.serialHex, 'sha1')], { nonce: new Uint8Array(16).fill(0x5a) })),
      seedOf('OCSP request (SHA-256, v1 explicit)', ocspRequest([certId(authCa, auth.serialHex, 'sha256')], { version: true })),
      seedOf('OCSP request (two CertIDs)', ocspRequest([certId(authCa, auth.serialHex, 'sha1'), certId(signCa, sign.serialHex, 'sha256')], { nonce: Uint8Array.of(1) })),
    ];
  });
  after(() => t.close());

  test('verifyCertificate answers { ok: false } for every bad certificate and never throws', async (ctx) => {
    const seeds = certificateSeeds;
    const outcomes = new Map<string, number>();
    await fuzz(ctx, cases(20_000), (r) => mutate(r, seeds), async (der) => {
      const result = await verifyCertificate(der, { anchors, at, ...(der.length % 3 === 0 ? { expectedKind: 'auth' as const } : {}) });
      const outcome = result.ok ? 'ok' : result.failure;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (result.ok) {
        // Everything a certificate says is signed: only an unchanged certificate can pass.
        return seeds.some((seed) => bytesEqual(seed.der, der)) ? undefined : 'a mutated certificate was accepted';
      }
      if (!FAILURES.has(result.failure) || typeof result.detail !== 'string' || result.detail.length === 0) return `unexpected rejection ${JSON.stringify(result)}`;
      return undefined;
    });
    // How deep the mutants got: past the DER reader to the signature, and (unchanged seeds) to the end.
    ctx.diagnostic([...outcomes].sort((a, b) => b[1] - a[1]).map(([outcome, n]) => `${outcome} ${n}`).join(', '));
  });

  test('prepareAnchors refuses a bad CA certificate with a TypeError only; verifying against what it accepts never throws', async (ctx) => {
    await fuzz(ctx, cases(20_000), (r) => mutate(r, caSeeds), async (input) => {
      let prepared: PreparedAnchors;
      try {
        prepared = prepareAnchors([{ kind: 'auth', generation: 1, certificate: input }]);
      } catch (error) {
        return error instanceof TypeError ? undefined : `threw ${describeError(error)}`;
      }
      // An anchor is trusted as configured (its own signature and validity are not checked), so a
      // mutation elsewhere than its name and key may still verify the certificate: only no exception is asked.
      await verifyCertificate(auth.der, { anchors: prepared, at });
      return undefined;
    });
  });

  test('verifySignature gives a boolean for any signature, data or digest, true only for the real one', async (ctx) => {
    const data = new TextEncoder().encode('JPKI 利用者証明 challenge 2026-11-24');
    const digest = new Uint8Array(createHash('sha256').update(data).digest());
    const signature = new Uint8Array(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', cardKeys.auth.privateKey, data));
    assert.equal(verifySignature(holderKey, { data }, signature), true);
    assert.equal(verifySignature(holderKey, { digest }, signature), true);
    // Whole blocks a forger would try: zeros, ones, longer than the modulus, type-1 padding around a bare digest.
    const crafted = [
      new Uint8Array(256), new Uint8Array(256).fill(0xff), new Uint8Array(257).fill(0x01),
      concat([Uint8Array.of(0, 1), new Uint8Array(221).fill(0xff), Uint8Array.of(0), digest]),
    ];
    const mutateBytes = (r: Random, bytes: Uint8Array): Uint8Array => {
      const seeds = [{ name: 'bytes', der: bytes, tree: [] }];
      for (let k = 1 + r.int(2); k > 0; k--) bytes = BYTE_MUTATIONS[r.pick(BYTE_MUTATION_NAMES)]!(bytes, r, seeds);
      return bytes;
    };
    interface SignatureCase { mode: 'data' | 'digest'; message: Uint8Array; sig: Uint8Array }
    await fuzz<SignatureCase>(ctx, cases(20_000), (r) => {
      const mode = r.chance(0.5) ? 'data' : 'digest';
      const original = mode === 'data' ? data : digest;
      const roll = r.next();
      const badSignature = (): Uint8Array => r.chance(0.1)
        ? r.pick([...crafted, r.bytes(r.pick([0, 1, 255, 256, 257, 512, r.int(600)]))])
        : mutateBytes(r, signature);
      const badMessage = (): Uint8Array => (r.chance(0.2) ? r.bytes(r.pick([0, 31, 32, 33, r.int(100)])) : mutateBytes(r, original));
      // 60 %: a bad signature over the real message; 30 %: the real signature over a bad message; 10 %: both bad.
      const sig = roll < 0.6 || roll >= 0.9 ? badSignature() : signature;
      const message = roll < 0.6 ? original : badMessage();
      return { input: { mode, message, sig }, how: `${mode}: signature ${sig.length} bytes, ${mode} ${message.length} bytes` };
    }, ({ mode, message, sig }) => {
      const valid = verifySignature(holderKey, mode === 'data' ? { data: message } : { digest: message }, sig);
      if (typeof valid !== 'boolean') return `returned ${String(valid)}`;
      const genuine = bytesEqual(sig, signature) && bytesEqual(message, mode === 'data' ? data : digest);
      return valid === genuine ? undefined : `returned ${valid} for a ${genuine ? 'genuine' : 'forged'} signature`;
    }, ({ message, sig }) => `signature ${show(sig)}, message ${show(message)}`);
  });

  test('readCertificatePolicyOids returns OIDs or throws a TypeError', async (ctx) => {
    await fuzz(ctx, cases(1_500), (r) => mutate(r, certificateSeeds), onlyTypeError(readCertificatePolicyOids, (value) => Array.isArray(value) && value.every((oid) => typeof oid === 'string' && /^\d+(\.\d+)+$/.test(oid))));
  });

  test('readBasicAttributes returns the six attributes or throws a TypeError', async (ctx) => {
    await fuzz(ctx, cases(1_500), (r) => mutate(r, certificateSeeds), onlyTypeError(readBasicAttributes, (value) => {
      const attributes = value as Record<string, unknown>;
      return ['name', 'nameSubstitute', 'sex', 'birthDate', 'address', 'addressSubstitute'].every((key) => typeof attributes[key] === 'string');
    }));
  });

  test('certIdHashes hashes a CA certificate or throws a TypeError', async (ctx) => {
    await fuzz(ctx, cases(4_000), (r) => mutate(r, caSeeds), onlyTypeError(certIdHashes, (value) => {
      const hashes = value as ReturnType<typeof certIdHashes>;
      return hashes.sha1.nameHash.length === 20 && hashes.sha1.keyHash.length === 20 && hashes.sha256.nameHash.length === 32 && hashes.sha256.keyHash.length === 32;
    }));
  });

  test('parseOcspRequest reads a request within its limits or throws OcspMalformedRequest', async (ctx) => {
    await fuzz(ctx, cases(20_000), (r) => mutate(r, ocspSeeds), (input) => {
      let parsed: ReturnType<typeof parseOcspRequest>;
      try {
        parsed = parseOcspRequest(input);
      } catch (error) {
        return error instanceof OcspMalformedRequest ? undefined : `threw ${describeError(error)}`;
      }
      const { certIds, nonce } = parsed;
      if (certIds.length < 1 || certIds.length > 20) return `${certIds.length} CertIDs`;
      for (const id of certIds) {
        const size = id.hashAlgorithm === 'sha1' ? 20 : id.hashAlgorithm === 'sha256' ? 32 : undefined;
        if (!['sha1', 'sha256', 'other'].includes(id.hashAlgorithm) || (size !== undefined && (id.issuerNameHash.length !== size || id.issuerKeyHash.length !== size))) return `bad CertID hashes ${JSON.stringify(id)}`;
        if (!/^-?([0-9a-f]{2})+$/.test(id.serialHex)) return `bad serialHex ${id.serialHex}`;
      }
      if (nonce !== undefined && (nonce.length === 0 || nonce.length > 131)) return `nonce of ${nonce.length} octets`;
      return undefined;
    });
  });

  /** Base64 (RFC 4648 §4) of a mutated request, then mangled as URLs get mangled. */
  function getPath(r: Random): { input: string; how: string } {
    const { input: bytes, how } = mutate(r, ocspSeeds);
    let path = Buffer.from(bytes).toString('base64');
    const steps = [how];
    for (let k = r.int(3); k > 0; k--) {
      const at = r.int(path.length + 1);
      const step = r.pick(['encode', 'strip padding', 'insert', 'delete', 'truncate'] as const);
      steps.push(step);
      if (step === 'encode') path = path.replace(/[+/=]/g, (c) => (r.chance(0.5) ? encodeURIComponent(c) : encodeURIComponent(c).toLowerCase()));
      else if (step === 'strip padding') path = path.replace(/=+$/, '');
      else if (step === 'insert') path = `${path.slice(0, at)}${r.pick(['%', '%2', '%zz', '%2B', '%2f', '%3D', '=', '==', ' ', '\n', '-', '_', '.', 'é', '%C3%A9', '%00', '%E0%A4%A', '+', '/'])}${path.slice(at)}`;
      else if (step === 'delete') path = `${path.slice(0, at)}${path.slice(at + 1 + r.int(4))}`;
      else path = path.slice(0, at);
    }
    return { input: path, how: steps.join(' → ') };
  }

  test('decodeOcspGetPath decodes a GET path or throws OcspMalformedRequest', async (ctx) => {
    await fuzz(ctx, cases(20_000), getPath, (input) => {
      let der: Uint8Array;
      try {
        der = decodeOcspGetPath(input);
      } catch (error) {
        return error instanceof OcspMalformedRequest ? undefined : `threw ${describeError(error)}`;
      }
      return der instanceof Uint8Array && der.length > 0 ? undefined : `returned ${show(der)}`;
    });
  });

  test('answerOcsp answers any body with a response or malformedRequest, never throws', async (ctx) => {
    const jpki = t.platform.jpki;
    for (const seed of ocspSeeds) assert.equal(ocspResponseStatus(await jpki.answerOcsp(credential, 'auth', seed.der)), SUCCESSFUL, seed.name);
    const counts = { successful: 0 };
    await fuzz(ctx, cases(2_000), (r) => mutate(r, ocspSeeds), async (input) => ocspProblem(await jpki.answerOcsp(credential, kindFor(input), input), counts));
    ctx.diagnostic(`${counts.successful} mutated requests were answered (signed), the rest refused as malformedRequest`);
    assert.ok(counts.successful > 0, 'some mutated requests still parse: the mutations reach past the parser');
  });

  test('answerOcspGet answers any GET path with a response or malformedRequest, never throws', async (ctx) => {
    const jpki = t.platform.jpki;
    await fuzz(ctx, cases(500), getPath, async (input) => ocspProblem(await jpki.answerOcspGet(credential, 'auth', input), { successful: 0 }));
  });

  test("answerOcsp reads OpenSSL's own request and its mutations", { skip: missingTool('openssl', 'apt-get install -y openssl') }, async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'myna-fuzz-'));
    let request: Uint8Array;
    try {
      writeFileSync(join(dir, 'ca.pem'), pem(authCa));
      writeFileSync(join(dir, 'c.pem'), pem(auth.der));
      const run = spawnSync('openssl', ['ocsp', '-issuer', 'ca.pem', '-cert', 'c.pem', '-reqout', 'req.der'], { cwd: dir, encoding: 'utf8' });
      assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
      request = new Uint8Array(readFileSync(join(dir, 'req.der')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const jpki = t.platform.jpki;
    assert.equal(ocspResponseStatus(await jpki.answerOcsp(credential, 'auth', request)), SUCCESSFUL);
    const seeds = [seedOf('openssl ocsp -reqout', request)];
    await fuzz(ctx, cases(500), (r) => mutate(r, seeds), async (input) => ocspProblem(await jpki.answerOcsp(credential, 'auth', input), { successful: 0 }));
  });

  test('POST /jpki/ocsp/{auth,sign} answers any body with HTTP 200 and an OCSP response, never a 500', async (ctx) => {
    await fuzz(ctx, cases(300), (r) => mutate(r, ocspSeeds), async (input) => {
      const payload = Buffer.from(input);
      const res = await t.app.inject({
        method: 'POST', url: `/jpki/ocsp/${kindFor(input)}`,
        headers: { 'content-type': 'application/ocsp-request', 'x-jpki-verifier-key': credential }, payload,
      });
      if (res.statusCode !== 200) return `HTTP ${res.statusCode}: ${res.body.slice(0, 300)}`;
      if (res.headers['content-type'] !== 'application/ocsp-response') return `content-type ${String(res.headers['content-type'])}`;
      return ocspProblem(new Uint8Array(res.rawPayload), { successful: 0 });
    });
  });

  test('POST /jpki/v1/verifications answers any certificate and signature with a verdict, never a 500', async (ctx) => {
    const data = new TextEncoder().encode('電子契約書 2026-11-24');
    const signatures = {
      auth: new Uint8Array(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', cardKeys.auth.privateKey, data)),
      sign: new Uint8Array(await webcrypto.subtle.sign('RSASSA-PKCS1-v1_5', cardKeys.sign.privateKey, data)),
    };
    const certificates = { auth: auth.der, sign: sign.der };
    const seeds = { auth: [seedOf('auth certificate', auth.der)], sign: [seedOf('sign certificate', sign.der)] };
    interface VerificationCase { certificate: Uint8Array; signature: Uint8Array; genuine: boolean }
    await fuzz<VerificationCase>(ctx, cases(300), (r) => {
      const kind = r.chance(0.5) ? 'auth' : 'sign';
      const roll = r.next();
      const mutant = mutate(r, seeds[kind]);
      const certificate = roll < 0.7 ? mutant.input : certificates[kind];
      const signature = roll < 0.7 || roll > 0.95 ? signatures[kind] : BYTE_MUTATIONS[r.pick(BYTE_MUTATION_NAMES)]!(signatures[kind], r, seeds[kind]);
      const genuine = bytesEqual(certificate, certificates[kind]) && bytesEqual(signature, signatures[kind]);
      return { input: { certificate, signature, genuine }, how: roll < 0.7 ? mutant.how : roll <= 0.95 ? `${kind} certificate, signature mutated` : `${kind} certificate and signature unchanged` };
    }, async ({ certificate, signature, genuine }) => {
      const res = await t.app.inject({
        method: 'POST', url: '/jpki/v1/verifications', headers: { 'x-jpki-verifier-key': credential },
        payload: { certificate: Buffer.from(certificate).toString('base64'), signature: Buffer.from(signature).toString('base64'), data: Buffer.from(data).toString('base64') },
      });
      if (res.statusCode !== 200) return `HTTP ${res.statusCode}: ${res.body.slice(0, 300)}`;
      const { valid } = res.json() as { valid?: unknown };
      return valid === genuine ? undefined : `valid: ${String(valid)} for a ${genuine ? 'genuine' : 'forged'} certificate and signature: ${res.body.slice(0, 300)}`;
    }, ({ certificate, signature }) => `certificate ${show(certificate)}, signature ${show(signature)}`);
  });
});
