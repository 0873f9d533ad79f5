import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, any>;

/** What the fake server was asked, for assertions on how a client went about it. */
export interface IntegrityServerLog {
  batches: number;
  transactions: number;
  /** DELETEs refused because a resource still referenced the target (409). */
  conflicts: number;
  searches: number;
  /** Searches answered from the reuse cache (sent without `Cache-Control: no-cache`). */
  reused: number;
}

export interface IntegrityServer {
  readonly url: string;
  readonly log: IntegrityServerLog;
  /** Stores resources as given (references already `Type/id`). */
  put(...resources: Json[]): void;
  /** Stores a generated output's transaction bundle, its `urn:uuid:` references resolved to `Type/id` as a server would. */
  putBundle(bundle: Json): void;
  /** What is stored, as `Type/id`, sorted. */
  keys(): string[];
  close(): Promise<void>;
}

/** Every `Type/id` a resource references. */
function referencesOf(resource: unknown, out: string[] = []): string[] {
  if (Array.isArray(resource)) for (const item of resource) referencesOf(item, out);
  else if (resource !== null && typeof resource === 'object') {
    for (const [key, value] of Object.entries(resource)) {
      if (key === 'reference' && typeof value === 'string' && /^[A-Z][A-Za-z]+\/[^/]+$/.test(value)) out.push(value);
      else referencesOf(value, out);
    }
  }
  return out;
}

function send(res: ServerResponse, status: number, body?: Json): void {
  res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/fhir+json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

const outcome = (code: string, diagnostics: string): Json => ({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] });

/**
 * A scripted FHIR R4 server on 127.0.0.1 that behaves as HAPI FHIR JPA does with its default
 * settings where `upload --delete` is concerned:
 * - it enforces referential integrity on delete: a DELETE of a resource that another stored
 *   resource references is refused with 409, in a batch entry by entry (each alone), in a
 *   transaction as a whole, unless every referrer is deleted in the same transaction;
 * - it reuses an identical search's results unless the request says `Cache-Control: no-cache`;
 * - it pages searches with `next` links to `?_getpages=`, on snapshots taken when the search ran.
 * Searches understand `_tag` (system|code), `patient` (comma-separated) and `_count`; they answer
 * each match as `{resourceType, id}`, as `_elements=id` asks.
 */
