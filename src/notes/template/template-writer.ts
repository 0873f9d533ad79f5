/**
 * The offline note writer (`--llm template`, the default): grammar-driven templates per note type,
 * filled only from the fact sheet, deterministic for a given note id, with clinician style fixed per
 * author. It returns the same shape an LLM must (sections + mentions), and its notes pass the same
 * grounding checks.
 */
import type { FactSheet, NoteType } from '../facts.js';
import type { NoteOutput } from '../note-output.js';
import { Chooser } from './chooser.js';
import { writePortalMessage } from './portal-message.js';
import { writeProgressNote } from './progress-note.js';
import { styleOf } from './style.js';

/** Note types the template writer covers; others are written by the encounter-specific writers as they land. */
export const TEMPLATE_NOTE_TYPES: ReadonlySet<NoteType> = new Set(['progress-note', 'portal-message']);

export function writeTemplateNote(sheet: FactSheet, noteId: string): NoteOutput {
  const style = styleOf(sheet.encounter.author);
  const c = new Chooser(noteId);
  switch (sheet.encounter.noteType) {
    case 'portal-message':
      return writePortalMessage(sheet, style, c);
    case 'progress-note':
    case 'history-and-physical':
    case 'discharge-summary':
    case 'ed-note':
    case 'consult-note':
    case 'radiology-report':
      return writeProgressNote(sheet, style, c);
  }
}
