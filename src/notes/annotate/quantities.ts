/**
 * Sides, counts and amounts a note states (`note-quantities.yaml`): "left ear", "otalgia on the
 * right", "three prior admissions", "second course of chemotherapy", "on 4 medications",
 * "40 pack-years", "6 beers a week". The sides a sheet gives each site are read the same way from
 * its facts' names, so a note's side is checked against the record's in the same words.
 */
import { z } from 'zod';
import { KnowledgeError } from '../../errors.js';
import { loadKnowledgeFile, once } from '../../knowledge/load.js';
import type { FactSheet } from '../facts.js';
import { memoByText } from './text-memo.js';
import { tokenize, TokenTrie, type Tokens } from './tokens.js';
import type { QuantityMention, Side } from './types.js';

const schema = z.object({
  laterality: z.object({
    sides: z.object({ left: z.array(z.string().min(1)), right: z.array(z.string().min(1)), bilateral: z.array(z.string().min(1)) }).strict(),
    sites: z.array(z.array(z.string().min(1)).min(1)),
    implied: z.array(z.object({ site: z.string().min(1), side: z.enum(['left', 'right', 'bilateral']), by: z.array(z.string().min(1)) }).strict()),
  }).strict(),
  counts: z.object({
    events: z.array(z.string().min(1)),
    listed: z.object({ medication: z.array(z.string().min(1)) }).strict(),
    numbers: z.record(z.string(), z.number().int().positive()),
    ordinals: z.array(z.string().min(1)),
  }).strict(),
  amounts: z.object({ tobacco: z.array(z.string().min(1)), alcohol: z.array(z.string().min(1)) }).strict(),
}).strict();

type Noun = { kind: 'event' } | { kind: 'listed'; what: 'medication' } | { kind: 'tobacco' } | { kind: 'alcohol' };

interface QuantityLexicon {
  readonly sides: TokenTrie<Side>;
  readonly sites: TokenTrie<number>;
  readonly nouns: TokenTrie<Noun>;
  readonly numbers: ReadonlyMap<string, number>;
  readonly ordinals: ReadonlySet<string>;
  /** Names that imply a side of a site, as "group:side" keys. */
  readonly implied: TokenTrie<string>;
}

const lexicon = once((): QuantityLexicon => {
  const data = loadKnowledgeFile('note-quantities.yaml', schema);
  const sides = new TokenTrie<Side>();
  for (const side of ['left', 'right', 'bilateral'] as const) for (const w of data.laterality.sides[side]) sides.add(w, side);
  const sites = new TokenTrie<number>();
  data.laterality.sites.forEach((group, k) => group.forEach((w) => sites.add(w, k)));
  const nouns = new TokenTrie<Noun>();
  for (const w of data.counts.events) nouns.add(w, { kind: 'event' });
  for (const w of data.counts.listed.medication) nouns.add(w, { kind: 'listed', what: 'medication' });
  for (const w of data.amounts.tobacco) nouns.add(w, { kind: 'tobacco' });
  for (const w of data.amounts.alcohol) nouns.add(w, { kind: 'alcohol' });
  const implied = new TokenTrie<string>();
  for (const rule of data.laterality.implied) {
    const group = data.laterality.sites.findIndex((g) => g.includes(rule.site));
    if (group < 0) throw new KnowledgeError(`note-quantities.yaml: implied site ${rule.site} is in no site group`);
    for (const w of rule.by) implied.add(w, `${group}:${rule.side}`);
  }
  return { implied, sides, sites, nouns, numbers: new Map(Object.entries(data.counts.numbers)), ordinals: new Set(data.counts.ordinals.map((o) => o.toLowerCase())) };
});

/** Words that may stand between a side and its site ("left lower lobe", "right TM", "left distal forearm"). */
const BETWEEN = new Set(['upper', 'lower', 'middle', 'distal', 'proximal', 'lateral', 'medial', 'anterior', 'posterior', 'inner', 'outer', 'external', 'middle', 'the', 'sided']);
/** Words between a number and what it counts ("three prior admissions", "2 previous courses of"). */
const COUNT_BETWEEN = new Set(['prior', 'previous', 'past', 'earlier', 'recent', 'more', 'other', 'total', 'separate', 'daily', 'current', 'different', 'standard', 'scheduled', 'of', 'chemotherapy', 'inpatient', 'hospital']);

/** Tokens that end a phrase: any punctuation but a hyphen, apostrophe or slash inside a word. */
const isBreak = (t: string) => t.length === 1 && !/[A-Za-z0-9\u00C0-\u024F\-'’]/.test(t);

/** The sides each site group has in `texts` (the sheet's names), as "group:side" keys. */
export function sidesOf(texts: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const t of texts) for (const key of sidesOfText(t)) out.add(key);
  return out;
}

