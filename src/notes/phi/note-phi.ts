/**
 * The PHI of a stored note: the frame's spans, placed by construction, and the PHI the body
 * repeats (the patient's and clinicians' names, the facility, dates, ages), found by exact search
 * for values the record holds or by the date and age forms the writers use. Sorted by offset,
 * never overlapping.
 */
import { InternalError } from '../../errors.js';
import type { NoteOutput } from '../note-output.js';
import { fitFrame, type NoteFrame } from './note-frame.js';
import { phiCategoryOf, type PhiSpan, type PhiType } from './phi-tags.js';

const MONTH = '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const DATE_FORMS = new RegExp(
  String.raw`(?<![\w/-])(?:\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}-${MONTH}-\d{4}|${MONTH}\.? \d{1,2}(?:st|nd|rd|th)?(?:, \d{4})?)(?![\w/])`,
  'g',
);
/**
 * A year written alone where the note dates something ("(dx 2012)", "since 1998", "diagnosed in
 * 2015", "in 2019"): i2b2 2014 tags every element of a date, years included (Stubbs & Uzuner 2015).
 * Only after a dating word, so a four-digit value ("Plt 2010") is never read as a year.
 */
const YEAR_FORMS = /(?<=\b(?:dx|since|diagnosed|diagnosed in|in|from|until|through|year|circa|c\.)\s)(?:19|20)\d{2}(?![\w/:-]|\.\d|\s?(?:mg|mcg|mL|g|units?|kg|lb)\b)/gi;
const AGE_FORMS = /(?<![\w.])(\d{1,3})(?=[- ](?:year|yr|month|week|day)s?[- ]old\b| ?(?:yo|y\/o|y\.o\.)(?![A-Za-z]))/gi;

/** Where the frame's sections start in `text` (`noteToText` of the framed note). */
function frameOffsets(text: string, note: NoteOutput, frame: NoteFrame): { header: number; footer: number } {
  const header = note.title.trim().length + 2 + frame.header.heading.length + 2;
  const footer = text.length - 1 - frame.footer.text.length;
  return { header, footer };
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}]/u.test(c);
}

/**
 * Every PHI span of a framed note's stored text.
 * @param note the framed note (its first and last sections are the frame's)
 */
export function notePhi(text: string, note: NoteOutput, unfitted: NoteFrame): PhiSpan[] {
  const frame = fitFrame(unfitted, note);
  const { header, footer } = frameOffsets(text, note, frame);
  if (text.slice(header, header + frame.header.text.length) !== frame.header.text || text.slice(footer, footer + frame.footer.text.length) !== frame.footer.text) {
    throw new InternalError('the note text does not hold its frame where the frame says');
  }
  const spans: PhiSpan[] = [...frame.header.spans.map((s) => shift(s, header)), ...frame.footer.spans.map((s) => shift(s, footer))];
  const bodyStart = header + frame.header.text.length;
  const body = text.slice(bodyStart, footer);
  const found: PhiSpan[] = [];
  const add = (start: number, value: string, type: PhiType): void => {
    found.push({ start: bodyStart + start, end: bodyStart + start + value.length, text: value, type, category: phiCategoryOf(type) });
  };
  for (const m of body.matchAll(DATE_FORMS)) add(m.index, m[0], 'DATE');
  for (const m of body.matchAll(YEAR_FORMS)) add(m.index, m[0], 'DATE');
  for (const m of body.matchAll(AGE_FORMS)) add(m.index, m[1]!, 'AGE');
  const values = [...frame.bodyValues].sort((a, b) => b.text.length - a.text.length);
  for (const v of values) {
    if (v.text.length < 2) continue;
    for (let at = body.indexOf(v.text); at >= 0; at = body.indexOf(v.text, at + 1)) {
      if (isWordChar(body[at - 1]) || isWordChar(body[at + v.text.length])) continue;
      add(at, v.text, v.type);
    }
  }
  // Longest first at each place; a span inside one already kept is the same PHI read twice.
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  let reach = -1;
  for (const s of found) {
    if (s.start < reach) continue;
    spans.push(s);
    reach = s.end;
  }
  return spans.sort((a, b) => a.start - b.start);
}

function shift(span: PhiSpan, offset: number): PhiSpan {
  return { ...span, start: span.start + offset, end: span.end + offset };
}
