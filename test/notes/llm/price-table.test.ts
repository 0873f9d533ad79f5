import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { estimateCost, loadPriceTable, priceOf } from '../../../src/notes/llm/price-table.js';

describe('price table', () => {
  it('prices models by exact name or longest prefix', async () => {
    const table = await loadPriceTable();
    expect(priceOf(table, 'gpt-4o-mini-2024-07-18')).toEqual(table.perMillionTokens['gpt-4o-mini']);
    expect(priceOf(table, 'gpt-4o-2024-08-06')).toEqual(table.perMillionTokens['gpt-4o']);
    expect(priceOf(table, 'some-private-model')).toBeUndefined();
    expect(estimateCost(table, 'gpt-4o-mini', { promptTokens: 1_000_000, completionTokens: 500_000 })).toBeCloseTo(0.45, 10);
  });

  it('can be replaced by the user, and says which file is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-prices-'));
    const path = join(dir, 'prices.yaml');
    writeFileSync(path, 'currency: EUR\nperMillionTokens:\n  my-model: { input: 1, output: 2 }\n');
    const table = await loadPriceTable(path);
    expect(estimateCost(table, 'my-model', { promptTokens: 2_000_000, completionTokens: 1_000_000 })).toBe(4);
    writeFileSync(path, 'currency: EUR\nperMillionTokens:\n  my-model: { input: -1 }\n');
    const error = await loadPriceTable(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(path);
  });
});
