import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy may do to a request, with probabilities; the rest are forwarded untouched. */
export interface FaultPlan {
  readonly seed: number;
  /** Close the connection without forwarding. */
  readonly dropBefore: number;
  /** Forward, let the server write, then close the connection without answering. */
  readonly dropAfter: number;
  readonly unavailable: number;
  readonly throttled: number;
  /** Retry-After (seconds) sent with 429. */
  readonly retryAfterSeconds: number;
  /** Faults in all; after that every request is forwarded, so a run always ends. */
  readonly maxFaults: number;
  /** Only requests with this method are faulted (default: all). */
  readonly method?: string;
}

export type FaultKind = 'dropBefore' | 'dropAfter' | 'unavailable' | 'throttled';

export interface FaultProxy {
  readonly url: string;
  readonly faults: Record<FaultKind, number>;
  /** Requests seen, by method. */
  readonly requests: Record<string, number>;
  /** Called after each forwarded POST with the count so far (e.g. to kill a client mid-way). */
  onForwardedPost: ((count: number) => void) | undefined;
  close(): Promise<void>;
}

/** mulberry32: a tiny seeded PRNG, so a fault sequence is the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PASS_HEADERS = ['content-type', 'content-location', 'location', 'etag', 'last-modified', 'retry-after', 'www-authenticate'];

/** A proxy on 127.0.0.1 in front of `target` that drops connections and answers 503/429 at (seeded) random. */
export async function startFaultProxy(target: string, plan: FaultPlan | undefined): Promise<FaultProxy> {
  const random = seeded(plan?.seed ?? 1);
  const faults: Record<FaultKind, number> = { dropBefore: 0, dropAfter: 0, unavailable: 0, throttled: 0 };
  const requests: Record<string, number> = {};
  let posts = 0;
  const forward = async (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> => {
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'authorization', 'prefer', 'accept']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const res = await fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(body.length > 0 ? { body } : {}) });
    const out: Record<string, string> = {};
    for (const name of PASS_HEADERS) {
      const value = res.headers.get(name);
      if (value !== null) out[name] = value;
    }
    return { status: res.status, headers: out, body: Buffer.from(await res.arrayBuffer()) };
  };
  const proxy: FaultProxy = {
    url: '',
    faults,
    requests,
    onForwardedPost: undefined,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const method = req.method ?? 'GET';
    requests[method] = (requests[method] ?? 0) + 1;
    let fault: FaultKind | undefined;
    const total = faults.dropBefore + faults.dropAfter + faults.unavailable + faults.throttled;
    if (plan !== undefined && total < plan.maxFaults && (plan.method === undefined || plan.method === method)) {
      let roll = random();
      for (const kind of ['dropBefore', 'dropAfter', 'unavailable', 'throttled'] as const) {
        const p = kind === 'dropBefore' ? plan.dropBefore : kind === 'dropAfter' ? plan.dropAfter : kind === 'unavailable' ? plan.unavailable : plan.throttled;
        if (roll < p) {
          fault = kind;
          break;
        }
        roll -= p;
      }
    }
    if (fault !== undefined) faults[fault] += 1;
    if (fault === 'dropBefore') {
      req.socket.destroy();
      return;
    }
    if (fault === 'unavailable' || fault === 'throttled') {
      const status = fault === 'unavailable' ? 503 : 429;
      res.writeHead(status, { 'content-type': 'application/fhir+json', ...(fault === 'throttled' ? { 'retry-after': String(plan?.retryAfterSeconds ?? 1) } : {}) });
      res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: fault === 'throttled' ? 'throttled' : 'transient', details: { text: `injected ${status}` } }] }));
      return;
    }
    const answer = await forward(req, body);
    if (method === 'POST') {
      posts += 1;
      proxy.onForwardedPost?.(posts);
    }
    if (fault === 'dropAfter') {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  (proxy as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}
