// The OCSP benchmark's load generator, run as its own process: a closed loop of C workers POSTing pre-built OCSP requests over raw node:net HTTP/1.1.
//
// Run by jpki-ocsp.bench.ts as `node bin/run-ts.js bench/support/ocsp-load-generator.ts '<job JSON>'`. It prints
// `WARM-UP DONE` and `MEASURE DONE` lines as the phases end (the parent reads the responders' CPU counters then),
// and finally one JSON line with the result.
import { connect, type Socket } from 'node:net';
import { planRequests, ocspRequestDer, isSuccessfulOcspResponse, readOcspAnswer, type IssuerHashesHex, type MixOptions, type PlannedRequest } from './ocsp-load-plan.ts';

export interface LoadJob {
  host: string;
  port: number;
  path: string;
  /** Extra request headers (the verifier credential); sent to both responders alike. */
  headers: Record<string, string>;
  /** One persistent connection per worker; otherwise a new TCP connection per request. */
  keepAlive: boolean;
  concurrency: number;
  warmUpSeconds: number;
  seconds: number;
  mix: MixOptions;
  issuer: IssuerHashesHex;
}

export interface LoadResult {
  requests: number;
  errors: number;
  firstError?: string;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Warm-up answers checked against the plan (status, serial, nonce echo). */
  checked: number;
  wrongAnswers: number;
  /** This process's CPU time during the timed phase. */
  cpuMs: number;
}

/** Per-request time limit: a responder that stops answering shows up as errors, not as a hung benchmark. */
const REQUEST_TIMEOUT_MS = 10_000;
const HEADER_END = Buffer.from('\r\n\r\n');

interface Prepared {
  bytes: Buffer;
  planned: PlannedRequest;
}

/** HTTP/1.1 POST of each planned request, headers and body in one buffer (one write). */
function prepare(job: LoadJob): Prepared[] {
  const connection = job.keepAlive ? 'keep-alive' : 'close';
  const extra = Object.entries(job.headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  return planRequests(job.mix).map((planned) => {
    const body = ocspRequestDer(planned, job.issuer);
    const head = `POST ${job.path} HTTP/1.1\r\nHost: ${job.host}:${job.port}\r\nContent-Type: application/ocsp-request\r\nContent-Length: ${body.length}\r\n${extra}Connection: ${connection}\r\n\r\n`;
    return { bytes: Buffer.concat([Buffer.from(head, 'latin1'), body]), planned };
  });
}

/** Reads one HTTP response (status line, headers, Content-Length body) from a socket's data; resolves with the body. */
class ResponseReader {
  private chunks: Buffer[] = [];
  private received = 0;
  private bodyStart = -1;
  private bodyLength = -1;
  status = 0;

  /** Adds data; returns the body once complete, else undefined. Throws on a response it cannot read. */
  push(chunk: Buffer): Buffer | undefined {
    this.chunks.push(chunk);
    this.received += chunk.length;
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    this.chunks = [all];
    if (this.bodyStart < 0) {
      const end = all.indexOf(HEADER_END);
      if (end < 0) return undefined;
      const head = all.subarray(0, end).toString('latin1');
      this.status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (!length) throw new Error(`no Content-Length (HTTP ${this.status})`);
      this.bodyStart = end + 4;
      this.bodyLength = Number(length[1]);
    }
    if (this.received - this.bodyStart < this.bodyLength) return undefined;
    return all.subarray(this.bodyStart, this.bodyStart + this.bodyLength);
  }

  reset(): void {
    this.chunks = [];
    this.received = 0;
    this.bodyStart = -1;
    this.bodyLength = -1;
    this.status = 0;
  }
}

/** A socket and the response being read from it. */
interface Connection {
  socket: Socket;
  reader: ResponseReader;
  pending?: { resolve: (body: Buffer) => void; reject: (error: Error) => void };
}

/** One worker's connection: a new socket per request, or one kept open across requests. */
class Client {
  private kept: Connection | undefined;

  constructor(private readonly job: LoadJob) {}

  private open(): Connection {
    const socket = connect({ host: this.job.host, port: this.job.port, noDelay: true });
    const connection: Connection = { socket, reader: new ResponseReader() };
    const fail = (error: Error) => {
      if (this.kept === connection) this.kept = undefined;
      socket.destroy();
      const pending = connection.pending;
      connection.pending = undefined;
      connection.reader.reset();
      pending?.reject(error);
    };
    socket.setTimeout(REQUEST_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      if (!connection.pending) return;
      let body: Buffer | undefined;
      try {
        body = connection.reader.push(chunk);
      } catch (error) {
        fail(error as Error);
        return;
      }
      if (body === undefined) return;
      const status = connection.reader.status;
      connection.reader.reset();
      const { resolve, reject } = connection.pending;
      connection.pending = undefined;
      // A new-connection request leaves the socket to the server, which closes it after its response
      // (Connection: close): the TIME_WAIT stays on the server's side, as with a real client.
      if (status === 200) resolve(body);
      else reject(new Error(`HTTP ${status}`));
    });
    socket.on('timeout', () => fail(new Error('timeout')));
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed before the response')));
    return connection;
  }

  send(bytes: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      let connection = this.job.keepAlive ? this.kept : undefined;
      if (!connection) {
        connection = this.open();
        if (this.job.keepAlive) this.kept = connection;
      }
      connection.pending = { resolve, reject };
      connection.socket.write(bytes);
    });
  }

  close(): void {
    this.kept?.socket.destroy();
  }
}

