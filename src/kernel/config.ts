// Typed platform configuration, read from the environment once at start-up (docs/config.md).
import { resolve } from 'node:path';
import { kernelError } from './errors.ts';

/** Everything the platform reads from its environment. Defaults are given in CONFIG_KEYS. */
export interface PlatformConfig {
  /** TCP port of the HTTP server. */
  readonly port: number;
  /** Interface the HTTP server binds to. */
  readonly host: string;
  /** PostgreSQL connection string; when absent the embedded PGlite is used. */
  readonly databaseUrl: string | undefined;
  /** Folder where the embedded PGlite keeps its data (and the server's hand-over file). */
  readonly dataDir: string;
  /** Throwaway run: PGlite in memory, nothing written to disk. */
  readonly memory: boolean;
  /** pino log level. */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** 32-byte numbering master key (hex); when absent a key is generated and kept in the database. */
  readonly numberingKey: Uint8Array | undefined;
  /** 32-byte key (hex) that seals CA private keys at rest; undefined = a key file in the data folder. */
  readonly jpkiKeystoreKey: Uint8Array | undefined;
  /** How often the CRLs are regenerated, and so how far ahead their nextUpdate lies. */
  readonly jpkiCrlIntervalMinutes: number;
  /** Verifier prices in integer yen (example defaults, not J-LIS's tariff). */
  readonly jpkiPrices: { readonly ocspYen: number; readonly verifyYen: number; readonly crlCertificateMonthYen: number };
  /** Card lifecycle: validity in birthdays (adults, minors), the minor age, the renewal window. */
  readonly card: { readonly validityBirthdays: number; readonly minorValidityBirthdays: number; readonly minorAge: number; readonly renewalWindowMonths: number };
  /** Whether the platform's virtual card reader API (/card/virtual/v1) answers; off in production. */
  readonly cardVirtualReader: boolean;
  /** How many demo residents get issued demo cards on first start. */
  readonly demoCards: number;
  /** Demos and end-to-end tests: the platform's clock starts at this instant and runs on (undefined = the real time). */
  readonly clockStart: Date | undefined;
  /** Local government code of the demo municipality seeded on first start ('' = none). */
  readonly demoMunicipality: string;
  /** How many synthetic residents the demo municipality gets on first start. */
  readonly demoResidents: number;
  /** Largest JSON request body accepted, in bytes. */
  readonly bodyLimit: number;
  /** Largest CSV upload accepted by the bulk import route, in bytes. */
  readonly importBodyLimit: number;
  /** コンビニ交付: the store operator's commission per printed copy, by period (JST dates, oldest first). */
  readonly issuanceCommissionPeriods: readonly { readonly from: string; readonly yen: number }[];
  /** Worker threads rendering and signing certificate PDFs; undefined = one per core, 0 = on the event loop. */
  readonly documentThreads: number | undefined;
}

interface KeySpec {
  readonly name: string;
  readonly default: string;
  readonly description: string;
}

