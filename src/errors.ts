/**
 * The one error hierarchy of Chartwright. Every failure a user can cause or meet is a
 * {@link ChartwrightError} subclass with a stable `code` and typed fields; the CLI turns it into
 * one line and an exit code through {@link toUserMessage} and {@link exitCodeFor}, so bad input
 * never prints a stack trace.
 *
 * Three rules keep the types honest:
 * - HTTP outcomes become classes in one place, {@link requestError}, for every client (LLM, FHIR
 *   server, OAuth token endpoint), as openai-node's `APIError.generate` does.
 * - The root is abstract: each code has its subclass, so there is no untyped `new ChartwrightError`.
 * - Errors cross worker threads as data ({@link serializeError}) and are rebuilt into the same
 *   subclass with the same fields ({@link deserializeError}) through {@link ERROR_CLASSES}.
 */

/** Every error code Chartwright raises. Stable: scripts may match on them. */
export type ErrorCode =
  | 'BAD_OPTION'
  | 'OUTPUT_NOT_EMPTY'
  | 'OUTPUT_MISMATCH'
  | 'KNOWLEDGE_INVALID'
  | 'INPUT_INVALID'
  | 'VALIDATION_FAILED'
  | 'CHECK_FAILED'
  | 'UPLOAD_INCOMPLETE'
  | 'LLM_OUTPUT_INVALID'
  | 'LLM_REFUSED'
  | 'CONNECTION_FAILED'
  | 'AUTH_ERROR'
  | 'RATE_LIMITED'
  | 'REQUEST_REJECTED'
  | 'SERVER_ERROR'
  | 'IO_ERROR'
  | 'INTERRUPTED'
  | 'INTERNAL';

/** Root of Chartwright's errors. `cause` keeps the original error for debugging (`--debug`). */
export abstract class ChartwrightError extends Error {
  readonly code: ErrorCode;

  protected constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }

  /**
   * The subclass's own data (`status`, `option`, `rawOutput`...), as carried across threads: every
   * own enumerable property but `name` and `code`.
   */
  get fields(): Readonly<Record<string, unknown>> {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this)) if (key !== 'name' && key !== 'code') fields[key] = value;
    return fields;
  }
}

/** A command-line option or configuration value is not allowed. Exit code 2. */
export class OptionError extends ChartwrightError {
  /** The option as the user wrote it, e.g. `--patients`. */
  readonly option: string;

  constructor(option: string, message: string) {
    super('BAD_OPTION', `${option}: ${message}`);
    this.option = option;
  }
}

/** The output folder cannot be used as asked (not empty, or written by a different run). Exit code 2. */
export class OutputDirError extends ChartwrightError {
  constructor(code: 'OUTPUT_NOT_EMPTY' | 'OUTPUT_MISMATCH', message: string) {
    super(code, message);
  }
}

/** A knowledge file failed its schema: a packaging or authoring bug, reported by file and path. */
export class KnowledgeError extends ChartwrightError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('KNOWLEDGE_INVALID', message, options);
  }
}

/** A file given as input (bundle, NDJSON, package, key) cannot be read or parsed. */
export class InputError extends ChartwrightError {
  readonly file: string | undefined;

  constructor(message: string, file?: string, options?: { cause?: unknown }) {
    super('INPUT_INVALID', file === undefined ? message : `${file}: ${message}`, options);
    this.file = file;
  }
}

/** `validate` (or `generate --validate`) found errors in the resources it checked. Exit code 1. */
export class ValidationFailedError extends ChartwrightError {
  constructor(message: string) {
    super('VALIDATION_FAILED', message);
  }
}

/** `check` found violations or prevalence rows off their band; the report says which. Exit code 1. */
export class CheckFailedError extends ChartwrightError {
  readonly failedChecks: number;
  readonly failedFidelityRows: number;

  constructor(failedChecks: number, failedFidelityRows: number) {
    const parts = [
      ...(failedChecks > 0 ? [`${failedChecks} check${failedChecks === 1 ? '' : 's'} failed`] : []),
      ...(failedFidelityRows > 0 ? [`${failedFidelityRows} fidelity row${failedFidelityRows === 1 ? '' : 's'} off band`] : []),
    ];
    super('CHECK_FAILED', `${parts.join(', ')} (see the report)`);
    this.failedChecks = failedChecks;
    this.failedFidelityRows = failedFidelityRows;
  }
}