/** One text's "group:side" keys, in the order {@link sidesOf} adds them; names recur across sheets, so kept. */
const sidesOfText = memoByText((t: string): readonly string[] => {
  const out: string[] = [];
  const tokens = tokenize(t);
  for (const m of quantityMentions(tokens)) if (m.kind === 'laterality') out.push(`${m.site}:${m.side}`);
  for (const h of lexicon().implied.find(tokens)) out.push(h.concept);
  return out;
});

/** Site groups `texts` name, with or without a side. */
export function sitesNamed(texts: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const t of texts) for (const site of sitesOfText(t)) out.add(site);
  return out;
}

const sitesOfText = memoByText((t: string): readonly number[] => lexicon().sites.find(tokenize(t)).map((h) => h.concept));

/** Every side, count and amount the tokens state, in text order. */
export function quantityMentions(tokens: Tokens): QuantityMention[] {
  const lx = lexicon();
  const { text, starts, ends, raw, lower } = tokens;
  const out: QuantityMention[] = [];
  const sites = lx.sites.find(tokens);
  const siteAt = new Map(sites.map((h) => [h.first, h]));
  for (const hit of lx.sides.find(tokens)) {
    // "L"/"R" only in capitals and never as a unit's last letter ("mg/L").
    if (hit.text.length === 1 && (hit.text !== hit.text.toUpperCase() || text[hit.start - 1] === '/')) continue;
    // "left ear", "left lower lobe": the site follows within three words of the clause.
    let found: (typeof sites)[number] | undefined;
    for (let j = hit.last + 1; j < raw.length && j <= hit.last + 4; j++) {
      found = siteAt.get(j);
      if (found !== undefined) break;
      if (isBreak(raw[j]!) ? raw[j] !== '-' : !BETWEEN.has(lower[j]!)) break;
    }
    // "otalgia on the right", "ear pain, right": the site comes first.
    if (found === undefined) {
      const before = sites.filter((s) => s.last < hit.first && hit.first - s.last <= 4).at(-1);
      if (before !== undefined && lower.slice(before.last + 1, hit.first).every((w) => ['on', 'the', 'of', 'side', 'pain', 'tenderness', 'swelling', ','].includes(w))) found = before;
    }
    if (found === undefined) continue;
    const start = Math.min(hit.start, found.start);
    const end = Math.max(hit.end, found.end);
    out.push({ start, end, text: text.slice(start, end), kind: 'laterality', side: hit.concept, site: found.concept });
  }
  for (const hit of lx.nouns.find(tokens)) {
    // The count or amount before the noun: a number, a number word, an ordinal ("40 pack-years", "three prior admissions", "second course").
    let j = hit.first - 1;
    while (j >= 0 && j >= hit.first - 3 && COUNT_BETWEEN.has(lower[j]!)) j--;
    if (j >= 0 && raw[j] === '-' && j > 0) j--;
    if (j < 0) continue;
    const w = lower[j]!;
    let count: number | undefined;
    let ordinal = false;
    if (/^\d+(?:\.\d+)?$/.test(w) && !(j > 0 && raw[j - 1] === '.' && ends[j - 2] === starts[j - 1])) count = Number(w);
    else if (lx.numbers.has(w)) count = lx.numbers.get(w);
    else if (lx.ordinals.has(w)) ordinal = true;
    else if ((w === 'half' || w === 'a') && (hit.concept.kind === 'tobacco' || hit.concept.kind === 'alcohol') && /^(?:day|week|daily|weekly)$/.test(lower[hit.last] ?? '')) count = w === 'half' ? 0.5 : 1;
    if (count === undefined && !ordinal) continue;
    // "2\n\nHOSPITAL COURSE": a number and a heading on another line count nothing.
    if (text.slice(starts[j]!, hit.start).includes('\n')) continue;
    // A decimal's integer part ("1.5 ppd") reads back to its start.
    let first = j;
    if (j >= 2 && raw[j - 1] === '.' && /^\d+$/.test(raw[j - 2]!) && ends[j - 2] === starts[j - 1]) {
      first = j - 2;
      count = Number(`${raw[j - 2]}.${raw[j]}`);
    }
    const start = starts[first]!;
    const { kind } = hit.concept;
    const m: QuantityMention = {
      start, end: hit.end, text: text.slice(start, hit.end),
      kind: kind === 'event' || kind === 'listed' ? 'count' : kind,
      ...(count === undefined ? {} : { count }),
      ...(ordinal ? { ordinal: true } : {}),
      ...(kind === 'listed' ? { listed: hit.concept.what } : {}),
    };
    out.push(m);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Site keys and site groups the sheet names (built once per sheet by the caller). */
export function sheetSides(sheet: FactSheet): { sides: Set<string>; sites: Set<number> } {
  const texts = [
    ...sheet.facts.flatMap((f) => [f.label, ...(f.synonyms ?? []), ...(f.code === undefined ? [] : [f.code.display])]),
    sheet.encounter.reason ?? '', sheet.encounter.chiefComplaint ?? '', sheet.encounter.type,
  ];
  return { sides: sidesOf(texts), sites: sitesNamed(texts) };
}