/** The environment variables the platform reads, with their defaults (documented in docs/config.md). */
export const CONFIG_KEYS: readonly KeySpec[] = [
  { name: 'PORT', default: '8080', description: 'HTTP port' },
  { name: 'HOST', default: '127.0.0.1', description: 'interface to bind; 0.0.0.0 to listen on all' },
  { name: 'DATABASE_URL', default: '', description: 'PostgreSQL URL; empty = embedded PGlite' },
  { name: 'MYNA_DATA_DIR', default: '.myna-data', description: 'PGlite data folder' },
  { name: 'MYNA_MEMORY', default: 'false', description: 'true = PGlite in memory (same as --memory)' },
  { name: 'LOG_LEVEL', default: 'info', description: 'fatal, error, warn, info, debug, trace or silent' },
  { name: 'MYNA_NUMBERING_KEY', default: '', description: '64 hex digits; the key of the 住民票コード and 個人番号 derivation' },
  { name: 'MYNA_JPKI_KEYSTORE_KEY', default: '', description: '64 hex digits; seals the JPKI CA private keys at rest' },
  { name: 'MYNA_JPKI_CRL_INTERVAL_MINUTES', default: '60', description: 'minutes between CRL generations (= nextUpdate − thisUpdate)' },
  { name: 'MYNA_JPKI_PRICE_OCSP_YEN', default: '2', description: 'yen per OCSP request billed to the verifier' },
  { name: 'MYNA_JPKI_PRICE_VERIFY_YEN', default: '2', description: 'yen per verification API call billed to the verifier' },
  { name: 'MYNA_JPKI_PRICE_CRL_CERT_MONTH_YEN', default: '10', description: 'yen per stored certificate per month for verifiers using the CRL' },
  { name: 'MYNA_CARD_VALIDITY_BIRTHDAYS', default: '10', description: 'card valid until this birthday after issuance' },
  { name: 'MYNA_CARD_MINOR_VALIDITY_BIRTHDAYS', default: '5', description: 'the same for holders under MYNA_CARD_MINOR_AGE' },
  { name: 'MYNA_CARD_MINOR_AGE', default: '20', description: 'age below which the minor validity applies (seeds: 20; 18 since 2022)' },
  { name: 'MYNA_CARD_RENEWAL_WINDOW_MONTHS', default: '3', description: 'months before expiry from which renewal is accepted' },
  { name: 'MYNA_CARD_VIRTUAL_READER', default: 'true', description: 'serve the demo virtual card reader API (/card/virtual/v1); false in production' },
  { name: 'MYNA_DEMO_CARDS', default: '5', description: 'demo residents who get issued cards on first start' },
  { name: 'MYNA_CLOCK_START', default: '', description: 'demos/tests only: ISO instant the clock starts at, then runs on (empty = real time)' },
  { name: 'MYNA_DEMO_MUNICIPALITY', default: '132047', description: 'LG code seeded on first start (empty = none)' },
  { name: 'MYNA_DEMO_RESIDENTS', default: '1000', description: 'synthetic residents of the demo municipality' },
  { name: 'MYNA_BODY_LIMIT', default: '1048576', description: 'largest JSON body in bytes' },
  { name: 'MYNA_IMPORT_BODY_LIMIT', default: '536870912', description: 'largest import CSV in bytes' },
  { name: 'MYNA_DOCUMENT_THREADS', default: '', description: 'worker threads rendering and signing certificate PDFs (empty = one per core, 0 = none)' },
  { name: 'MYNA_ISSUANCE_COMMISSION_PERIODS', default: '2010-02-01:123,2017-04-01:115', description: 'store commission per copy: from-date:yen, comma-separated, dates ascending' },
];

/** コンビニ交付 began on this day; the first commission period must cover it so every printed copy has a commission. */
const ISSUANCE_SERVICE_START = '2010-02-01';

/**
 * `2010-02-01:123,2017-04-01:115` → periods, or the reason it is not valid: each entry a real
 * calendar date and an integer 0–10000 yen, dates strictly ascending, the first on or before
 * the service's start.
 */
