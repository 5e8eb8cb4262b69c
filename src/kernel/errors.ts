// PlatformError: the one error type that crosses module and HTTP boundaries, with a stable code.
// Codes read `<MODULE>_<THING>_<REASON>`; each module declares its codes in an ErrorCatalogue
// and docs/errors.md lists them all (a test keeps the two in sync).

/** One entry of a module's error catalogue: the HTTP status and a short public title. */
export interface ErrorDefinition {
  readonly status: number;
  /** Public, user-facing title (Japanese first, English after " / "). */
  readonly title: string;
}

/** A module's codes: `{ REGISTRY_RESIDENT_NOT_FOUND: { status: 404, title: '…' } }`. */
export type ErrorCatalogue<C extends string = string> = Readonly<Record<C, ErrorDefinition>>;

/** One problem found in an input, for errors that list many (a CSV with several bad rows). */
export interface Problem {
  /** Line (1-based, header is line 1) or record index, when the input has lines. */
  readonly line?: number;
  /** Field or column name. */
  readonly field?: string;
  /** What is wrong, in Japanese (and English where useful). */
  readonly reason: string;
  /** Stable code of the reason, e.g. `CHECK_DIGIT`. */
  readonly code?: string;
}

/**
 * The platform's domain error.
 *
 * `message` is public and safe to show (never contains an individual number, PIN or key);
 * `detail` is extra public detail; `problems` lists every problem when several were found.
 *
 * @example
 * throw new PlatformError('REGISTRY_RESIDENT_NOT_FOUND', 404, '住民が見つかりません');
 */
export class PlatformError extends Error {
  readonly code: string;
  readonly status: number;
  readonly detail: string | undefined;
  readonly problems: readonly Problem[] | undefined;

  constructor(
    code: string,
    status: number,
    message: string,
    options: { detail?: string; problems?: readonly Problem[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PlatformError';
    this.code = code;
    this.status = status;
    this.detail = options.detail;
    this.problems = options.problems;
  }
}

/**
 * The PlatformError an `application/problem+json` answer stands for, on the calling side of an
 * HTTP API: same code, status, title, detail and problems; `fallback` fills what a non-problem
 * answer (a proxy's page, an empty body) lacks.
 */
export function errorFromProblem(problem: Record<string, unknown>, fallback: { status: number; code: string; title: string }): PlatformError {
  return new PlatformError(String(problem['code'] ?? fallback.code), Number(problem['status'] ?? fallback.status), String(problem['title'] ?? fallback.title), {
    ...(problem['detail'] ? { detail: String(problem['detail']) } : {}),
    ...(Array.isArray(problem['problems']) ? { problems: problem['problems'] as Problem[] } : {}),
  });
}

/**
 * Builds a typed error factory from a catalogue, so a module raises only its declared codes.
 *
 * @example
 * const fail = errorFactory(registryErrors);
 * throw fail('REGISTRY_RESIDENT_NOT_FOUND', { detail: 'id=…' });
 */
export function errorFactory<C extends string>(catalogue: ErrorCatalogue<C>) {
  return (code: C, options: { message?: string; detail?: string; problems?: readonly Problem[]; cause?: unknown } = {}) => {
    const def = catalogue[code];
    return new PlatformError(code, def.status, options.message ?? def.title, options);
  };
}

/** Kernel-level codes (configuration, database, audit, identifiers, HTTP edge). */
export const kernelErrors = {
  KERNEL_CONFIG_INVALID: { status: 500, title: '設定が不正です / Invalid configuration' },
  KERNEL_REQUEST_INVALID: { status: 400, title: 'リクエストの形式が不正です / Invalid request' },
  KERNEL_REQUEST_TOO_LARGE: { status: 413, title: 'リクエストが大きすぎます / Request body too large' },
  KERNEL_WEB_APP_NOT_BUILT: { status: 503, title: 'Web画面がビルドされていません。npm run build:web を実行してください / Web app not built: run npm run build:web' },
  KERNEL_REQUEST_MEDIA_TYPE: { status: 415, title: 'このContent-Typeは受け付けていません / Unsupported media type' },
  KERNEL_IDEMPOTENCY_KEY_INVALID: { status: 400, title: 'Idempotency-Key は英数字と -_:. の8〜128文字です / Invalid Idempotency-Key' },
  KERNEL_IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'この Idempotency-Key は別の内容の要求に使われています / Idempotency-Key reused with another request' },
  KERNEL_IDEMPOTENCY_IN_PROGRESS: { status: 409, title: '同じ Idempotency-Key の要求が処理中か、結果が確定していません / A request with this Idempotency-Key is in progress or its outcome is unknown' },
  KERNEL_ROUTE_NOT_FOUND: { status: 404, title: '指定されたURLは存在しません / No such route' },
  KERNEL_AUTH_REQUIRED: { status: 401, title: '認証が必要です / Authentication required' },
  KERNEL_AUTH_INVALID: { status: 401, title: 'APIキーが無効です / Invalid API key' },
  KERNEL_INTERNAL_ERROR: { status: 500, title: '内部エラーが発生しました / Internal error' },
  KERNEL_DB_UNAVAILABLE: { status: 503, title: 'データベースに接続できません / Database unavailable' },
  KERNEL_ID_INVALID: { status: 400, title: '番号の形式またはチェックデジットが不正です / Invalid identifier' },
} as const satisfies ErrorCatalogue;

export type KernelErrorCode = keyof typeof kernelErrors;
export const kernelError = errorFactory(kernelErrors);
