/** Mentions must quote the note exactly and cite facts the sheet has. */
import type { FactSheet } from '../facts.js';
import type { NoteOutput } from '../note-output.js';
import { violation, type Violation } from './violation.js';

export function checkMentions(note: NoteOutput, text: string, sheet: FactSheet): Violation[] {
  const ids = new Set(sheet.facts.map((f) => f.id));
  const out: Violation[] = [];
  for (const mention of note.mentions) {
    const at = mention.text === '' ? -1 : text.indexOf(mention.text);
    if (at < 0) {
      out.push(violation('mention-not-in-note', `mention "${mention.text}" (${mention.factId}) does not occur in the note; copy mention text exactly from the note`));
    }
    if (!ids.has(mention.factId)) {
      out.push(violation(
        'unknown-fact',
        `mention "${mention.text}" cites fact id "${mention.factId}", which is not on the fact sheet`,
        at < 0 ? undefined : { start: at, end: at + mention.text.length },
      ));
    }
  }
  return out;
}
