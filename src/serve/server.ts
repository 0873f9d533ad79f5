import { allOk, badRequest, created, getStatus, normalizeOperationOutcome, notFound, OperationOutcomeError } from '@medplum/core';
import { FhirRouter } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { capabilityStatement } from './capability.js';
import { loadFhirDefinitions } from './definitions.js';
import { patientEverything } from './everything.js';
import { SandboxRepository } from './repository.js';
import type { WriteResult } from './repository.js';
import { searchType } from './search.js';
import type { Query } from './search.js';
import { processBundle } from './transaction.js';
import type { Validator } from './validation-pool.js';

/** Options of {@link startServer}. */
export interface ServeOptions {
  /** TCP port; 0 picks a free one. */
  readonly port: number;
  /** Address to bind; loopback by default, since the sandbox has no access control of its own. */
  readonly host?: string;
  /** When set, every request but `/metadata` must carry `Authorization: Bearer <token>` (tests of auth failures). */
  readonly bearerToken?: string;
  /** Repository to serve; a new empty one by default. */
  readonly repository?: SandboxRepository;
  /** Validates transaction entries (e.g. a {@link ValidationPool}'s); inline by default. */
  readonly validator?: Validator;
}

/** A running sandbox. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8080/fhir`... without a trailing slash. */
  readonly url: string;
  readonly repository: SandboxRepository;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 256 * 1024 * 1024;
const RESOURCE_TYPE = /^[A-Z][A-Za-z]+$/;

interface Reply {
  readonly status: number;
  readonly body?: Resource;
  readonly headers?: Record<string, string>;
}

/** Starts the embedded FHIR R4 server; resolves once it listens. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  loadFhirDefinitions();
  const repository = options.repository ?? new SandboxRepository();
  const router = new FhirRouter();
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    void serveRequest(req, res, repository, router, options.bearerToken, options.validator);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    repository,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serveRequest(
  req: IncomingMessage,
  res: ServerResponse,
  repo: SandboxRepository,
  router: FhirRouter,
  bearerToken: string | undefined,
  validator: Validator | undefined,
): Promise<void> {
  let reply: Reply;
  try {
    const url = new URL(req.url ?? '/', 'http://local');
    const base = `http://${req.headers.host ?? 'localhost'}`;
    if (bearerToken !== undefined && url.pathname !== '/metadata' && req.headers.authorization !== `Bearer ${bearerToken}`) {
      reply = { status: 401, body: outcome('login', 'missing, invalid or expired bearer token'), headers: { 'www-authenticate': 'Bearer' } };
    } else {
      const body = await readBody(req);
      const minimal = /return=minimal/.test(String(req.headers.prefer ?? ''));
      reply = await dispatch(repo, router, base, req.method ?? 'GET', url, body, minimal, validator);
    }
  } catch (error) {
    const oo = normalizeOperationOutcome(error);
    reply = { status: getStatus(oo), body: oo };
  }
  const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...(text === '' ? {} : { 'content-type': 'application/fhir+json; charset=utf-8' }),
    ...reply.headers,
  });
  res.end(text);
}

/**
 * Routes one request. Searches, `$everything`, bundles and writes go through Chartwright's own
 * handlers (which close the router's gaps); reads, vreads and history go to Medplum's router.
 */
