import { request } from 'node:http';

export interface HttpResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * One HTTP request to a loopback consumer, JSON in and out. node:http rather than fetch: a HAPI
 * validation of a large bundle on a loaded machine can take longer than fetch's fixed 300 s
 * headers timeout; here only `timeoutMs` of silence fails the request.
 */
export function httpJson(method: string, url: string, body?: string | Buffer, timeoutMs = 1_800_000): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers: {
          Accept: 'application/fhir+json, application/json',
          // HAPI JPA reuses an identical search's results for a minute: a count taken after upload
          // --delete would otherwise repeat the count taken after the upload.
          'Cache-Control': 'no-cache',
          ...(body === undefined ? {} : { 'Content-Type': 'application/fhir+json', 'Content-Length': Buffer.byteLength(body) }),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text.length === 0 ? undefined : JSON.parse(text);
          } catch {
            // not JSON: keep the text for the assertion message
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** GET, and fail unless 200. */
export async function getJson<T>(url: string): Promise<T> {
  const res = await httpJson('GET', url);
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${JSON.stringify(res.body).slice(0, 500)}`);
  return res.body as T;
}
