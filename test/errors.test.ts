import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as errors from '../src/errors.js';
import {
  AuthError,
  ChartwrightError,
  CheckFailedError,
  ConnectionError,
  deserializeError,
  ERROR_CLASSES,
  exitCodeFor,
  InputError,
  InternalError,
  InterruptedError,
  LlmOutputError,
  OptionError,
  RateLimitError,
  RequestRejectedError,
  requestError,
  serializeError,
  ServerError,
  toUserMessage,
  UploadIncompleteError,
  type SerializedError,
} from '../src/errors.js';
import { ROOT } from './support/cli.js';

describe('HTTP status → error class (one table for every client)', () => {
  const table: [number | undefined, abstract new (...args: never[]) => ChartwrightError, string, boolean][] = [
    [undefined, ConnectionError, 'CONNECTION_FAILED', true],
    [400, RequestRejectedError, 'REQUEST_REJECTED', false],
    [401, AuthError, 'AUTH_ERROR', false],
    [403, AuthError, 'AUTH_ERROR', false],
    [404, RequestRejectedError, 'REQUEST_REJECTED', false],
    [408, RequestRejectedError, 'REQUEST_REJECTED', true],
    [409, RequestRejectedError, 'REQUEST_REJECTED', true],
    [412, RequestRejectedError, 'REQUEST_REJECTED', false],
    [413, RequestRejectedError, 'REQUEST_REJECTED', false],
    [422, RequestRejectedError, 'REQUEST_REJECTED', false],
    [429, RateLimitError, 'RATE_LIMITED', true],
    [500, ServerError, 'SERVER_ERROR', true],
    [502, ServerError, 'SERVER_ERROR', true],
    [503, ServerError, 'SERVER_ERROR', true],
    // A success status on the error path: the answer was unusable (fhir-kit-client: a body that is not JSON).
    [200, ServerError, 'SERVER_ERROR', false],
  ];
  it.each(table)('%s → %o', (status, cls, code, retryable) => {
    const error = requestError(status, `failed with ${status}`, { retryAfterMs: 1000 });
    expect(error).toBeInstanceOf(cls);
    expect(error).toMatchObject({ code, status, retryable, retryAfterMs: 1000, message: `failed with ${status}` });
    expect(exitCodeFor(error)).toBe(1);
  });

  it('keeps the original error as cause, and lets a client overrule retryability', () => {
    const cause = new Error('socket hang up');
    expect(requestError(undefined, 'x', { cause }).cause).toBe(cause);
    expect(requestError(503, 'x', { retryable: false }).retryable).toBe(false);
    // A server that answered but is unusable (not FHIR R4) is a ServerError that retrying cannot fix.
    expect(new ServerError('not a FHIR server').retryable).toBe(false);
  });
});

/** One instance of every class, each with its fields set and (where it takes one) a cause. */
function samples(): ChartwrightError[] {
  const cause = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
  return [
    new OptionError('--patients', 'must be a positive integer'),
    new errors.OutputDirError('OUTPUT_MISMATCH', 'OUT holds another run'),
    new errors.KnowledgeError('labs.yaml: hba1c.unit: required', { cause: new TypeError('bad') }),
    new InputError('not valid JSON', '/tmp/x.json', { cause: new SyntaxError('Unexpected token') }),
    new errors.ValidationFailedError('--validate: patient p fails validation'),
    new CheckFailedError(3, 1),
    new UploadIncompleteError(2, 6),
    new errors.IoError('cannot write OUT/check.json', { cause }),
    new LlmOutputError('model output is not valid', '{"title":', ['not valid JSON'], { usage: { promptTokens: 10, completionTokens: 2 } }),
    new errors.LlmRefusalError('I cannot', { promptTokens: 5, completionTokens: 1 }),
    new ConnectionError('cannot reach http://127.0.0.1:1', { cause: new Error('ECONNREFUSED') }),
    new AuthError('refused the credentials (HTTP 401)', { status: 401 }),
    new RateLimitError('HTTP 429', { status: 429, retryAfterMs: 3000 }),
    new RequestRejectedError('HTTP 400', { status: 400, cause: new InputError('inner', 'f.json') }),
    new ServerError('HTTP 503', { status: 503, retryAfterMs: 1000 }),
    new InterruptedError(),
    new InternalError('reference to x does not resolve inside the bundle'),
  ];
}

/** What must survive a thread hop: class, code, message, fields, and the cause chain. */
function expectSameError(actual: unknown, expected: Error): void {
  expect(actual).toBeInstanceOf(expected.constructor);
  const a = actual as Error;
  expect(a.name).toBe(expected.name);
  expect(a.message).toBe(expected.message);
  expect((a as { code?: unknown }).code).toBe((expected as { code?: unknown }).code);
  if (expected instanceof ChartwrightError) expect((a as ChartwrightError).fields).toEqual(expected.fields);
  expect(a.stack).toBe(expected.stack);
  if (expected.cause instanceof Error) expectSameError(a.cause, expected.cause);
  else expect(a.cause).toBeUndefined();
}

