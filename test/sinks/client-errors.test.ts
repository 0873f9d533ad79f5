import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, ConnectionError, RateLimitError, RequestRejectedError, ServerError } from '../../src/errors.js';
import { requestToken, type TokenSource } from '../../src/sinks/fhir-server/auth.js';
import { FhirServer, type RetryEvent } from '../../src/sinks/fhir-server/client.js';

/** One scripted answer: status, optional headers and body. */
interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
  server = undefined;
});

/** A loopback HTTP server answering the script in order (200 with an empty Bundle once it runs out). */
async function scripted(...answers: Answer[]): Promise<{ url: string; authorizations: (string | undefined)[] }> {
  const authorizations: (string | undefined)[] = [];
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      authorizations.push(req.headers.authorization);
      const answer = answers.shift() ?? { status: 200, body: { resourceType: 'Bundle', type: 'searchset' } };
      res.writeHead(answer.status, { 'content-type': 'application/fhir+json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, authorizations };
}

const none: TokenSource = { token: () => Promise.resolve(undefined), invalidate: () => false };
const fast = { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 };

describe('FHIR server client: status → error class', () => {
  it('403 is an AuthError, sent once', async () => {
    const { url, authorizations } = await scripted({ status: 403 });
    const error = await new FhirServer({ baseUrl: url, tokens: none, retry: fast }).request('GET', 'Patient').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(error).toMatchObject({ status: 403, code: 'AUTH_ERROR', message: `${url} refused the credentials (HTTP 403 on GET Patient); the token may be expired or lack scope` });
    expect(authorizations).toHaveLength(1);
  });

  it("400 is a RequestRejectedError carrying the OperationOutcome's words, not retried", async () => {
    const outcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', diagnostics: 'Invalid date format', expression: ['Patient.birthDate'] }] };
    const { url, authorizations } = await scripted({ status: 400, body: outcome });
    const error = await new FhirServer({ baseUrl: url, tokens: none, retry: fast }).request('POST', '', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestRejectedError);
    expect((error as Error).message).toBe(`${url} answered HTTP 400 to POST /: error: Invalid date format (Patient.birthDate)`);
    expect(authorizations).toHaveLength(1);
  });

  it('5xx is a ServerError, retried until the attempts are spent', async () => {
    const { url, authorizations } = await scripted({ status: 503 }, { status: 500 });
    const error = await new FhirServer({ baseUrl: url, tokens: none, retry: fast }).request('GET', 'metadata').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 500, retryable: true, message: `${url} answered HTTP 500 to GET metadata after 2 attempts` });
    expect(authorizations).toHaveLength(2);
  });

  it("429 waits the server's Retry-After, then succeeds", async () => {
    const { url } = await scripted({ status: 429, headers: { 'retry-after': '0' } });
    const events: RetryEvent[] = [];
    const response = await new FhirServer({ baseUrl: url, tokens: none, retry: { ...fast, baseDelayMs: 5000, maxDelayMs: 5000 }, onRetry: (e) => events.push(e) }).request('GET', 'Patient');
    expect(response.status).toBe(200);
    expect(events).toEqual([{ method: 'GET', path: 'Patient', attempt: 1, status: 429, reason: 'HTTP 429', delayMs: 0 }]);
  });

  it('429 on every attempt is a RateLimitError', async () => {
    const { url } = await scripted({ status: 429, headers: { 'retry-after': '0' } }, { status: 429, headers: { 'retry-after': '0' } });
    const error = await new FhirServer({ baseUrl: url, tokens: none, retry: fast }).request('GET', 'Patient').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, retryAfterMs: 0 });
  });

  it('401 renews the token once, then goes on', async () => {
    const { url, authorizations } = await scripted({ status: 401 });
    let issued = 0;
    const renewing: TokenSource = { token: () => Promise.resolve(`t${++issued}`), invalidate: () => true };
    expect((await new FhirServer({ baseUrl: url, tokens: renewing, retry: fast }).request('GET', 'Patient')).status).toBe(200);
    expect(authorizations).toEqual(['Bearer t1', 'Bearer t2']);
  });

  it('no answer is a ConnectionError naming the attempts', async () => {
    const { url } = await scripted();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const error = await new FhirServer({ baseUrl: url, tokens: none, retry: fast }).request('GET', 'metadata').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe(`cannot reach ${url} (ECONNREFUSED on GET metadata, 2 attempts)`);
  });
});

describe('OAuth token endpoint: status → error class', () => {
  const config = (tokenUrl: string) => ({ kind: 'client-secret' as const, tokenUrl, clientId: 'cid', clientSecret: 'the-secret-value', scope: 'system/*.write' });

  it.each([
    [400, { error: 'invalid_scope' }, AuthError, 'refused the client credentials (HTTP 400, invalid_scope)'],
    [401, { error: 'invalid_client' }, AuthError, 'refused the client credentials (HTTP 401, invalid_client)'],
    [429, {}, RateLimitError, 'answered HTTP 429'],
    [503, {}, ServerError, 'answered HTTP 503'],
    [404, {}, RequestRejectedError, 'answered HTTP 404'],
  ])('HTTP %s', async (status, body, cls, text) => {
    const { url } = await scripted({ status, body, headers: { 'content-type': 'application/json' } });
    const error = await requestToken(config(`${url}/token`), 5000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(cls);
    expect((error as Error).message).toBe(`token endpoint ${url}/token ${text}`);
    expect((error as Error).message).not.toContain('the-secret-value');
  });

  it('no answer is a retryable ConnectionError', async () => {
    const { url } = await scripted();
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const error = await requestToken(config(`${url}/token`), 5000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ retryable: true, message: `cannot reach the token endpoint ${url}/token (ECONNREFUSED)` });
  });
});
