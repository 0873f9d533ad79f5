/**
 * A loopback OpenAI-compatible Chat Completions server for tests and the bench. It behaves like the
 * real API where Chartwright depends on it: it validates requests, rejects strict `json_schema`
 * response formats that break OpenAI's strict-mode rules with a 400, requires the word "json" in
 * the messages for `json_object` mode, returns usage, and can be scripted per request (latency, 429 +
 * Retry-After, 5xx, dropped connections, truncated/invalid/schema-violating JSON, refusals, or any
 * answer a test computes from the request). Every request is recorded.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A chat request as the server parsed it (only the fields tests look at are typed). */
export interface FakeChatRequest {
  readonly model: string;
  readonly messages: readonly { role: string; content: unknown }[];
  readonly response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: unknown } };
  readonly [key: string]: unknown;
}

/**
 * Computes the assistant's answer: an object is sent as its JSON, a string as is. `index` counts
 * the chat requests the server has answered or refused so far (0-based).
 */
export type FakeAnswer = (request: FakeChatRequest, index: number) => unknown;

/** What the server does with one request. Every kind takes an optional `latencyMs` before it acts. */
export type FakeBehavior = { readonly latencyMs?: number } & (
  | { readonly kind: 'answer'; readonly answer?: FakeAnswer }
  | { readonly kind: 'rate-limit'; readonly retryAfterSeconds?: number; readonly retryAfterMs?: number }
  | { readonly kind: 'server-error'; readonly status?: 500 | 502 | 503 }
  | { readonly kind: 'drop' }
  | { readonly kind: 'truncate' }
  | { readonly kind: 'invalid-json' }
  | { readonly kind: 'schema-violation' }
  | { readonly kind: 'refusal'; readonly message?: string }
);

export interface FakeServerOptions {
  /** Default answer for `answer` behaviours; default a fixed minimal note. */
  readonly answer?: FakeAnswer;
  /** Latency of every request without its own `latencyMs` (ms, default 0). */
  readonly latencyMs?: number;
  /** False: behave like a server without structured outputs (400 on `json_schema`). Default true. */
  readonly jsonSchema?: boolean;
  /** When set, requests must carry `Authorization: Bearer <apiKey>` (401 otherwise). */
  readonly apiKey?: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly rawBody: string;
  /** Parsed body, or undefined when it was not JSON. */
  readonly body: FakeChatRequest | undefined;
  /** Status the server answered with; 0 for a dropped connection. */
  status: number;
}

export interface FakeOpenAIServer {
  /** Base URL for the OpenAI SDK, e.g. `http://127.0.0.1:41234/v1`. */
  readonly baseURL: string;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Most requests in flight at once since start (or the last {@link reset}). */
  readonly maxInFlight: number;
  /** Scripts the next requests: each behaviour is used once, in order, before the default answer. */
  enqueue(...behaviors: FakeBehavior[]): void;
  /** Clears the script, the recorded requests and the in-flight maximum. */
  reset(): void;
  close(): Promise<void>;
}

/** A minimal valid note, the default answer. */
export const DEFAULT_FAKE_NOTE = {
  title: 'Progress Note',
  sections: [{ heading: 'Assessment', text: 'Patient seen today. Doing well.' }],
  mentions: [],
};

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool']);
const SCHEMA_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** Keywords OpenAI accepts in a strict schema; anything else is "not permitted". */
const STRICT_KEYWORDS = new Set([
  '$schema', '$ref', '$defs', 'definitions', 'type', 'properties', 'required', 'additionalProperties', 'items',
  'enum', 'const', 'anyOf', 'description', 'title', 'pattern', 'format', 'minimum', 'maximum', 'exclusiveMinimum',
  'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems',
]);

