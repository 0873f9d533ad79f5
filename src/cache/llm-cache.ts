/**
 * The LLM response cache: a SQLite file (default `cache/llm.sqlite`) mapping a request's hash to the
 * model's validated answer, so a rerun is free and byte-identical. The key hashes provider, model,
 * messages, schema and sampling parameters, nothing else: API keys, base URLs and headers never
 * reach a key or a row.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { IoError } from '../errors.js';

/** `read-write` (default): use and fill; `read-only`: use, never write; `off`: neither. */
export type CacheMode = 'read-write' | 'read-only' | 'off';

export const CACHE_MODES: readonly CacheMode[] = ['read-write', 'read-only', 'off'];

/** Default cache file, relative to the working directory. */
export const DEFAULT_LLM_CACHE_PATH = 'cache/llm.sqlite';

export interface LlmCacheOptions {
  /** SQLite file (`--cache-path`, default `cache/llm.sqlite`); its folder is created. */
  readonly path?: string;
  /** `--cache`, default `read-write`. */
  readonly mode?: CacheMode;
}

/** What identifies one request. Deliberately has no place for credentials. */
export interface LlmCacheKeyParts {
  readonly provider: string;
  readonly model: string;
  readonly messages: readonly { readonly role: string; readonly content: string }[];
  /** The output schema as JSON Schema, with its name. */
  readonly schema: unknown;
  readonly sampling: Readonly<Record<string, number | undefined>>;
}

const cachedResponseSchema = z.object({
  value: z.unknown(),
  raw: z.string(),
  usage: z.object({ promptTokens: z.number().int().nonnegative(), completionTokens: z.number().int().nonnegative() }),
});

/** One stored answer. */
export type CachedResponse = z.infer<typeof cachedResponseSchema>;

export interface LlmCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly writes: number;
}

/** sha256 (hex) of the canonical JSON of the parts. */
export function llmCacheKey(parts: LlmCacheKeyParts): string {
  return createHash('sha256')
    .update(canonicalJson({ v: 1, ...parts }))
    .digest('hex');
}

/** JSON with object keys sorted and undefined members dropped, so equal requests hash equally. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The cache. Synchronous SQLite calls: each is microseconds, far below a model call. */
export class LlmCache {
  readonly mode: CacheMode;
  readonly path: string;
  private readonly db: Database.Database | undefined;
  private readonly select: Database.Statement<[string], { response: string }> | undefined;
  private readonly insert: Database.Statement<[string, string, string, string]> | undefined;
  private hits = 0;
  private misses = 0;
  private writes = 0;

  constructor(options: LlmCacheOptions = {}) {
    this.mode = options.mode ?? 'read-write';
    this.path = options.path ?? DEFAULT_LLM_CACHE_PATH;
    if (this.mode === 'off' || (this.mode === 'read-only' && !existsSync(this.path))) return;
    try {
      if (this.mode === 'read-write') mkdirSync(dirname(this.path), { recursive: true });
      this.db = new Database(this.path, { readonly: this.mode === 'read-only', fileMustExist: this.mode === 'read-only' });
      if (this.mode === 'read-write') {
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('busy_timeout = 5000');
        this.db.exec(
          'CREATE TABLE IF NOT EXISTS llm_responses (key TEXT PRIMARY KEY, provider TEXT NOT NULL, model TEXT NOT NULL, response TEXT NOT NULL) WITHOUT ROWID',
        );
      }
      this.select = this.db.prepare('SELECT response FROM llm_responses WHERE key = ?');
      if (this.mode === 'read-write') {
        this.insert = this.db.prepare('INSERT OR REPLACE INTO llm_responses (key, provider, model, response) VALUES (?, ?, ?, ?)');
      }
    } catch (error) {
      throw new IoError(`cannot open the LLM cache ${this.path}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** The stored answer for a key, counting a hit or a miss; rows that fail their schema count as misses. */
  get(key: string): CachedResponse | undefined {
    if (this.select === undefined) {
      if (this.mode !== 'off') this.misses++;
      return undefined;
    }
    const row = this.select.get(key);
    const parsed = row === undefined ? undefined : safeParseRow(row.response);
    if (parsed === undefined) this.misses++;
    else this.hits++;
    return parsed;
  }

  /** Stores an answer (read-write mode only). */
  put(key: string, provider: string, model: string, response: CachedResponse): void {
    if (this.insert === undefined) return;
    this.insert.run(key, provider, model, JSON.stringify(response));
    this.writes++;
  }

  stats(): LlmCacheStats {
    return { hits: this.hits, misses: this.misses, writes: this.writes };
  }

  close(): void {
    this.db?.close();
  }
}

function safeParseRow(text: string): CachedResponse | undefined {
  try {
    const result = cachedResponseSchema.safeParse(JSON.parse(text));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