export async function startIntegrityServer(): Promise<IntegrityServer> {
  const store = new Map<string, Json>();
  const log: IntegrityServerLog = { batches: 0, transactions: 0, conflicts: 0, searches: 0, reused: 0 };
  const snapshots = new Map<string, string[]>();
  const reusable = new Map<string, string>();
  let url = '';

  // target `Type/id` → the stored resources that reference it
  const referencedBy = new Map<string, Set<string>>();
  const store_ = (resource: Json): void => {
    const key = `${resource.resourceType as string}/${resource.id as string}`;
    remove(key);
    store.set(key, resource);
    for (const target of referencesOf(resource)) {
      let sources = referencedBy.get(target);
      if (sources === undefined) referencedBy.set(target, (sources = new Set()));
      sources.add(key);
    }
  };
  function remove(key: string): void {
    const resource = store.get(key);
    if (resource === undefined) return;
    for (const target of referencesOf(resource)) referencedBy.get(target)?.delete(key);
    store.delete(key);
  }
  /** Stored resources (outside `exempt`) that reference `key`. */
  const referrers = (key: string, exempt: ReadonlySet<string>): string[] => [...(referencedBy.get(key) ?? [])].filter((k) => !exempt.has(k));

  const page = (id: string, offset: number, count: number): Json => {
    const keys = snapshots.get(id) ?? [];
    const slice = keys.slice(offset, offset + count);
    const link = [{ relation: 'self', url: `${url}?_getpages=${id}&_offset=${offset}&_count=${count}` }];
    if (offset + count < keys.length) link.push({ relation: 'next', url: `${url}?_getpages=${id}&_offset=${offset + count}&_count=${count}` });
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      total: keys.length,
      link,
      entry: slice.map((k) => {
        const [resourceType, rid] = k.split('/') as [string, string];
        return { fullUrl: `${url}/${k}`, resource: { resourceType, id: rid } };
      }),
    };
  };

  const search = (type: string, params: URLSearchParams, path: string, noCache: boolean): Json => {
    log.searches += 1;
    const count = Number(params.get('_count') ?? '20');
    const cached = reusable.get(path);
    if (cached !== undefined && !noCache) {
      log.reused += 1;
      return page(cached, 0, count);
    }
    const tag = params.get('_tag');
    const patients = params.get('patient')?.split(',').map((p) => (p.includes('/') ? p : `Patient/${p}`));
    const keys = [...store.entries()]
      .filter(([k]) => k.startsWith(`${type}/`))
      .filter(([, r]) => tag === null || (r.meta?.tag ?? []).some((t: Json) => `${t.system}|${t.code}` === tag))
      .filter(([, r]) => patients === undefined || patients.includes(r.subject?.reference) || patients.includes(r.patient?.reference))
      .map(([k]) => k);
    const id = `s${snapshots.size + 1}`;
    snapshots.set(id, keys);
    reusable.set(path, id);
    return page(id, 0, count);
  };

  const deletes = (bundle: Json): string[] =>
    (bundle.entry ?? []).map((e: Json) => {
      if (e.request?.method !== 'DELETE') throw new Error(`this fake server only deletes in bundles, not ${String(e.request?.method)}`);
      return e.request.url as string;
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = target.pathname.replace(/^\/fhir/, '').replace(/^\/+/, '');
    const noCache = /no-cache/.test(String(req.headers['cache-control'] ?? ''));
    if (req.method === 'GET' && path === 'metadata') {
      return send(res, 200, { resourceType: 'CapabilityStatement', status: 'active', fhirVersion: '4.0.1', kind: 'instance', format: ['json'], rest: [{ mode: 'server', interaction: [{ code: 'transaction' }, { code: 'batch' }] }] });
    }
    if (req.method === 'GET' && path === '' && target.searchParams.has('_getpages')) {
      return send(res, 200, page(target.searchParams.get('_getpages') ?? '', Number(target.searchParams.get('_offset') ?? '0'), Number(target.searchParams.get('_count') ?? '20')));
    }
    if (req.method === 'GET' && /^[A-Z][A-Za-z]+$/.test(path)) return send(res, 200, search(path, target.searchParams, `${path}${target.search}`, noCache));
    if (req.method === 'POST' && path === '') {
      const bundle = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
      const keys = deletes(bundle);
      if (bundle.type === 'batch') {
        log.batches += 1;
        const entry = keys.map((key) => {
          if (!store.has(key)) return { response: { status: '404 Not Found' } };
          const by = referrers(key, new Set([key]));
          if (by.length > 0) {
            log.conflicts += 1;
            return { response: { status: '409 Conflict', outcome: outcome('processing', `Unable to delete ${key} because at least one resource has a reference to this resource: ${by[0]}`) } };
          }
          remove(key);
          return { response: { status: '204 No Content' } };
        });
        return send(res, 200, { resourceType: 'Bundle', type: 'batch-response', entry });
      }
      if (bundle.type === 'transaction') {
        log.transactions += 1;
        const together = new Set(keys);
        for (const key of keys) {
          const by = referrers(key, together);
          if (by.length > 0) {
            log.conflicts += 1;
            return send(res, 409, outcome('processing', `Unable to delete ${key} because at least one resource has a reference to this resource: ${by[0]}`));
          }
        }
        for (const key of keys) remove(key);
        return send(res, 200, { resourceType: 'Bundle', type: 'transaction-response', entry: keys.map(() => ({ response: { status: '204 No Content' } })) });
      }
    }
    send(res, 400, outcome('not-supported', `${req.method ?? ''} /${path} is not scripted`));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, outcome('exception', String(error))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
  return {
    url,
    log,
    put: (...resources) => {
      for (const r of resources) store_(structuredClone(r));
    },
    putBundle: (bundle) => {
      const byFullUrl = new Map<string, string>((bundle.entry as Json[]).map((e) => [e.fullUrl as string, `${e.resource.resourceType as string}/${e.resource.id as string}`]));
      for (const e of bundle.entry as Json[]) {
        const text = JSON.stringify(e.resource).replace(/"reference":"(urn:uuid:[^"]+)"/g, (whole, ref: string) => {
          const resolved = byFullUrl.get(ref);
          return resolved === undefined ? whole : `"reference":"${resolved}"`;
        });
        store_(JSON.parse(text) as Json);
      }
    },
    keys: () => [...store.keys()].sort(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
