/**
 * The gold corpus's spans beside the clinical concepts: a drug's attributes (strength, form, route,
 * frequency, dose) as entities of their own, each linked to its drug by a `dosage-of` relation, in
 * the n2c2 2018 Track 2 scheme (Henry et al. 2020: Drug, Strength, Form, Dosage, Route, Frequency);
 * and body sites (ANATOMY, SNOMED CT body structures, with laterality). Only the gold annotation
 * calls these: the grounding checks read the annotator's mentions, which they leave alone.
 */
import { z } from 'zod';
import { loadKnowledgeFile, once } from '../../knowledge/load.js';
import { dosageParts } from './dosage.js';
import { TokenTrie, tokenize, type Tokens } from './tokens.js';
import type { DosagePart, Mention, MentionLabel, MentionRelation, TextSpan } from './types.js';

const termsSchema = z
  .object({
    doseForms: z.array(z.string().min(1)),
    notSites: z.array(z.string().min(1)),
    bodySites: z.array(z.object({ code: z.string().regex(/^\d{6,18}$/), display: z.string().min(1), terms: z.array(z.string().min(1)).min(1) }).strict()),
  })
  .strict();

interface BodySite {
  readonly code: string;
  readonly display: string;
}

const NOT_A_SITE: BodySite = { code: '', display: '' };

const terms = once(() => {
  const data = loadKnowledgeFile('note-attribute-terms.yaml', termsSchema);
  const forms = new Set(data.doseForms.map((f) => f.toLowerCase()));
  const sites = new TokenTrie<BodySite>();
  for (const s of data.bodySites) for (const t of s.terms) sites.add(t, { code: s.code, display: s.display });
  // A phrase that names no site is a trie entry of its own, found first (leftmost-longest) and then skipped.
  for (const t of data.notSites) sites.add(t, NOT_A_SITE);
  return { forms, sites };
});

/** The n2c2 2018 label of each dosage sub-span kind. */
const PART_LABEL: Readonly<Record<DosagePart['kind'], MentionLabel>> = { strength: 'STRENGTH', dose: 'DOSAGE', unit: 'DOSAGE', route: 'ROUTE', frequency: 'FREQUENCY' };

const UNIT = String.raw`(?:mg|mcg|µg|g|mL|units?|IU|mEq|%)`;
const PER = String.raw`(?:mg|mcg|mL|units?|actuation|hr|h|dose|g)`;
/** "500 mg", "90 mcg/actuation", "875 mg/125 mg", "70 units/mL/30 units/mL": the first strength of a drug's name. */
const NAME_STRENGTH = new RegExp(String.raw`(?<![\w.])\d+(?:\.\d+)?\s?${UNIT}(?:\/(?:\d+(?:\.\d+)?\s?)?${PER})*(?![\w/])`);

interface Split {
  readonly drug: { start: number; end: number };
  readonly attributes: { start: number; end: number; label: MentionLabel }[];
}

/** "lisinopril 10 mg tablet" -> drug "lisinopril", STRENGTH "10 mg", FORM "tablet" (a form only when the knowledge file lists it). */
function splitDrugName(m: Mention): Split | undefined {
  const strength = NAME_STRENGTH.exec(m.text);
  if (strength === null || strength.index === 0) return undefined;
  const name = m.text.slice(0, strength.index).replace(/[\s,]+$/, '');
  if (!/[A-Za-z]/.test(name)) return undefined;
  const attributes: Split['attributes'] = [{ start: m.start + strength.index, end: m.start + strength.index + strength[0].length, label: 'STRENGTH' }];
  const rest = m.text.slice(strength.index + strength[0].length);
  const form = rest.trim();
  if (form !== '' && terms().forms.has(form.toLowerCase())) {
    const at = m.start + strength.index + strength[0].length + rest.indexOf(form);
    attributes.push({ start: at, end: at + form.length, label: 'FORM' });
  }
  return { drug: { start: m.start, end: m.start + name.length }, attributes };
}

