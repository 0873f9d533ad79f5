/**
 * The detector's quality on a labelled set built here: edited copies of reference documents (the
 * self-written set and template notes) at edit rates that spread their true 5-gram Jaccard over
 * 0.3-1.0, 60-token passages of references planted at the start, middle and end of fresh notes,
 * and distinct notes. Truth is brute force: exact Jaccard over string sets, shared spans by dynamic
 * programming over every position pair.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryIndex } from '../../src/dedup/memory-index.js';
import type { normalizeText } from '../../src/dedup/normalize.js';
import { createSigner, prepareText, type DedupDocument } from '../../src/dedup/prepared-text.js';
import { resolveDedupParams } from '../../src/dedup/settings.js';
import type { DocumentMatches } from '../../src/dedup/findings.js';
import { bruteForceSharedSpans, editText, naiveJaccard, normalizeLikeDetector, prng, referenceDocuments, templateNotes } from './support.js';

const RATES = [0, 0.004, 0.008, 0.012, 0.016, 0.02, 0.025, 0.03, 0.04, 0.05, 0.065, 0.08, 0.1];
const params = resolveDedupParams({});
const signer = createSigner(params);

interface Labelled {
  readonly doc: DedupDocument;
  readonly kind: 'copy' | 'plant' | 'distinct';
  /** The reference a copy was made from or a passage was planted from. */
  readonly source?: string;
  /** Plants: where the passage sits in the query (character offsets). */
  readonly planted?: { start: number; end: number; refStart: number; refEnd: number };
}

let references: DedupDocument[];
let queries: Labelled[];
let index: MemoryIndex;
const results = new Map<string, DocumentMatches>();
const candidateSets = new Map<string, Set<string>>();

function pairKey(a: string, b: string): string {
  return `${a} | ${b}`;
}

beforeAll(async () => {
  references = [...referenceDocuments(), ...(await templateNotes(5, 0, 8, 5))];
  const fresh = await templateNotes(5, 40, 12, 6);
  const random = prng(7);
  queries = [];
  for (const ref of references) {
    for (const rate of RATES) queries.push({ doc: { id: `copy:${ref.id}@${rate}`, text: editText(ref.text, rate, random) }, kind: 'copy', source: ref.id });
  }
  // 60-token passages of the self-written references, planted at the start, middle or end of fresh notes.
  const selfWritten = referenceDocuments();
  selfWritten.forEach((ref, r) => {
    const n = normalizeLikeDetector(ref.text);
    const from = 20 + r * 3;
    const refStart = n.starts[from]!;
    const refEnd = n.ends[from + 59]!;
    const passage = ref.text.slice(refStart, refEnd);
    (['start', 'middle', 'end'] as const).forEach((where, w) => {
      const host = fresh[(r * 3 + w) % fresh.length]!.text;
      const cut = where === 'start' ? 0 : where === 'end' ? host.length : host.indexOf('\n', Math.floor(host.length / 2)) + 1;
      const text = `${host.slice(0, cut)}${where === 'start' ? '' : '\n'}${passage}\n${host.slice(cut)}`;
      const start = cut + (where === 'start' ? 0 : 1);
      queries.push({ doc: { id: `plant:${ref.id}@${where}`, text }, kind: 'plant', source: ref.id, planted: { start, end: start + passage.length, refStart, refEnd } });
    });
  });
  for (const doc of await templateNotes(5, 100, 15, 4)) queries.push({ doc: { id: `distinct:${doc.id}`, text: doc.text }, kind: 'distinct' });

  index = new MemoryIndex(signer);
  for (const ref of references) index.add(ref, prepareText(ref.text, undefined, signer));
  for (const q of queries) {
    const prepared = prepareText(q.doc.text, undefined, signer);
    results.set(q.doc.id, index.check(q.doc, prepared));
    candidateSets.set(q.doc.id, new Set(index.candidates(prepared.bandKeys).map((o) => index.idOf(o))));
  }
});

describe('near duplicates (MinHash LSH, confirmed by exact Jaccard)', () => {
  it('spreads the true Jaccard of edited copies over 0.3-1.0', () => {
    const truths = queries.filter((q) => q.kind === 'copy').map((q) => naiveJaccard(q.doc.text, references.find((r) => r.id === q.source)!.text));
    const share = (lo: number, hi: number): number => truths.filter((j) => j >= lo && j < hi).length / truths.length;
    expect(share(0.3, 0.6)).toBeGreaterThan(0.15);
    expect(share(0.6, 0.8)).toBeGreaterThan(0.1);
    expect(share(0.8, 1.01)).toBeGreaterThan(0.25);
    expect(Math.min(...truths)).toBeLessThan(0.35);
  });

  it('reaches precision and recall >= 0.97 at the default threshold, and flags nothing below it', () => {
    const truth = new Set<string>();
    const lshCandidates = new Set<string>();
    for (const q of queries) {
      for (const ref of references) {
        if (naiveJaccard(q.doc.text, ref.text) >= params.jaccard) truth.add(pairKey(q.doc.id, ref.id));
        if (candidateSets.get(q.doc.id)!.has(ref.id)) lshCandidates.add(pairKey(q.doc.id, ref.id));
      }
    }
    const flagged = new Set<string>();
    for (const [id, m] of results) for (const n of m.near) flagged.add(pairKey(id, n.referenceId));
    const tp = [...flagged].filter((k) => truth.has(k)).length;
    const precision = flagged.size === 0 ? 1 : tp / flagged.size;
    const recall = truth.size === 0 ? 1 : tp / truth.size;
    const candidateRecall = [...truth].filter((k) => lshCandidates.has(k)).length / truth.size;
    const candidatePrecision = [...lshCandidates].filter((k) => truth.has(k)).length / lshCandidates.size;
    console.log(
      `near duplicates at Jaccard ${params.jaccard} (${params.bands} bands x ${params.rows} rows): ${truth.size} true pairs, ${flagged.size} flagged; ` +
        `precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}; LSH candidates alone: recall ${candidateRecall.toFixed(3)}, precision ${candidatePrecision.toFixed(3)} (${lshCandidates.size} pairs)`,
    );
    expect(truth.size).toBeGreaterThan(100);
    expect(precision).toBeGreaterThanOrEqual(0.97);
    expect(recall).toBeGreaterThanOrEqual(0.97);
    for (const [, m] of results) for (const n of m.near) expect(n.jaccard).toBeGreaterThanOrEqual(params.jaccard);
  });
});