describe('errors across worker threads', () => {
  it('registers every concrete subclass the module exports', () => {
    const exported = Object.values(errors).filter((v): v is typeof ChartwrightError => typeof v === 'function' && v.prototype instanceof ChartwrightError);
    const abstract = new Set<unknown>([errors.RequestError]);
    const concrete = exported.filter((c) => !abstract.has(c));
    expect(new Set(ERROR_CLASSES)).toEqual(new Set(concrete));
    // ...and the samples cover each of them.
    expect(new Set(samples().map((e) => e.constructor))).toEqual(new Set(concrete));
  });

  it('rebuilds every subclass with its fields and cause (in-process)', () => {
    for (const error of samples()) expectSameError(deserializeError(structuredClone(serializeError(error))), error);
  });

  it('rebuilds them on the other side of a real thread hop, with fields, cause and stack', async () => {
    // The worker runs the compiled module (the tests' global setup builds dist/): the wire format,
    // not a shared class object, is what crosses.
    const distErrors = pathToFileURL(join(ROOT, 'dist', 'errors.js')).href;
    const worker = new Worker(
      `
      const { parentPort } = require('node:worker_threads');
      import(${JSON.stringify(distErrors)}).then((m) => {
        parentPort.on('message', (wire) => {
          const error = m.deserializeError(wire);
          parentPort.postMessage({ same: error instanceof m[wire.name], fields: error.fields, back: m.serializeError(error) });
        });
      });
      `,
      { eval: true },
    );
    try {
      for (const original of samples()) {
        const reply = await new Promise<{ same: boolean; fields: unknown; back: SerializedError }>((resolve, reject) => {
          worker.once('error', reject);
          worker.once('message', (message: { same: boolean; fields: unknown; back: SerializedError }) => {
            worker.off('error', reject);
            resolve(message);
          });
          worker.postMessage(serializeError(original));
        });
        // In the worker, it was the same class with the same fields...
        expect(reply.same, original.name).toBe(true);
        expect(reply.fields).toEqual(original.fields);
        // ...and it comes back as the class it left as.
        expectSameError(deserializeError(reply.back), original);
      }
    } finally {
      await worker.terminate();
    }
  });

  it('brings back JavaScript and Node errors as themselves, so the user line does not depend on the thread', () => {
    const errno = Object.assign(new Error("ENOENT: no such file or directory, open 'x'"), { code: 'ENOENT', errno: -2, path: 'x' });
    const revived = deserializeError(structuredClone(serializeError(errno)));
    expect(revived).toMatchObject({ code: 'ENOENT', errno: -2, path: 'x', message: errno.message });
    expect(toUserMessage(revived)).toBe(toUserMessage(errno));
    const bug = deserializeError(structuredClone(serializeError(new TypeError("Cannot read properties of undefined (reading 'id')"))));
    expect(bug).toBeInstanceOf(TypeError);
    expect(toUserMessage(bug)).toBe("chartwright: internal error: Cannot read properties of undefined (reading 'id') (rerun with --debug for details)");
    expect(deserializeError(serializeError('a string was thrown')).message).toBe('a string was thrown');
  });

  it('drops what postMessage cannot copy (an SDK error holding Headers) instead of failing the hop', () => {
    const sdk = Object.assign(new Error('429 Too Many Requests'), { status: 429, headers: new Headers({ 'retry-after': '1' }) });
    const wire = serializeError(new RateLimitError('HTTP 429', { status: 429, cause: sdk }));
    const revived = deserializeError(structuredClone(wire)) as RateLimitError;
    expect(revived.cause).toMatchObject({ message: '429 Too Many Requests', status: 429 });
    expect((revived.cause as { headers?: unknown }).headers).toBeUndefined();
  });
});

describe('the user line and the exit code', () => {
  it.each([
    [new OptionError('--patients', 'must be a positive integer'), 'chartwright: --patients: must be a positive integer', 2],
    [new errors.OutputDirError('OUTPUT_NOT_EMPTY', 'OUT is not empty'), 'chartwright: OUT is not empty', 2],
    [new InterruptedError(), 'chartwright: interrupted; progress saved, rerun with --resume to continue', 130],
    [new CheckFailedError(2, 0), 'chartwright: 2 checks failed (see the report)', 1],
    [new CheckFailedError(1, 3), 'chartwright: 1 check failed, 3 fidelity rows off band (see the report)', 1],
    [new UploadIncompleteError(2, 6), 'chartwright: 2 of 6 patients failed (see above); the others are loaded', 1],
    [new AuthError('http://h/v1 answered HTTP 401: bad key'), 'chartwright: http://h/v1 answered HTTP 401: bad key', 1],
    [new ServerError('http://h answered HTTP 500:\n  <html>\n oops'), 'chartwright: http://h answered HTTP 500: <html> oops', 1],
    [new InternalError('unexpected value 3'), 'chartwright: internal error: unexpected value 3 (rerun with --debug for details)', 1],
    [new Error('boom'), 'chartwright: internal error: boom (rerun with --debug for details)', 1],
  ])('%s', (error, line, code) => {
    expect(toUserMessage(error)).toBe(line);
    expect(exitCodeFor(error)).toBe(code);
  });
});
