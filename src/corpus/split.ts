/**
 * Train / validation / test splits by patient, never by note: all of a patient's notes go to one
 * split, so no model is tested on a patient it has read. The order of patients is a hash of the
 * seed and the patient id: the same seed gives the same split whatever order the notes come in.
 */
import { murmur3String } from '../core/murmur3.js';
import type { CorpusDocument } from './document.js';

export const SPLITS = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

export type SplitRatios = readonly [number, number, number];

/** Parses `80/10/10` (any three non-negative numbers with a positive sum, scaled to shares). */
export function parseSplitRatios(text: string): SplitRatios | undefined {
  const parts = text.split('/').map((p) => p.trim());
  if (parts.length !== 3 || parts.some((p) => !/^\d+(?:\.\d+)?$/.test(p))) return undefined;
  const values = parts.map(Number);
  const sum = values[0]! + values[1]! + values[2]!;
  if (!(sum > 0)) return undefined;
  return [values[0]! / sum, values[1]! / sum, values[2]! / sum];
}

/** Which split each patient belongs to. */
export function assignSplits(patientIds: Iterable<string>, ratios: SplitRatios, seed: number): Map<string, SplitName> {
  const ids = [...new Set(patientIds)];
  const keyed = ids.map((id) => ({ id, h: murmur3String(`${seed}|${id}`) })).sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const n = keyed.length;
  const trainEnd = Math.round(n * ratios[0]);
  const validationEnd = Math.min(n, trainEnd + Math.round(n * ratios[1]));
  const out = new Map<string, SplitName>();
  keyed.forEach(({ id }, i) => out.set(id, i < trainEnd ? 'train' : i < validationEnd ? 'validation' : 'test'));
  return out;
}

/** The documents of each split, in corpus order. */
export function splitDocuments(documents: readonly CorpusDocument[], splitOf: ReadonlyMap<string, SplitName>): Record<SplitName, CorpusDocument[]> {
  const out: Record<SplitName, CorpusDocument[]> = { train: [], validation: [], test: [] };
  for (const d of documents) out[splitOf.get(d.patientId)!].push(d);
  return out;
}

/**
 * `--balance LABEL`: repeats the training notes that carry LABEL (an entity label, a PHI type or
 * an assertion) until it is as frequent as the commonest entity label, at most 10 copies of a
 * note. Copies get ids `<id>-dupK`; validation and test are never touched.
 */
export function balanceTraining(train: readonly CorpusDocument[], label: string): { documents: CorpusDocument[]; added: number } {
  const carries = (d: CorpusDocument) => d.mentions.some((m) => m.label === label || m.assertion === label) || d.phi.some((p) => p.type === label || p.category === label);
  const count = (d: CorpusDocument) => d.mentions.filter((m) => m.label === label || m.assertion === label).length + d.phi.filter((p) => p.type === label || p.category === label).length;
  const labelCounts = new Map<string, number>();
  for (const d of train) for (const m of d.mentions) labelCounts.set(m.label, (labelCounts.get(m.label) ?? 0) + 1);
  const target = Math.max(0, ...labelCounts.values());
  const rare = train.filter(carries);
  let have = rare.reduce((n, d) => n + count(d), 0);
  const out = [...train];
  let added = 0;
  for (let copy = 1; copy <= 10 && have > 0 && have < target; copy++) {
    for (const d of rare) {
      if (have >= target) break;
      out.push({ ...d, id: `${d.id}-dup${copy}` });
      have += count(d);
      added++;
    }
  }
  return { documents: out, added };
}