class RequestRejected extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** Starts a server on 127.0.0.1 at a free port. */
export async function startFakeOpenAIServer(options: FakeServerOptions = {}): Promise<FakeOpenAIServer> {
  const requests: RecordedRequest[] = [];
  let script: FakeBehavior[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let answered = 0;
  const defaultAnswer: FakeAnswer = options.answer ?? (() => DEFAULT_FAKE_NOTE);

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      res.on('close', () => inFlight--);
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const record: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: flattenHeaders(req),
        rawBody,
        body: undefined,
        status: 0,
      };
      requests.push(record);
      void handle(req, res, record).catch(() => res.destroy());
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<void> {
    let request: FakeChatRequest;
    try {
      request = validateRequest(req, record, options);
    } catch (error) {
      if (!(error instanceof RequestRejected)) throw error;
      sendError(res, record, error.status, error.message, error.param, error.code);
      return;
    }
    const behavior = script.shift() ?? { kind: 'answer' };
    const latency = behavior.latencyMs ?? options.latencyMs ?? 0;
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    if (res.destroyed) return;
    const index = answered++;
    const answerOf = (fn: FakeAnswer | undefined): string => {
      const value = (fn ?? defaultAnswer)(request, index);
      return typeof value === 'string' ? value : JSON.stringify(value);
    };
    switch (behavior.kind) {
      case 'answer':
        sendCompletion(res, record, request, answerOf(behavior.answer), 'stop');
        return;
      case 'truncate': {
        const full = answerOf(undefined);
        sendCompletion(res, record, request, full.slice(0, Math.floor(full.length / 2)), 'length');
        return;
      }
      case 'invalid-json':
        sendCompletion(res, record, request, `${answerOf(undefined).slice(0, -1)},}`, 'stop');
        return;
      case 'schema-violation':
        sendCompletion(res, record, request, JSON.stringify({ note: 'Patient seen.', sections: 'none' }), 'stop');
        return;
      case 'refusal':
        sendCompletion(res, record, request, null, 'stop', behavior.message ?? "I'm sorry, I can't help with that.");
        return;
      case 'rate-limit': {
        const headers: Record<string, string> = { 'retry-after': String(behavior.retryAfterSeconds ?? 1) };
        if (behavior.retryAfterMs !== undefined) headers['retry-after-ms'] = String(behavior.retryAfterMs);
        sendError(
          res, record, 429,
          `Rate limit reached for ${request.model} on requests per min (RPM): Limit 3, Used 3, Requested 1.`,
          null, 'rate_limit_exceeded', headers,
        );
        return;
      }
      case 'server-error': {
        const status = behavior.status ?? 500;
        const message = status === 503
          ? 'The engine is currently overloaded, please try again later.'
          : 'The server had an error while processing your request. Sorry about that!';
        sendError(res, record, status, message, null, null, {}, 'server_error');
        return;
      }
      case 'drop':
        record.status = 0;
        res.socket?.destroy();
        return;
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    enqueue(...behaviors) {
      script.push(...behaviors);
    },
    reset() {
      script = [];
      requests.length = 0;
      maxInFlight = inFlight;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function validateRequest(req: IncomingMessage, record: RecordedRequest, options: FakeServerOptions): FakeChatRequest {
  if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/chat/completions') {
    throw new RequestRejected(404, `Invalid URL (${req.method ?? ''} ${req.url ?? ''})`);
  }
  if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
    throw new RequestRejected(401, 'Incorrect API key provided.', null, 'invalid_api_key');
  }
  let body: unknown;
  try {
    body = JSON.parse(record.rawBody);
  } catch {
    throw new RequestRejected(400, 'We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library correctly.)');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RequestRejected(400, 'The request body must be a JSON object.');
  }
  (record as { body: unknown }).body = body;
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model === '') {
    throw new RequestRejected(400, 'you must provide a model parameter', 'model');
  }
  if (!Array.isArray(b.messages) || b.messages.length === 0) {
    throw new RequestRejected(400, "Invalid 'messages': empty array. Expected an array with minimum length 1.", 'messages');
  }
  b.messages.forEach((m: unknown, i) => {
    const msg = m as Record<string, unknown> | null;
    if (typeof msg !== 'object' || msg === null || typeof msg.role !== 'string' || !ROLES.has(msg.role)) {
      throw new RequestRejected(400, `Invalid value for 'messages[${i}].role'.`, `messages[${i}].role`);
    }
    if (typeof msg.content !== 'string' && !Array.isArray(msg.content) && !(msg.role === 'assistant' && msg.content === null)) {
      throw new RequestRejected(400, `Invalid type for 'messages[${i}].content'.`, `messages[${i}].content`);
    }
  });
  checkRange(b, 'temperature', 0, 2);
  checkRange(b, 'top_p', 0, 1);
  for (const key of ['max_tokens', 'max_completion_tokens', 'seed'] as const) {
    if (b[key] !== undefined && !Number.isInteger(b[key])) throw new RequestRejected(400, `Invalid type for '${key}': expected an integer.`, key);
  }
  if (b.n !== undefined && b.n !== 1) throw new RequestRejected(400, 'This fake server supports n=1 only.', 'n');
  if (b.stream === true) throw new RequestRejected(400, 'This fake server does not stream.', 'stream');
  if (b.response_format !== undefined) validateResponseFormat(b.response_format, b.messages, options);
  return b as unknown as FakeChatRequest;
}

function checkRange(body: Record<string, unknown>, key: string, min: number, max: number): void {
  const v = body[key];
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || v < min || v > max) {
    throw new RequestRejected(400, `Invalid '${key}': decimal above maximum value. Expected a value <= ${max}, but got ${String(v)} instead.`, key);
  }
}