function parseCommissionPeriods(raw: string): { periods: { from: string; yen: number }[] } | { reason: string } {
  const periods: { from: string; yen: number }[] = [];
  for (const entry of raw.split(',').map((e) => e.trim())) {
    const m = /^(\d{4})-(\d{2})-(\d{2}):(\d{1,5})$/.exec(entry);
    if (!m) return { reason: `「${entry.slice(0, 40)}」は 日付:円（例 2017-04-01:115、円は整数）の形ではありません / each entry must be YYYY-MM-DD:yen with integer yen` };
    const [, y, mo, d, yen] = m as unknown as [string, string, string, string, string];
    const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
    if (date.toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) return { reason: `${y}-${mo}-${d} は存在しない日付です / not a calendar date` };
    if (Number(yen) > 10_000) return { reason: `${entry}: 円は 0〜10000 です / yen must be 0..10000` };
    const previous = periods.at(-1);
    if (previous && previous.from >= `${y}-${mo}-${d}`) return { reason: `日付は昇順（重複なし）で並べてください: ${previous.from} の後に ${y}-${mo}-${d} / dates must be strictly ascending` };
    periods.push({ from: `${y}-${mo}-${d}`, yen: Number(yen) });
  }
  if (periods[0]!.from > ISSUANCE_SERVICE_START) return { reason: `最初の期間は ${ISSUANCE_SERVICE_START}（サービス開始日）以前から始めてください / the first period must start by ${ISSUANCE_SERVICE_START}` };
  return { periods };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Reads and validates the configuration. Every problem is reported at once.
 *
 * @example
 * const config = loadConfig(process.env, { memory: true });
 */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  overrides: Partial<Pick<PlatformConfig, 'memory' | 'port' | 'dataDir'>> = {},
): PlatformConfig {
  const problems: { field: string; reason: string }[] = [];
  const get = (name: string): string => {
    const spec = CONFIG_KEYS.find((k) => k.name === name);
    const value = env[name];
    return value === undefined || value === '' ? (spec?.default ?? '') : value;
  };
  const int = (name: string, min: number, max: number): number => {
    const raw = get(name);
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      problems.push({ field: name, reason: `${min}〜${max} の整数を指定してください / must be an integer ${min}..${max}` });
      return min;
    }
    return n;
  };
  const bool = (name: string): boolean => {
    const raw = get(name).toLowerCase();
    if (!['true', 'false', '1', '0'].includes(raw)) {
      problems.push({ field: name, reason: 'true または false / must be true or false' });
    }
    return raw === 'true' || raw === '1';
  };

  const logLevel = get('LOG_LEVEL') as PlatformConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push({ field: 'LOG_LEVEL', reason: LOG_LEVELS.join(', ') });

  /** A 32-byte secret given as 64 hex digits; the value is never echoed in a problem. */
  const secretKey = (name: string): Uint8Array | undefined => {
    const hex = get(name);
    if (hex === '') return undefined;
    if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
      problems.push({ field: name, reason: '16進64桁で指定してください / must be 64 hex digits' });
      return undefined;
    }
    return Uint8Array.from(Buffer.from(hex, 'hex'));
  };
  const numberingKey = secretKey('MYNA_NUMBERING_KEY');
  const jpkiKeystoreKey = secretKey('MYNA_JPKI_KEYSTORE_KEY');

  const clockText = get('MYNA_CLOCK_START');
  const clockStart = clockText ? new Date(clockText) : undefined;
  if (clockStart && Number.isNaN(clockStart.getTime())) problems.push({ field: 'MYNA_CLOCK_START', reason: 'ISO 8601 の日時 / an ISO 8601 instant' });
  const demoMunicipality = get('MYNA_DEMO_MUNICIPALITY');
  if (demoMunicipality !== '' && !/^\d{6}$/.test(demoMunicipality)) {
    problems.push({ field: 'MYNA_DEMO_MUNICIPALITY', reason: '6桁の地方公共団体コード / a 6-digit LG code' });
  }

  const commission = parseCommissionPeriods(get('MYNA_ISSUANCE_COMMISSION_PERIODS'));
  if ('reason' in commission) problems.push({ field: 'MYNA_ISSUANCE_COMMISSION_PERIODS', reason: commission.reason });

  const config: PlatformConfig = {
    port: overrides.port ?? int('PORT', 0, 65535),
    host: get('HOST'),
    databaseUrl: get('DATABASE_URL') || undefined,
    dataDir: resolve(overrides.dataDir ?? get('MYNA_DATA_DIR')),
    memory: overrides.memory ?? bool('MYNA_MEMORY'),
    logLevel,
    numberingKey,
    jpkiKeystoreKey,
    jpkiCrlIntervalMinutes: int('MYNA_JPKI_CRL_INTERVAL_MINUTES', 1, 7 * 24 * 60),
    jpkiPrices: {
      ocspYen: int('MYNA_JPKI_PRICE_OCSP_YEN', 0, 1_000_000),
      verifyYen: int('MYNA_JPKI_PRICE_VERIFY_YEN', 0, 1_000_000),
      crlCertificateMonthYen: int('MYNA_JPKI_PRICE_CRL_CERT_MONTH_YEN', 0, 1_000_000),
    },
    card: {
      validityBirthdays: int('MYNA_CARD_VALIDITY_BIRTHDAYS', 1, 20),
      minorValidityBirthdays: int('MYNA_CARD_MINOR_VALIDITY_BIRTHDAYS', 1, 20),
      minorAge: int('MYNA_CARD_MINOR_AGE', 0, 30),
      renewalWindowMonths: int('MYNA_CARD_RENEWAL_WINDOW_MONTHS', 0, 12),
    },
    cardVirtualReader: bool('MYNA_CARD_VIRTUAL_READER'),
    demoCards: int('MYNA_DEMO_CARDS', 0, 1000),
    clockStart,
    demoMunicipality,
    demoResidents: int('MYNA_DEMO_RESIDENTS', 0, 10_000_000),
    bodyLimit: int('MYNA_BODY_LIMIT', 1024, 1 << 30),
    importBodyLimit: int('MYNA_IMPORT_BODY_LIMIT', 1024, 4 * (1 << 30)),
    issuanceCommissionPeriods: 'periods' in commission ? commission.periods : [],
    documentThreads: get('MYNA_DOCUMENT_THREADS') === '' ? undefined : int('MYNA_DOCUMENT_THREADS', 0, 64),
  };
  if (problems.length > 0) {
    throw kernelError('KERNEL_CONFIG_INVALID', {
      detail: problems.map((p) => `${p.field}: ${p.reason}`).join('; '),
      problems,
    });
  }
  return config;
}
