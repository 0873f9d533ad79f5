/**
 * The offline note writer (`--llm template`, the default): grammar-driven templates per note type,
 * filled only from the fact sheet, deterministic for a given note id, with clinician style fixed per
 * author. It returns the same shape an LLM must (sections + mentions), and its notes pass the same
 * grounding checks.
 */
import type { FactSheet } from '../facts.js';
import type { NoteOutput } from '../note-output.js';
import { Chooser } from './chooser.js';
import { writeConsultNote, writeDischargeSummary, writeEdNote, writeHistoryAndPhysical } from './hospital-notes.js';
import { writePortalMessage } from './portal-message.js';
import { writeRadiologyReport } from './radiology-report.js';
import { writeProgressNote } from './progress-note.js';
import { styleOf } from './style.js';

export function writeTemplateNote(sheet: FactSheet, noteId: string): NoteOutput {
  const style = styleOf(sheet.encounter.author);
  const c = new Chooser(noteId);
  switch (sheet.encounter.noteType) {
    case 'portal-message':
      return writePortalMessage(sheet, style, c);
    case 'progress-note':
      return writeProgressNote(sheet, style, c);
    case 'history-and-physical':
      return writeHistoryAndPhysical(sheet, style, c);
    case 'discharge-summary':
      return writeDischargeSummary(sheet, style, c);
    case 'ed-note':
      return writeEdNote(sheet, style, c);
    case 'consult-note':
      return writeConsultNote(sheet, style, c);
    case 'radiology-report':
      return writeRadiologyReport(sheet, style, c);
  }
}