/**
 * Each drug mention as its name plus attribute entities: the strength and form its written name
 * carries ("metformin 500 mg ER tablet") and the strength, route and frequency written after it
 * ("metformin 500 mg PO BID", the annotator's dosage parts, read again for the writer's mentions
 * that lack them), each a mention of its own (linked to the drug's MedicationRequest, no code: a
 * strength is not the drug's RxNorm concept) with a `dosage-of` relation from it to the drug. The
 * drug keeps its code and resource. Mentions come back in text order; relations follow them.
 */
export function medicationAttributes(text: string, mentions: readonly Mention[], relations: readonly MentionRelation[]): { mentions: Mention[]; relations: MentionRelation[] } {
  const out: { m: Mention; old?: number; drug?: number }[] = [];
  mentions.forEach((m, i) => {
    if (m.label !== 'MEDICATION') {
      out.push({ m, old: i });
      return;
    }
    const { parts: _parts, ...bare } = m;
    const split = splitDrugName(m);
    const drug: Mention = split === undefined ? bare : { ...bare, end: split.drug.end, text: text.slice(split.drug.start, split.drug.end) };
    out.push({ m: drug, old: i });
    const link = { ...(m.factId === undefined ? {} : { factId: m.factId }), ...(m.resourceId === undefined ? {} : { resourceId: m.resourceId }) };
    const attribute = (start: number, end: number, label: MentionLabel) => out.push({ m: { start, end, text: text.slice(start, end), label, assertion: 'present', ...link }, drug: i });
    for (const a of split?.attributes ?? []) attribute(a.start, a.end, a.label);
    const next = mentions.find((o) => o.start >= m.end)?.start ?? text.length;
    const after = m.parts ?? dosageParts(text, m.end, next);
    for (const p of after) {
      if (p.start >= m.end && p.end <= next) attribute(p.start, p.end, PART_LABEL[p.kind]);
    }
  });
  const order = out.map((o, k) => ({ ...o, k })).sort((a, b) => a.m.start - b.m.start || b.m.end - a.m.end || a.k - b.k);
  const newOfOld = new Map<number, number>();
  order.forEach((o, idx) => {
    if (o.old !== undefined) newOfOld.set(o.old, idx);
  });
  const moved = relations.flatMap((r) => {
    const from = newOfOld.get(r.from);
    const to = newOfOld.get(r.to);
    return from === undefined || to === undefined ? [] : [{ ...r, from, to }];
  });
  const dosage: MentionRelation[] = [];
  order.forEach((o, idx) => {
    if (o.drug !== undefined) dosage.push({ type: 'dosage-of', from: idx, to: newOfOld.get(o.drug)! });
  });
  return { mentions: order.map((o) => o.m), relations: [...moved, ...dosage] };
}

const LATERALITY = /(?:^|[^A-Za-z])(left|right|bilateral)\s+$/i;

/**
 * Body sites the note names (ANATOMY, coded to SNOMED CT body structures), in `[from, to)`,
 * exam labels included ("Lungs: clear" names the site examined). A site inside another span is
 * left to it: inside a gold mention ("CT of the chest") or inside any concept the annotator found
 * (`within`: "chest pain" as a symptom it does not label), so a phrase is labelled the same way
 * in every note. A laterality word right before the site joins its span and is its `laterality`.
 */
export function anatomyMentions(text: string, from: number, to: number, kept: readonly TextSpan[], tokens: Tokens = tokenize(text)): Mention[] {
  const out: Mention[] = [];
  for (const hit of terms().sites.find(tokens)) {
    if (hit.concept === NOT_A_SITE || hit.start < from || hit.end > to) continue;
    const lineStart = text.lastIndexOf('\n', hit.start - 1) + 1;
    const side = LATERALITY.exec(text.slice(Math.max(lineStart, hit.start - 12), hit.start));
    const start = side === null ? hit.start : hit.start - side[0].length + side[0].indexOf(side[1]!);
    if (kept.some((m) => m.start < hit.end && start < m.end)) continue;
    const word = side?.[1];
    const laterality = word === undefined ? undefined : (word.toLowerCase() as 'left' | 'right' | 'bilateral');
    out.push({
      start, end: hit.end, text: text.slice(start, hit.end), label: 'ANATOMY', assertion: 'present',
      code: { system: 'http://snomed.info/sct', code: hit.concept.code, display: hit.concept.display },
      ...(laterality === undefined ? {} : { laterality }),
    });
  }
  return out;
}