/** `upload` finished, but some patients were not loaded (each was reported as it failed). Exit code 1. */
export class UploadIncompleteError extends ChartwrightError {
  readonly failed: number;
  readonly total: number;

  constructor(failed: number, total: number) {
    super('UPLOAD_INCOMPLETE', `${failed} of ${total} patients failed (see above); the others are loaded`);
    this.failed = failed;
    this.total = total;
  }
}

/** A file-system operation failed (permissions, full disk). */
export class IoError extends ChartwrightError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('IO_ERROR', message, options);
  }
}

/** Token counts carried by LLM errors, for usage accounting. */
export interface LlmTokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/**
 * A model answered, but not with what the schema asks for (invalid or truncated JSON, schema
 * violations), even after the one repair attempt. Like LangChain's `OutputParserException`, it
 * keeps the raw output and the problems so the caller can retry with feedback.
 */
export class LlmOutputError extends ChartwrightError {
  readonly rawOutput: string;
  readonly problems: readonly string[];
  /** Tokens the failed calls used (they are billed all the same). */
  readonly usage: LlmTokenUsage | undefined;

  constructor(message: string, rawOutput: string, problems: readonly string[], options?: { cause?: unknown; usage?: LlmTokenUsage }) {
    super('LLM_OUTPUT_INVALID', message, options);
    this.rawOutput = rawOutput;
    this.problems = problems;
    this.usage = options?.usage;
  }
}

/** The model declined to answer (`message.refusal`); retrying the same prompt rarely helps. */
export class LlmRefusalError extends ChartwrightError {
  readonly refusal: string;
  readonly usage: LlmTokenUsage | undefined;

  constructor(refusal: string, usage?: LlmTokenUsage) {
    super('LLM_REFUSED', `the model refused: ${refusal}`);
    this.refusal = refusal;
    this.usage = usage;
  }
}

/** What a failed request knows about itself, whichever client sent it. */
export interface RequestFailure {
  /** HTTP status when the server answered; undefined when no answer came. */
  readonly status?: number | undefined;
  /** Whether trying again can help; each class has its default (see {@link isRetryableStatus}). */
  readonly retryable?: boolean | undefined;
  /** The wait the server asked for (`Retry-After`), in milliseconds. */
  readonly retryAfterMs?: number | undefined;
  readonly cause?: unknown;
}

/**
 * A request to a remote service (LLM endpoint, FHIR server, OAuth token endpoint) failed. Build one
 * with {@link requestError}, which picks the subclass from the status.
 */
