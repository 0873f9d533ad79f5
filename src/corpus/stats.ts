/** Counts the datasheet and the command's summary report: labels, assertions, PHI, splits, lengths, distinct-n. */
import { PHI_CATEGORIES, PHI_TYPES } from '../notes/phi/phi-tags.js';
import type { CorpusDocument } from './document.js';
import { SPLITS, type SplitName } from './split.js';
import { tokenize } from './tokens.js';

export interface CorpusStats {
  readonly notes: number;
  readonly patients: number;
  readonly bySplit: Record<SplitName, { notes: number; patients: number; entities: number; phi: number }>;
  readonly labels: Record<string, number>;
  readonly assertions: Record<string, Record<string, number>>;
  readonly phiCategories: Record<string, number>;
  readonly phiTypes: Record<string, number>;
  readonly relations: Record<string, number>;
  readonly noteTypes: Record<string, number>;
  readonly chars: { mean: number; median: number; p90: number; max: number };
  readonly tokens: { total: number; mean: number };
  /** Distinct n-grams over all n-grams of the corpus's word tokens (Li et al. 2016). */
  readonly distinct: { 1: number; 2: number; 3: number };
  readonly coded: number;
  readonly linked: number;
}

function bump(map: Record<string, number>, key: string, n = 1): void {
  map[key] = (map[key] ?? 0) + n;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * Distinct-n over the first `limit` word tokens of the corpus (a fixed sample keeps it linear and
 * stable); words are interned to numbers so n-grams are numeric keys, not joined strings.
 */
function distinctN(documents: readonly CorpusDocument[], limit = 1_000_000): { 1: number; 2: number; 3: number; total: number } {
  const ids = new Map<string, number>();
  const bigramIds = new Map<number, number>();
  const trigrams = new Set<number>();
  const totals = [0, 0, 0];
  let total = 0;
  for (const d of documents) {
    const { count, starts, ends } = tokenize(d.text);
    total += count;
    if (total > limit) continue;
    // N-grams run across sentence ends within a note, never from one note into the next.
    let prev = -1;
    let prevBigram = -1;
    for (let t = 0; t < count; t++) {
      const word = d.text.slice(starts[t], ends[t]).toLowerCase();
      let id = ids.get(word);
      if (id === undefined) ids.set(word, (id = ids.size));
      totals[0]!++;
      if (prev >= 0) {
        const key = prev * 2_097_152 + id;
        let b = bigramIds.get(key);
        if (b === undefined) bigramIds.set(key, (b = bigramIds.size));
        totals[1]!++;
        if (prevBigram >= 0) {
          trigrams.add(prevBigram * 2_097_152 + id);
          totals[2]!++;
        }
        prevBigram = b;
      }
      prev = id;
    }
  }
  const ratio = (k: number, size: number) => (totals[k] === 0 ? 0 : size / totals[k]!);
  return { 1: ratio(0, ids.size), 2: ratio(1, bigramIds.size), 3: ratio(2, trigrams.size), total };
}

export function corpusStats(splits: Readonly<Record<SplitName, readonly CorpusDocument[]>>): CorpusStats {
  const all = SPLITS.flatMap((s) => splits[s]);
  const labels: Record<string, number> = {};
  const assertions: Record<string, Record<string, number>> = {};
  const phiCategories: Record<string, number> = Object.fromEntries(PHI_CATEGORIES.map((c) => [c, 0]));
  const phiTypes: Record<string, number> = Object.fromEntries(PHI_TYPES.map((t) => [t, 0]));
  const relations: Record<string, number> = {};
  const noteTypes: Record<string, number> = {};
  let coded = 0;
  let linked = 0;
  const bySplit = Object.fromEntries(SPLITS.map((s) => [s, { notes: 0, patients: 0, entities: 0, phi: 0 }])) as CorpusStats['bySplit'];
  for (const split of SPLITS) {
    const patients = new Set<string>();
    for (const d of splits[split]) {
      patients.add(d.patientId);
      bySplit[split].notes++;
      bySplit[split].entities += d.mentions.length;
      bySplit[split].phi += d.phi.length;
      bump(noteTypes, d.noteType);
      for (const m of d.mentions) {
        bump(labels, m.label);
        bump((assertions[m.label] ??= {}), m.assertion);
        if (m.code !== undefined) coded++;
        if (m.resourceId !== undefined) linked++;
      }
      for (const p of d.phi) {
        bump(phiCategories, p.category);
        bump(phiTypes, p.type);
      }
      for (const r of d.relations) bump(relations, r.type);
    }
    bySplit[split].patients = patients.size;
  }
  const lengths = all.map((d) => d.text.length).sort((a, b) => a - b);
  const distinct = distinctN(all);
  return {
    notes: all.length,
    patients: new Set(all.map((d) => d.patientId)).size,
    bySplit,
    labels,
    assertions,
    phiCategories,
    phiTypes,
    relations,
    noteTypes,
    chars: { mean: lengths.length === 0 ? 0 : lengths.reduce((a, b) => a + b, 0) / lengths.length, median: quantile(lengths, 0.5), p90: quantile(lengths, 0.9), max: lengths.at(-1) ?? 0 },
    tokens: { total: distinct.total, mean: all.length === 0 ? 0 : distinct.total / all.length },
    distinct: { 1: distinct[1], 2: distinct[2], 3: distinct[3] },
    coded,
    linked,
  };
}