/** Runs the closed loop for `seconds`; latencies in ms of the requests that completed. */
async function loop(job: LoadJob, requests: Prepared[], seconds: number, start: number, check: boolean) {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let checked = 0;
  let wrongAnswers = 0;
  let next = start;
  const deadline = performance.now() + seconds * 1000;
  const clients = Array.from({ length: job.concurrency }, () => new Client(job));
  await Promise.all(clients.map(async (client) => {
    while (performance.now() < deadline) {
      const request = requests[next++ % requests.length]!;
      const t0 = process.hrtime.bigint();
      try {
        const body = await client.send(request.bytes);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (!isSuccessfulOcspResponse(body)) throw new Error(`not a successful OCSP response: ${body.subarray(0, 8).toString('hex')}`);
        latencies.push(ms);
        if (check) {
          checked++;
          const answer = readOcspAnswer(body, request.planned.nonce);
          if (answer.status !== request.planned.expected || answer.serialHex !== request.planned.serialHex || answer.nonceEchoed !== Boolean(request.planned.nonce)) {
            wrongAnswers++;
            firstError ??= `wrong answer for ${request.planned.serialHex}: ${JSON.stringify(answer)}, expected ${request.planned.expected}${request.planned.nonce ? ' with nonce' : ''}`;
          }
        }
      } catch (error) {
        errors++;
        firstError ??= (error as Error).message;
      }
    }
  }));
  for (const client of clients) client.close();
  return { latencies, errors, firstError, checked, wrongAnswers, next, elapsed: (performance.now() - (deadline - seconds * 1000)) / 1000 };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Warm-up (answers checked against the plan, not timed), then the timed closed loop. */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const requests = prepare(job);
  const warmUp = await loop(job, requests, job.warmUpSeconds, 0, true);
  process.stdout.write('WARM-UP DONE\n');
  const cpu0 = process.cpuUsage();
  // The timed phase goes on where the warm-up stopped, so that it does not repeat the same serials.
  const timed = await loop(job, requests, job.seconds, warmUp.next, false);
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write('MEASURE DONE\n');
  const sorted = Float64Array.from(timed.latencies).sort();
  return {
    requests: timed.latencies.length,
    errors: timed.errors + warmUp.errors,
    ...(timed.firstError ?? warmUp.firstError ? { firstError: timed.firstError ?? warmUp.firstError } : {}),
    seconds: round(timed.elapsed),
    rps: Math.round(timed.latencies.length / timed.elapsed),
    p50Ms: round(percentile(sorted, 0.5)),
    p99Ms: round(percentile(sorted, 0.99)),
    maxMs: round(sorted.length ? sorted[sorted.length - 1]! : Number.NaN),
    checked: warmUp.checked,
    wrongAnswers: warmUp.wrongAnswers,
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
}

const jobArgument = process.argv[2];
if (jobArgument && process.argv[1]?.endsWith('ocsp-load-generator.ts')) {
  const result = await runLoad(JSON.parse(jobArgument) as LoadJob);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