export abstract class RequestError extends ChartwrightError {
  /** HTTP status when the server answered; undefined when it could not be reached or answered unusably. */
  readonly status: number | undefined;
  /** Whether trying again can help (the retry loop in `src/core/retry.ts` reads it). */
  readonly retryable: boolean;
  /** The server's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;

  protected constructor(code: ErrorCode, message: string, failure: RequestFailure, retryableByDefault: boolean) {
    super(code, message, { cause: failure.cause });
    this.status = failure.status;
    this.retryable = failure.retryable ?? retryableByDefault;
    this.retryAfterMs = failure.retryAfterMs;
  }
}

/** No answer: connection refused or reset, DNS failure, timeout. Retryable. */
export class ConnectionError extends RequestError {
  constructor(message: string, failure: RequestFailure = {}) {
    super('CONNECTION_FAILED', message, failure, true);
  }
}

/** Credentials refused (HTTP 401/403, an OAuth token endpoint's refusal) or unusable. Messages never carry the secret. */
export class AuthError extends RequestError {
  constructor(message: string, failure: RequestFailure = {}) {
    super('AUTH_ERROR', message, failure, false);
  }
}

/** HTTP 429: the server wants fewer requests; `retryAfterMs` says for how long when it did. Retryable. */
export class RateLimitError extends RequestError {
  constructor(message: string, failure: RequestFailure = {}) {
    super('RATE_LIMITED', message, failure, true);
  }
}

/** Any other HTTP 4xx: the server refused what was sent (invalid bundle, unknown model, context too long). */
export class RequestRejectedError extends RequestError {
  constructor(message: string, failure: RequestFailure = {}) {
    super('REQUEST_REJECTED', message, failure, failure.status !== undefined && isRetryableStatus(failure.status));
  }
}

/**
 * The server failed (HTTP 5xx, retryable), or answered but is not usable as asked (not FHIR R4, no
 * `$import`, an answer without content; `status` undefined).
 */
export class ServerError extends RequestError {
  constructor(message: string, failure: RequestFailure = {}) {
    super('SERVER_ERROR', message, failure, failure.status !== undefined && isRetryableStatus(failure.status));
  }
}

/**
 * Statuses worth another attempt: no answer, 408 (timeout), 409 (a concurrent write: HAPI's
 * version conflicts; every request we send is idempotent), 429 and 5xx.
 */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * The one place an HTTP outcome becomes an error class, for every client: no answer →
 * {@link ConnectionError}; 401, 403 → {@link AuthError}; 429 → {@link RateLimitError}; other 4xx
 * → {@link RequestRejectedError}; 5xx, or a success status whose answer was unusable (a body that
 * is not JSON) → {@link ServerError}. Each client writes its own message (naming the server, never
 * a secret).
 */
export function requestError(status: number | undefined, message: string, failure: Omit<RequestFailure, 'status'> = {}): RequestError {
  const withStatus: RequestFailure = { ...failure, status };
  if (status === undefined) return new ConnectionError(message, withStatus);
  if (status === 401 || status === 403) return new AuthError(message, withStatus);
  if (status === 429) return new RateLimitError(message, withStatus);
  if (status >= 400 && status < 500) return new RequestRejectedError(message, withStatus);
  return new ServerError(message, withStatus);
}

/** The user interrupted the run (Ctrl-C); progress was saved for `--resume`. Exit code 130. */
export class InterruptedError extends ChartwrightError {
  constructor(message = 'interrupted; progress saved, rerun with --resume to continue') {
    super('INTERRUPTED', message);
  }
}

/** A broken invariant: a bug in Chartwright, not bad input. The CLI says so and points at `--debug`. */
export class InternalError extends ChartwrightError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INTERNAL', message, options);
  }
}

/** A concrete error class, as the registry holds it. */
type ErrorClass = abstract new (...args: never[]) => ChartwrightError;

/**
 * Every concrete subclass, so an error rebuilt after a thread hop is the class it was. A new
 * subclass goes here (a test fails until it does).
 */
export const ERROR_CLASSES: readonly ErrorClass[] = [
  OptionError,
  OutputDirError,
  KnowledgeError,
  InputError,
  ValidationFailedError,
  CheckFailedError,
  UploadIncompleteError,
  IoError,
  LlmOutputError,
  LlmRefusalError,
  ConnectionError,
  AuthError,
  RateLimitError,
  RequestRejectedError,
  ServerError,
  InterruptedError,
  InternalError,
];
const CLASS_BY_NAME = new Map<string, ErrorClass>(ERROR_CLASSES.map((c) => [c.name, c]));

/** JavaScript's own error classes, rebuilt as themselves. */
const BUILT_IN_ERRORS = new Map<string, ErrorConstructor>(
  [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError].map((c) => [c.name, c]),
);

/**
 * An error as data, for `postMessage`: every value is structured-cloneable. `code` is the
 * Chartwright code, or a Node error's own code (`ENOSPC`), or undefined.
 */
export interface SerializedError {
  readonly name: string;
  readonly code: string | undefined;
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly stack?: string | undefined;
  readonly cause?: SerializedError | undefined;
}

/** Causes deeper than this are dropped: a chain is for debugging, and may be cyclic. */
const MAX_CAUSE_DEPTH = 4;

/** Turns anything thrown into data that survives a thread hop; see {@link deserializeError}. */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', code: undefined, message: String(error), fields: {} };
  const chartwright = error instanceof ChartwrightError;
  const nodeCode = (error as NodeJS.ErrnoException).code;
  const source: Readonly<Record<string, unknown>> = chartwright ? error.fields : foreignFields(error);
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) if (isPlainData(value)) fields[key] = value;
  const cause = error.cause === undefined || depth >= MAX_CAUSE_DEPTH ? undefined : serializeError(error.cause, depth + 1);
  return {
    name: error.name,
    code: chartwright ? error.code : typeof nodeCode === 'string' ? nodeCode : undefined,
    message: error.message,
    fields,
    ...(error.stack === undefined ? {} : { stack: error.stack }),
    ...(cause === undefined ? {} : { cause }),
  };
}

