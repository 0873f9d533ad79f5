/**
 * Exam findings and signs ("wheezing", "rales", "edema", "jaundice": `note-findings.yaml`) the note
 * asserts or denies, each judged against what the record holds: the fact sheet's exam findings,
 * symptoms, problems, allergy reactions, chief complaint and encounter reason, read with the same ConText rules (a sheet finding
 * "Expiratory wheezes, no crackles" holds wheezing, not crackles).
 */
import { z } from 'zod';
import { loadKnowledgeFile, once } from '../../knowledge/load.js';
import type { FactSheet } from '../facts.js';
import { contextScopes, type ContextScopes } from './context.js';
import { longestFirst, type Lexicon } from './lexicon.js';
import { memoByText } from './text-memo.js';
import { tokenize, TokenTrie, type Tokens } from './tokens.js';
import type { FindingMention } from './types.js';

const findingsSchema = z
  .object({
    source: z.string().min(10),
    findings: z.array(z.object({ name: z.string().min(1), synonyms: z.array(z.string().min(1)) }).strict()).min(1),
  })
  .strict();

/** Finding names by term, as a token trie. */
export const findingTrie = once((): TokenTrie<string> => {
  const t = new TokenTrie<string>();
  for (const f of loadKnowledgeFile('note-findings.yaml', findingsSchema).findings) for (const term of [f.name, ...f.synonyms]) t.add(term, f.name);
  return t;
});

/**
 * The findings the record holds at the visit (exam findings, symptoms, chief complaint, reason), and
 * those it names anywhere (also problems and allergy reactions: "Mold (wheezing)" backs a note's
 * "wheezing with mold exposure", but does not make an exam's "no wheezes" a contradiction).
 */
interface RecordFindings {
  readonly now: ReadonlySet<string>;
  readonly named: ReadonlySet<string>;
}

const AT_VISIT: ReadonlySet<string> = new Set(['finding', 'symptom']);
const NAMING: ReadonlySet<string> = new Set(['problem', 'allergy']);

const bySheet = new WeakMap<FactSheet, RecordFindings>();

/** The findings a text holds (named and not denied), in text order; texts recur across sheets, so kept per lexicon. */
const heldCache = new WeakMap<Lexicon, (text: string) => readonly string[]>();
function heldBy(lexicon: Lexicon): (text: string) => readonly string[] {
  let held = heldCache.get(lexicon);
  if (held === undefined) {
    held = memoByText((text) => {
      const tokens = tokenize(text);
      const scopes = contextScopes(tokens, lexicon, []);
      return longestFirst(findingTrie().find(tokens)).filter((h) => scopes.assertionOf(h.start, h.end) !== 'negated').map((h) => h.concept);
    });
    heldCache.set(lexicon, held);
  }
  return held;
}

function recordFindings(sheet: FactSheet, lexicon: Lexicon): RecordFindings {
  const hit = bySheet.get(sheet);
  if (hit !== undefined) return hit;
  const now = new Set<string>();
  const named = new Set<string>();
  const held = heldBy(lexicon);
  const read = (text: string, into: Set<string>[]) => {
    if (text === '') return;
    for (const concept of held(text)) for (const s of into) s.add(concept);
  };
  for (const f of sheet.facts) {
    // An exam finding's synonym is its exam system ("Lungs").
    const texts = f.kind === 'finding' ? [f.label] : [f.label, ...(f.synonyms ?? [])];
    if (AT_VISIT.has(f.kind)) for (const t of texts) read(t, [now, named]);
    else if (NAMING.has(f.kind)) for (const t of texts) read(t, [named]);
  }
  read(sheet.encounter.chiefComplaint ?? '', [now, named]);
  read(sheet.encounter.reason ?? '', [now, named]);
  const out = { now, named };
  bySheet.set(sheet, out);
  return out;
}

/** The findings a note asserts (present) or denies, with whether the record backs each. */
export function findingMentions(tokens: Tokens, sheet: FactSheet, lexicon: Lexicon, scopes: ContextScopes): FindingMention[] {
  const hits = longestFirst(findingTrie().find(tokens));
  if (hits.length === 0) return [];
  const record = recordFindings(sheet, lexicon);
  const out: FindingMention[] = [];
  for (const h of hits) {
    const assertion = scopes.assertionOf(h.start, h.end);
    if (assertion !== 'present' && assertion !== 'negated') continue;
    const supported = assertion === 'present' ? record.named.has(h.concept) : !record.now.has(h.concept);
    out.push({ start: h.start, end: h.end, text: tokens.text.slice(h.start, h.end), finding: h.concept, assertion, supported });
  }
  return out;
}