export async function dispatch(
  repo: SandboxRepository,
  router: FhirRouter,
  base: string,
  method: string,
  url: URL,
  body: unknown,
  minimal = false,
  validator?: Validator,
): Promise<Reply> {
  const parts = url.pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  const [type, id, op] = parts;
  const query = parseQuery(url.searchParams);
  if (method === 'GET' && parts.length === 1 && type === 'metadata') return { status: 200, body: capabilityStatement(base) };
  if (method === 'POST' && parts.length === 0) {
    const bundle = asResource(body);
    if (bundle.resourceType !== 'Bundle') throw new OperationOutcomeError(badRequest('POST to the base URL needs a Bundle'));
    const read = async (entryUrl: string): Promise<{ status: number; body: Resource }> => {
      try {
        const r = await dispatch(repo, router, base, 'GET', new URL(entryUrl.startsWith('/') ? entryUrl : `/${entryUrl}`, 'http://local'), undefined);
        return { status: r.status, body: r.body ?? allOk };
      } catch (error) {
        const oo = normalizeOperationOutcome(error);
        return { status: getStatus(oo), body: oo };
      }
    };
    return { status: 200, body: await processBundle(repo, bundle as Bundle, { minimal, read, ...(validator === undefined ? {} : { validate: validator }) }) };
  }
  if (type === undefined || !RESOURCE_TYPE.test(type)) {
    return { status: 404, body: notFound };
  }
  if (method === 'GET' && parts.length === 1) return { status: 200, body: await searchType(repo, base, type, query) };
  if (method === 'POST' && parts.length === 2 && id === '_search') {
    const form = typeof body === 'string' ? new URLSearchParams(body) : new URLSearchParams();
    return { status: 200, body: await searchType(repo, base, type, new Map([...query, ...parseQuery(form)])) };
  }
  if (method === 'GET' && type === 'Patient' && id !== undefined && op === '$everything' && parts.length === 3) {
    return { status: 200, body: await patientEverything(repo, base, id) };
  }
  if (method === 'PUT' && parts.length === 2 && id !== undefined) {
    const resource = asResource(body);
    if (resource.resourceType !== type || (resource.id !== undefined && resource.id !== id)) {
      throw new OperationOutcomeError(badRequest(`body must be a ${type} with id ${id}`));
    }
    return written(await repo.exclusively(() => Promise.resolve(repo.put({ ...resource, id }))), minimal);
  }
  if (method === 'POST' && parts.length === 1) {
    const resource = asResource(body);
    if (resource.resourceType !== type) throw new OperationOutcomeError(badRequest(`body must be a ${type}`));
    return written(await repo.exclusively(() => Promise.resolve(repo.put({ ...resource, id: repo.generateId() }))), minimal);
  }
  if (method === 'DELETE' && parts.length === 2 && id !== undefined) {
    await repo.exclusively(() => Promise.resolve(repo.remove(type, id)));
    return { status: 204 };
  }
  const [oo, resource] = await router.handleRequest(
    { method: method as 'GET', url: `${url.pathname}${url.search}`, pathname: '', body, params: {}, query: {} },
    repo,
  );
  return { status: getStatus(oo), body: resource ?? oo };
}

function written(result: WriteResult, minimal: boolean): Reply {
  const { resource } = result;
  const version = resource.meta?.versionId ?? '';
  return {
    status: result.outcome === 'created' ? 201 : 200,
    body: minimal ? (result.outcome === 'created' ? created : allOk) : resource,
    headers: { location: `${resource.resourceType}/${resource.id}/_history/${version}`, etag: `W/"${version}"` },
  };
}

function asResource(body: unknown): Resource {
  if (body === null || typeof body !== 'object' || typeof (body as { resourceType?: unknown }).resourceType !== 'string') {
    throw new OperationOutcomeError(badRequest('request body must be a FHIR resource in JSON'));
  }
  return body as Resource;
}

function parseQuery(params: URLSearchParams): Map<string, string[]> {
  const query = new Map<string, string[]>();
  for (const [name, value] of params) {
    const values = query.get(name);
    if (values === undefined) query.set(name, [value]);
    else values.push(value);
  }
  return query satisfies Query;
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new OperationOutcomeError(badRequest('request body too large'));
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  // Form bodies (POST _search) are passed on as text; anything that looks like JSON is parsed.
  if (!/^\s*[[{]/.test(text) && String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new OperationOutcomeError(badRequest('request body is not valid JSON'));
  }
}

function outcome(code: 'login' | 'processing', text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] };
}