/**
 * Rebuilds a {@link serializeError} result: a registered Chartwright class comes back as that
 * class with its code, fields, stack and cause; a JavaScript or Node error as one of the same name
 * and code (so the user sees the same line whichever thread failed).
 */
export function deserializeError(wire: SerializedError): Error {
  const registered = CLASS_BY_NAME.get(wire.name);
  const cause = wire.cause === undefined ? undefined : deserializeError(wire.cause);
  const options = cause === undefined ? undefined : { cause };
  // Reflect.construct runs Error's constructor with the subclass's prototype: a genuine Error of the
  // right class, without the subclass constructor's own argument handling.
  const error: Error = registered !== undefined
    ? (Reflect.construct(Error, [wire.message, options], registered) as Error)
    : new (BUILT_IN_ERRORS.get(wire.name) ?? Error)(wire.message, options);
  Object.assign(error, registered === undefined ? {} : { name: wire.name }, wire.fields, wire.code === undefined ? {} : { code: wire.code });
  if (registered === undefined && error.name !== wire.name) error.name = wire.name;
  if (wire.stack !== undefined) error.stack = wire.stack;
  return error;
}

/** A foreign error's own data fields (`errno`, `syscall`, `path`...), not its methods or objects. */
function foreignFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key !== 'name' && key !== 'code' && (value === null || ['string', 'number', 'boolean'].includes(typeof value))) fields[key] = value;
  }
  return fields;
}

/** Values `postMessage` copies faithfully: primitives, arrays and plain objects of them. */
function isPlainData(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return true;
    case 'object':
      if (Array.isArray(value)) return value.every(isPlainData);
      return Object.getPrototypeOf(value) === Object.prototype && Object.values(value as object).every(isPlainData);
    default:
      return false;
  }
}

/** Exit codes: 2 for usage errors (as POSIX tools do), 130 for Ctrl-C, 1 for everything else. */
export function exitCodeFor(error: unknown): number {
  if (!(error instanceof ChartwrightError)) return 1;
  switch (error.code) {
    case 'BAD_OPTION':
    case 'OUTPUT_NOT_EMPTY':
    case 'OUTPUT_MISMATCH':
      return 2;
    case 'INTERRUPTED':
      return 130;
    case 'KNOWLEDGE_INVALID':
    case 'INPUT_INVALID':
    case 'VALIDATION_FAILED':
    case 'CHECK_FAILED':
    case 'UPLOAD_INCOMPLETE':
    case 'LLM_OUTPUT_INVALID':
    case 'LLM_REFUSED':
    case 'CONNECTION_FAILED':
    case 'AUTH_ERROR':
    case 'RATE_LIMITED':
    case 'REQUEST_REJECTED':
    case 'SERVER_ERROR':
    case 'IO_ERROR':
    case 'INTERNAL':
      return 1;
  }
}

/**
 * One line for the user. Known errors print their message; a Node system error (`ENOSPC`) its
 * own; anything else is an internal error and says so, since it is a bug rather than bad input.
 */
export function toUserMessage(error: unknown): string {
  return `chartwright: ${oneLine(messageOf(error))}`;
}

function messageOf(error: unknown): string {
  if (error instanceof ChartwrightError && error.code !== 'INTERNAL') return error.message;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!(error instanceof ChartwrightError) && typeof code === 'string' && /^E[A-Z]+$/.test(code)) return error.message;
    return `internal error: ${error.message} (rerun with --debug for details)`;
  }
  return `internal error: ${String(error)}`;
}

/** Server bodies and model output may hold newlines; the user gets one line all the same. */
function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** Compile-time exhaustiveness for tagged unions: `default: return assertNever(x)`. */
export function assertNever(value: never): never {
  throw new InternalError(`unexpected value ${JSON.stringify(value)}`);
}