describe('exact overlap (shared spans of >= 50 tokens)', () => {
  const normalized = new Map<string, ReturnType<typeof normalizeText>>();
  const norm = (text: string): ReturnType<typeof normalizeText> => {
    let n = normalized.get(text);
    if (n === undefined) normalized.set(text, (n = normalizeLikeDetector(text)));
    return n;
  };
  /** Brute-force spans against every reference, or only against `only`. */
  function truthFor(q: Labelled, only?: string): Set<string> {
    const out = new Set<string>();
    const qn = norm(q.doc.text);
    for (const ref of references) {
      if (only !== undefined && ref.id !== only) continue;
      const rn = norm(ref.text);
      for (const s of bruteForceSharedSpans(qn.tokens, rn.tokens, params.minSpan)) {
        out.add(`${ref.id} ${qn.starts[s.queryStart]}-${qn.ends[s.queryStart + s.length - 1]} ${rn.starts[s.referenceStart]}-${rn.ends[s.referenceStart + s.length - 1]} ${s.length}`);
      }
    }
    return out;
  }
  const found = (q: Labelled, only?: string): Set<string> =>
    new Set(
      // Value lists are spans too: the detector finds them all, then splits them off by their prose.
      [...results.get(q.doc.id)!.exact, ...results.get(q.doc.id)!.valueLists]
        .filter((e) => only === undefined || e.reference.id === only)
        .map((e) => `${e.reference.id} ${e.query.start}-${e.query.end} ${e.reference.start}-${e.reference.end} ${e.tokens}`),
    );

  it('finds every planted passage where it was planted, in both texts, with the reference id (recall 1.0)', () => {
    const plants = queries.filter((q) => q.kind === 'plant');
    expect(plants).toHaveLength(24);
    for (const q of plants) {
      const hit = results.get(q.doc.id)!.exact.find((e) => e.reference.id === q.source);
      expect(hit, q.doc.id).toBeDefined();
      // The span holds the planted passage (it may grow where the host's neighbouring words happen to match).
      expect(hit!.query.start).toBeLessThanOrEqual(q.planted!.start);
      expect(hit!.query.end).toBeGreaterThanOrEqual(q.planted!.end);
      expect(hit!.reference.start).toBeLessThanOrEqual(q.planted!.refStart);
      expect(hit!.reference.end).toBeGreaterThanOrEqual(q.planted!.refEnd);
      expect(q.doc.text.slice(hit!.query.start, hit!.query.end)).toContain(q.doc.text.slice(q.planted!.start, q.planted!.end));
      expect(found(q)).toEqual(truthFor(q));
    }
  });

  it('reports exactly the brute-force spans on copies and distinct notes (recall 1.0, no false positive)', () => {
    let spans = 0;
    // Copies against the document they were made from; distinct notes against every reference.
    for (const q of queries.filter((x) => x.kind !== 'plant')) {
      const truth = truthFor(q, q.source);
      spans += truth.size;
      expect(found(q, q.source), q.doc.id).toEqual(truth);
      for (const e of results.get(q.doc.id)!.exact) expect(e.proseTokens).toBeGreaterThanOrEqual(params.minSpan);
      for (const e of results.get(q.doc.id)!.valueLists) expect(e.proseTokens).toBeLessThan(params.minSpan);
    }
    expect(spans).toBeGreaterThan(100);
  });

  it('flags no distinct note that shares nothing with the references', () => {
    const distinct = queries.filter((q) => q.kind === 'distinct');
    let clean = 0;
    for (const q of distinct) {
      const m = results.get(q.doc.id)!;
      const truthNear = references.some((r) => naiveJaccard(q.doc.text, r.text) >= params.jaccard);
      if (!truthNear && truthFor(q).size === 0) {
        clean++;
        expect(m.exact, q.doc.id).toEqual([]);
        expect(m.near, q.doc.id).toEqual([]);
      }
    }
    expect(clean).toBeGreaterThan(distinct.length / 2);
  });
});
