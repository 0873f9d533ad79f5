/**
 * spaCy JSONL, one note per line: `{text, spans: [{start, end, label}], meta}`, clinical entities
 * and PHI together (a Doc's `ents` cannot overlap, so where two do the longer stays). Only spans
 * whose edges spaCy's English tokenizer is sure to cut at are kept, so `doc.char_span(start, end,
 * label, alignment_mode="strict")` accepts every one: an edge at the text's ends or at whitespace,
 * or behind an opening bracket or quote that follows whitespace (a prefix), or before a closing
 * punctuation mark (`, ; : ) ] } " ! ? %`, a period) that whitespace or the end follows (a suffix).
 * The rest are counted as misaligned, never moved.
 */
import { countDrop, flatSpans, type CorpusDocument, type DropCounts, type FlatSpan } from './document.js';
import type { CorpusFiles, FormatInput } from './format.js';
import { codePointOffsets } from './offsets.js';
import { SPLITS } from './split.js';

const PREFIXES = new Set(['(', '[', '{', '"', "'", '<']);
const SUFFIXES = new Set([',', ';', ':', ')', ']', '}', '"', '!', '?', '%', '.']);
// spaCy keeps the period of these abbreviations (tokenizer exceptions): a span ending just before it is not a token edge.
const KEEPS_PERIOD = /(?:^|[^\p{L}])(?:Dr|Mr|Mrs|Ms|St|Jr|Sr|vs|etc|Inc|Co|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|[A-Za-z])$/u;

function isSpace(ch: string | undefined): boolean {
  return ch === undefined || /\s/.test(ch);
}

const ALNUM = /[\p{L}\p{N}]/u;
const LETTER = /\p{L}/u;
const LOWER_OR_DIGIT = /[\p{Ll}\p{N}%]/u;
const UPPER = /\p{Lu}/u;

function startIsEdge(text: string, start: number): boolean {
  if (start === 0 || isSpace(text[start - 1])) return true;
  const before = text[start - 1]!;
  if (PREFIXES.has(before)) return isSpace(text[start - 2]) && !isSpace(text[start]);
  // An infix hyphen: "6-year-old" is cut at both hyphens (a letter or digit before, a letter after).
  return before === '-' && ALNUM.test(text[start - 2] ?? '') && LETTER.test(text[start] ?? '');
}

function endIsEdge(text: string, span: FlatSpan): boolean {
  const { end } = span;
  if (end === text.length || isSpace(text[end])) return true;
  const last = text[end - 1] ?? '';
  if (text[end] === '-') return ALNUM.test(last) && LETTER.test(text[end + 1] ?? '');
  let k = end;
  while (k < text.length && SUFFIXES.has(text[k]!)) k++;
  if (k === end || !isSpace(text[k])) return false;
  // "%" is cut only after a digit; "." after a lowercase letter, a digit or two capitals, and not
  // from the abbreviations spaCy keeps whole ("Dr.", "Jan.", single letters).
  if (text[end] === '%' && !/\p{N}/u.test(last)) return false;
  if (text[end] === '.') {
    if (KEEPS_PERIOD.test(text.slice(Math.max(span.start, end - 6), end))) return false;
    if (!LOWER_OR_DIGIT.test(last) && !(UPPER.test(last) && UPPER.test(text[end - 2] ?? ''))) return false;
  }
  return true;
}

export function spacyRecord(d: CorpusDocument, input: FormatInput, drops: DropCounts): { text: string; spans: { start: number; end: number; label: string }[]; meta: Record<string, string> } {
  const at = codePointOffsets(d.text);
  const spans: { start: number; end: number; label: string }[] = [];
  for (const s of flatSpans(d, input.layers, () => countDrop(drops.overlapping, 'spacy'))) {
    if (!startIsEdge(d.text, s.start) || !endIsEdge(d.text, s) || /\s/.test(d.text[s.start]!) || /\s/.test(d.text[s.end - 1]!)) {
      countDrop(drops.misaligned, 'spacy');
      continue;
    }
    spans.push({ start: at(s.start), end: at(s.end), label: s.label });
  }
  return { text: d.text, spans, meta: { id: d.id, patient_id: d.patientId, note_type: d.noteType, date: d.date } };
}

export function writeSpacy(input: FormatInput): CorpusFiles {
  const files: CorpusFiles = new Map();
  for (const split of SPLITS) {
    const lines = input.splits[split].map((d) => JSON.stringify(spacyRecord(d, input, input.drops)));
    files.set(`spacy/${split}.jsonl`, lines.length === 0 ? '' : `${lines.join('\n')}\n`);
  }
  return files;
}
