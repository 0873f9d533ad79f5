import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { KnowledgeError } from '../errors.js';

/** Folder of the shipped knowledge files (the same from `src/` under vitest and from `dist/`). */
export const KNOWLEDGE_DIR = new URL('../../src/knowledge/data/', import.meta.url);

/**
 * Reads a knowledge file (JSON or YAML, by extension) and validates it with its zod schema. A file
 * that fails is a packaging bug, reported with the file and the path of the first problem.
 */
export function loadKnowledgeFile<S extends z.ZodType>(name: string, schema: S, dir: URL = KNOWLEDGE_DIR): z.infer<S> {
  const url = new URL(name, dir);
  let raw: unknown;
  try {
    const text = readFileSync(url, 'utf8');
    raw = name.endsWith('.yaml') || name.endsWith('.yml') ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new KnowledgeError(`knowledge file ${name} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue === undefined ? '' : ` at ${issue.path.join('.') || '(root)'}: ${issue.message}`;
    throw new KnowledgeError(`knowledge file ${name} is invalid${where}`);
  }
  return result.data;
}

/** Memoizes a loader so each worker reads and validates a file once. */
export function once<T>(load: () => T): () => T {
  let value: T | undefined;
  let loaded = false;
  return () => {
    if (!loaded) {
      value = load();
      loaded = true;
    }
    return value as T;
  };
}
