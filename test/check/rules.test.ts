import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../src/check/rules.js';
import type { CheckRule } from '../../src/check/rule.js';

const isRule = (v: unknown): v is CheckRule =>
  typeof v === 'object' && v !== null && typeof (v as CheckRule).id === 'string' && typeof (v as CheckRule).check === 'function';

describe('allRules()', () => {
  it('runs every rule a check module exports, each under its own id', async () => {
    const dir = new URL('../../src/check/', import.meta.url);
    const exported: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts')).sort()) {
      const module = (await import(new URL(file, dir).href)) as Record<string, unknown>;
      for (const value of Object.values(module)) {
        for (const v of Array.isArray(value) ? value : [value]) if (isRule(v)) exported.push(`${file}: ${v.id}`);
      }
    }
    const ids = allRules().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Rules built from knowledge (factories) are not seen here; the broken-cohort fixture guards those.
    expect(exported.length).toBeGreaterThan(20);
    expect(exported.filter((e) => !ids.includes(e.slice(e.indexOf(': ') + 2)))).toEqual([]);
  });
});