function validateResponseFormat(format: unknown, messages: unknown[], options: FakeServerOptions): void {
  const f = format as Record<string, unknown> | null;
  const type = typeof f === 'object' && f !== null ? f.type : undefined;
  if (type === 'text') return;
  if (type === 'json_object') {
    const text = JSON.stringify(messages).toLowerCase();
    if (!text.includes('json')) {
      throw new RequestRejected(400, "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.", 'messages');
    }
    return;
  }
  if (type !== 'json_schema') {
    throw new RequestRejected(400, `Invalid value: '${String(type)}'. Supported values are: 'json_object', 'json_schema', and 'text'.`, 'response_format.type');
  }
  if (options.jsonSchema === false) {
    // What servers without structured outputs answer (vLLM, llama.cpp and others word it variously).
    throw new RequestRejected(400, "response_format type 'json_schema' is not supported; use 'json_object' or 'text'", 'response_format');
  }
  const spec = f!.json_schema as Record<string, unknown> | undefined;
  if (typeof spec !== 'object' || spec === null) {
    throw new RequestRejected(400, "Missing required parameter: 'response_format.json_schema'.", 'response_format.json_schema');
  }
  if (typeof spec.name !== 'string' || !SCHEMA_NAME.test(spec.name)) {
    throw new RequestRejected(400, "Invalid 'response_format.json_schema.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.", 'response_format.json_schema.name');
  }
  if (spec.strict !== true) return;
  const problem = strictSchemaProblem(spec.schema, []);
  if (problem !== undefined) {
    throw new RequestRejected(400, `Invalid schema for response_format '${spec.name}': ${problem}`, 'response_format', 'invalid_json_schema');
  }
}

/** The first strict-mode rule the schema breaks, worded as OpenAI words it; undefined when it obeys them all. */
export function strictSchemaProblem(schema: unknown, context: readonly string[]): string | undefined {
  const where = `In context=(${context.map((c) => `'${c}'`).join(', ')}${context.length === 1 ? ',' : ''})`;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return `${where}, schema must be a JSON Schema object.`;
  const node = schema as Record<string, unknown>;
  if (context.length === 0 && node.type !== 'object') return `${where}, schema must be a JSON Schema of 'type: \"object\"', got 'type: \"${String(node.type)}\"'.`;
  for (const key of Object.keys(node)) {
    if (!STRICT_KEYWORDS.has(key)) return `${where}, '${key}' is not permitted.`;
  }
  const isObject = node.type === 'object' || (Array.isArray(node.type) && node.type.includes('object')) || node.properties !== undefined;
  if (isObject) {
    if (node.additionalProperties !== false) return `${where}, 'additionalProperties' is required to be supplied and to be false.`;
    const props = (node.properties ?? {}) as Record<string, unknown>;
    const required = Array.isArray(node.required) ? (node.required as unknown[]) : undefined;
    const missing = Object.keys(props).filter((k) => required === undefined || !required.includes(k));
    if (missing.length > 0) {
      return `${where}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]!}'.`;
    }
    for (const [name, sub] of Object.entries(props)) {
      const p = strictSchemaProblem(sub, [...context, 'properties', name]);
      if (p !== undefined) return p;
    }
  }
  if (node.items !== undefined) {
    const p = strictSchemaProblem(node.items, [...context, 'items']);
    if (p !== undefined) return p;
  }
  if (Array.isArray(node.anyOf)) {
    for (const [i, sub] of node.anyOf.entries()) {
      const p = strictSchemaProblem(sub, [...context, 'anyOf', String(i)]);
      if (p !== undefined) return p;
    }
  }
  for (const defsKey of ['$defs', 'definitions'] as const) {
    const defs = node[defsKey] as Record<string, unknown> | undefined;
    for (const [name, sub] of Object.entries(defs ?? {})) {
      const p = strictSchemaProblem(sub, [...context, defsKey, name]);
      if (p !== undefined) return p;
    }
  }
  return undefined;
}

function sendError(
  res: ServerResponse,
  record: RecordedRequest,
  status: number,
  message: string,
  param: string | null,
  code: string | null,
  headers: Record<string, string> = {},
  type = status === 429 ? 'requests' : 'invalid_request_error',
): void {
  record.status = status;
  const body = JSON.stringify({ error: { message, type, param, code } });
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function sendCompletion(
  res: ServerResponse,
  record: RecordedRequest,
  request: FakeChatRequest,
  content: string | null,
  finishReason: 'stop' | 'length',
  refusal: string | null = null,
): void {
  record.status = 200;
  const promptTokens = request.messages.reduce((n, m) => n + countTokens(typeof m.content === 'string' ? m.content : JSON.stringify(m.content)), 0);
  const completionTokens = countTokens(content ?? refusal ?? '');
  const body = JSON.stringify({
    id: `chatcmpl-fake-${record.path.length}-${promptTokens}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: request.model,
    system_fingerprint: 'fp_fake',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal }, logprobs: null, finish_reason: finishReason }],
    usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
  });
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
}
