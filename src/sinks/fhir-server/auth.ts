import { importPKCS8, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { retryAfterMs } from '../../core/retry-after.js';
import { AuthError, ConnectionError, requestError } from '../../errors.js';

/** How to authenticate to the FHIR server. Secrets live only here and in request headers. */
export type AuthConfig =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer'; readonly token: string }
  | { readonly kind: 'client-secret'; readonly tokenUrl: string; readonly clientId: string; readonly clientSecret: string; readonly scope: string }
  | {
      readonly kind: 'private-key-jwt';
      readonly tokenUrl: string;
      readonly clientId: string;
      /** PKCS#8 PEM of an RSA or EC private key. */
      readonly privateKeyPem: string;
      /** Key id announced in the JWT header (`kid`), as registered with the server's JWKS. */
      readonly keyId?: string;
      readonly scope: string;
    };

/** Supplies the bearer token for each request, fetching and renewing it as needed. */
export interface TokenSource {
  /** The token to send now, or undefined for no Authorization header. */
  token(): Promise<string | undefined>;
  /** Forgets the cached token after a 401; returns whether a new one can be fetched. */
  invalidate(): boolean;
}

const TokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().optional(),
});

/** The token endpoint's answer we rely on. */
export type TokenResponse = z.infer<typeof TokenResponse>;

/** Renew this long before the token's announced expiry, so no request carries a token that expires in flight. */
const EXPIRY_MARGIN_MS = 30_000;

/** Builds the token source for `config`. Token endpoint calls time out after `timeoutMs`. */
export function tokenSource(config: AuthConfig, timeoutMs = 30_000): TokenSource {
  switch (config.kind) {
    case 'none':
      return { token: () => Promise.resolve(undefined), invalidate: () => false };
    case 'bearer':
      return { token: () => Promise.resolve(config.token), invalidate: () => false };
    case 'client-secret':
    case 'private-key-jwt': {
      let cached: { token: string; expiresAt: number } | undefined;
      let pending: Promise<string> | undefined;
      return {
        token: async () => {
          if (cached !== undefined && Date.now() < cached.expiresAt) return cached.token;
          pending ??= requestToken(config, timeoutMs)
            .then((response) => {
              const lifetime = (response.expires_in ?? 300) * 1000;
              cached = { token: response.access_token, expiresAt: Date.now() + Math.max(lifetime - EXPIRY_MARGIN_MS, lifetime / 2) };
              return response.access_token;
            })
            .finally(() => {
              pending = undefined;
            });
          return pending;
        },
        invalidate: () => {
          cached = undefined;
          return true;
        },
      };
    }
  }
}

/**
 * OAuth 2.0 client credentials grant: with a client secret (HTTP Basic, RFC 6749 §2.3.1) or, for
 * SMART Backend Services, a `private_key_jwt` client assertion signed with the client's key.
 */
export async function requestToken(
  config: Extract<AuthConfig, { kind: 'client-secret' | 'private-key-jwt' }>,
  timeoutMs: number,
): Promise<TokenResponse> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', scope: config.scope });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (config.kind === 'client-secret') {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`).toString('base64')}`;
  } else {
    form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    form.set('client_assertion', await clientAssertion(config));
  }
  let response: Response;
  try {
    response = await fetch(config.tokenUrl, { method: 'POST', headers, body: form, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new ConnectionError(`cannot reach the token endpoint ${config.tokenUrl} (${describeNetworkError(error)})`, { cause: error });
  }
  const text = await response.text();
  if (!response.ok) throw tokenEndpointError(config.tokenUrl, response.status, text, response.headers);
  let parsed: TokenResponse;
  try {
    parsed = TokenResponse.parse(JSON.parse(text));
  } catch (error) {
    throw new AuthError(`token endpoint ${config.tokenUrl} did not return an access_token`, { cause: error });
  }
  return parsed;
}

/**
 * A token endpoint's refusal, typed by status like every client's. RFC 6749 §5.2 answers a bad
 * grant, scope or client with 400 (401 for client authentication): both are refused credentials.
 * The endpoint's error code says why without echoing what we sent.
 */
function tokenEndpointError(tokenUrl: string, status: number, body: string, headers: Headers): Error {
  const code = /"error"\s*:\s*"([^"]+)"/.exec(body)?.[1];
  const why = `HTTP ${status}${code === undefined ? '' : `, ${code}`}`;
  if (status === 400 || status === 401 || status === 403) return new AuthError(`token endpoint ${tokenUrl} refused the client credentials (${why})`, { status });
  return requestError(status, `token endpoint ${tokenUrl} answered ${why}`, { retryAfterMs: retryAfterMs(headers) });
}

/** SMART Backend Services client assertion: a short-lived JWT, `iss` = `sub` = client id, `aud` = token URL. */
export async function clientAssertion(config: Extract<AuthConfig, { kind: 'private-key-jwt' }>): Promise<string> {
  const alg = /BEGIN EC PRIVATE KEY/.test(config.privateKeyPem) || isEcKey(config.privateKeyPem) ? 'ES384' : 'RS384';
  let key: Awaited<ReturnType<typeof importPKCS8>>;
  try {
    key = await importPKCS8(config.privateKeyPem, alg);
  } catch (error) {
    throw new AuthError(`the private key is not a PKCS#8 PEM ${alg === 'ES384' ? 'EC P-384' : 'RSA'} key (convert with \`openssl pkcs8 -topk8 -nocrypt\`)`, { cause: error });
  }
  return new SignJWT({})
    .setProtectedHeader({ alg, typ: 'JWT', ...(config.keyId === undefined ? {} : { kid: config.keyId }) })
    .setIssuer(config.clientId)
    .setSubject(config.clientId)
    .setAudience(config.tokenUrl)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}

function isEcKey(pem: string): boolean {
  try {
    // A PKCS#8 EC key carries the id-ecPublicKey OID 1.2.840.10045.2.1.
    const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    return der.includes(Buffer.from([0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]));
  } catch {
    return false;
  }
}

/** A short, secret-free description of why a request got no answer. */
export function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timed out';
    const cause = (error as { cause?: { code?: string } }).cause;
    if (typeof cause?.code === 'string') return cause.code;
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    return error.message;
  }
  return String(error);
}
