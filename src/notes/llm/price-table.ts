/**
 * Prices per million tokens, from a knowledge file the user can replace (`--llm-prices FILE`),
 * and the cost estimate of a usage.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { InputError, KnowledgeError } from '../../errors.js';
import type { TokenUsage } from './note-model.js';

const priceSchema = z.object({ input: z.number().nonnegative(), output: z.number().nonnegative() }).strict();

export const priceTableSchema = z
  .object({
    currency: z.string().min(1),
    perMillionTokens: z.record(z.string().min(1), priceSchema),
  })
  .strict();

export type PriceTable = z.infer<typeof priceTableSchema>;
export type ModelPrice = z.infer<typeof priceSchema>;

/** The bundled table (`src/knowledge/data/llm-prices.yaml`; the same path from `dist/`). */
export const DEFAULT_PRICE_TABLE_PATH = fileURLToPath(new URL('../../../src/knowledge/data/llm-prices.yaml', import.meta.url));

/** Loads a price table: the bundled one by default, or the user's file. */
export async function loadPriceTable(path?: string): Promise<PriceTable> {
  const file = path ?? DEFAULT_PRICE_TABLE_PATH;
  let data: unknown;
  try {
    data = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    const message = `cannot read price table: ${(error as Error).message}`;
    throw path === undefined ? new KnowledgeError(`${file}: ${message}`, { cause: error }) : new InputError(message, file, { cause: error });
  }
  const result = priceTableSchema.safeParse(data);
  if (!result.success) {
    const message = `not a price table: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`;
    throw path === undefined ? new KnowledgeError(`${file}: ${message}`) : new InputError(message, file);
  }
  return result.data;
}

/** The price of a model: exact name, else the longest listed prefix; undefined when unlisted. */
export function priceOf(table: PriceTable, model: string): ModelPrice | undefined {
  const exact = table.perMillionTokens[model];
  if (exact !== undefined) return exact;
  let best: string | undefined;
  for (const name of Object.keys(table.perMillionTokens)) {
    if (model.startsWith(name) && (best === undefined || name.length > best.length)) best = name;
  }
  return best === undefined ? undefined : table.perMillionTokens[best];
}

/** Estimated cost of a usage, in the table's currency; undefined when the model is unlisted. */
export function estimateCost(table: PriceTable, model: string, usage: TokenUsage): number | undefined {
  const price = priceOf(table, model);
  if (price === undefined) return undefined;
  return (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1_000_000;
}
