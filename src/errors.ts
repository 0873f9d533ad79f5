/**
 * The one error hierarchy of Chartwright. Every failure a user can cause or meet is a
 * {@link ChartwrightError} with a stable `code`; the CLI turns it into one line and an exit code
 * through {@link toUserMessage} and {@link exitCodeFor}, so bad input never prints a stack trace.
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
  | 'LLM_ERROR'
  | 'LLM_OUTPUT_INVALID'
  | 'LLM_REFUSED'
  | 'SERVER_ERROR'
  | 'AUTH_ERROR'
  | 'IO_ERROR'
  | 'INTERRUPTED'
  | 'INTERNAL';

/** Root of Chartwright's errors. `cause` keeps the original error for debugging (`--debug`). */
export class ChartwrightError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
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

/** The output folder cannot be used as asked (not empty, or written by a different run). */
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

/** A file given as input (bundle, NDJSON, package) cannot be read or parsed. */
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

/** A file-system operation failed (permissions, full disk). */
export class IoError extends ChartwrightError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('IO_ERROR', message, options);
  }
}

/**
 * A request to a language model failed: HTTP error, network failure or timeout. `retryable` says
 * whether trying again can help (429, 5xx, dropped connections, timeouts); `retryAfterMs` carries
 * the server's `Retry-After` when it sent one. 401/403 use code `AUTH_ERROR`.
 */
export class LlmRequestError extends ChartwrightError {
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(
    message: string,
    details: { status?: number | undefined; retryable: boolean; retryAfterMs?: number | undefined; auth?: boolean },
    options?: { cause?: unknown },
  ) {
    super(details.auth === true ? 'AUTH_ERROR' : 'LLM_ERROR', message, options);
    this.status = details.status;
    this.retryable = details.retryable;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/**
 * A model answered, but not with what the schema asks for (invalid or truncated JSON, schema
 * violations), even after the one repair attempt. Like LangChain's `OutputParserException`, it
 * keeps the raw output and the problems so the caller can retry with feedback.
 */
export class LlmOutputError extends ChartwrightError {
  readonly rawOutput: string;
  readonly problems: readonly string[];

  constructor(message: string, rawOutput: string, problems: readonly string[], options?: { cause?: unknown }) {
    super('LLM_OUTPUT_INVALID', message, options);
    this.rawOutput = rawOutput;
    this.problems = problems;
  }
}

/** The model declined to answer (`message.refusal`); retrying the same prompt rarely helps. */
export class LlmRefusalError extends ChartwrightError {
  readonly refusal: string;

  constructor(refusal: string) {
    super('LLM_REFUSED', `the model refused: ${refusal}`);
    this.refusal = refusal;
  }
}

/** A FHIR server could not be reached, is not a usable FHIR R4 server, or rejected a request. */
export class ServerError extends ChartwrightError {
  /** HTTP status when the server answered; undefined when it could not be reached. */
  readonly status: number | undefined;

  constructor(message: string, status?: number, options?: { cause?: unknown }) {
    super('SERVER_ERROR', message, options);
    this.status = status;
  }
}

/** Authentication with a server or token endpoint failed. Messages never carry the secret. */
export class AuthError extends ChartwrightError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('AUTH_ERROR', message, options);
  }
}

/** The user interrupted the run (Ctrl-C); progress was saved for `--resume`. */
export class InterruptedError extends ChartwrightError {
  constructor(message = 'interrupted; progress saved, rerun with --resume to continue') {
    super('INTERRUPTED', message);
  }
}

/** Exit codes: 2 for usage errors (as POSIX tools do), 130 for Ctrl-C, 1 for everything else. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof ChartwrightError) {
    switch (error.code) {
      case 'BAD_OPTION':
      case 'OUTPUT_NOT_EMPTY':
      case 'OUTPUT_MISMATCH':
        return 2;
      case 'INTERRUPTED':
        return 130;
      default:
        return 1;
    }
  }
  return 1;
}

/**
 * One line for the user. Known errors print their message; anything else is an internal error
 * and says so, since it is a bug rather than bad input.
 */
export function toUserMessage(error: unknown): string {
  if (error instanceof ChartwrightError) return `chartwright: ${error.message}`;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return `chartwright: ${error.message}`;
    return `chartwright: internal error: ${error.message} (rerun with --debug for details)`;
  }
  return `chartwright: internal error: ${String(error)}`;
}

/** Compile-time exhaustiveness for tagged unions: `default: return assertNever(x)`. */
export function assertNever(value: never): never {
  throw new ChartwrightError('INTERNAL', `unexpected value ${JSON.stringify(value)}`);
}
