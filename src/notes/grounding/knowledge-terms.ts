/**
 * The names the knowledge files can put in a record: every SNOMED CT disorder and every RxNorm drug
 * coded anywhere under `src/knowledge/data/`, found by walking the files' data rather than by
 * listing them, so a new condition module or drug pathway is known to the grounding checks the day
 * it lands.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { KNOWLEDGE_DIR } from '../../knowledge/load.js';
import { SYSTEMS } from '../../record/types.js';
import { drugName } from '../drug-names.js';
import { plainDisplay } from '../plain-display.js';

export interface KnowledgeTerms {
  /** Plain displays of the disorders, e.g. "Chronic obstructive lung disease". */
  readonly conditions: readonly string[];
  /** Drug ingredients with their brands, e.g. { name: "metformin", synonyms: [] }. */
  readonly drugs: readonly { readonly name: string; readonly synonyms: readonly string[] }[];
}

/** Files that hold no chart codes, or only the vocabulary itself. */
const SKIP = new Set(['note-vocabulary.yaml', 'note-lab-names.yaml', 'llm-prices.yaml']);

function filesUnder(dir: URL): URL[] {
  const out: URL[] = [];
  for (const name of readdirSync(dir).sort()) {
    const url = new URL(name, dir);
    if (statSync(url).isDirectory()) out.push(...filesUnder(new URL(`${name}/`, dir)));
    else if (/\.(?:json|ya?ml)$/.test(name) && !SKIP.has(name)) out.push(url);
  }
  return out;
}

function walk(value: unknown, visit: (coding: { system: string; display: string }) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) walk(v, visit);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const o = value as Record<string, unknown>;
  if (typeof o['system'] === 'string' && typeof o['display'] === 'string') visit({ system: o['system'], display: o['display'] });
  for (const v of Object.values(o)) walk(v, visit);
}

/** Reads every knowledge file once; callers memoize through the vocabulary loader. */
export function knowledgeTerms(dir: URL = KNOWLEDGE_DIR): KnowledgeTerms {
  const conditions = new Set<string>();
  const drugs = new Map<string, Set<string>>();
  for (const file of filesUnder(dir)) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes(SYSTEMS.snomed) && !text.includes(SYSTEMS.rxnorm)) continue;
    const data: unknown = file.pathname.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    walk(data, ({ system, display }) => {
      if (system === SYSTEMS.snomed && display.endsWith('(disorder)')) conditions.add(plainDisplay(display));
      if (system === SYSTEMS.rxnorm) {
        const name = drugName(display);
        const brand = name.synonyms.filter((s) => /^[A-Z]/.test(s));
        for (const ingredient of name.ingredients) {
          const set = drugs.get(ingredient) ?? new Set<string>();
          if (name.ingredients.length === 1) for (const b of brand) set.add(b);
          drugs.set(ingredient, set);
        }
      }
    });
  }
  return {
    conditions: [...conditions].sort(),
    drugs: [...drugs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, synonyms]) => ({ name, synonyms: [...synonyms].sort() })),
  };
}
