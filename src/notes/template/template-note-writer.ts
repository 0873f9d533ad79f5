import type { NoteWriter } from '../note-writer.js';
import { writeTemplateNote } from './template-writer.js';

/**
 * The template writer behind the {@link NoteWriter} interface. Deterministic: the note depends on
 * the sheet and the attempt only (a retry draws other variants).
 */
export function createTemplateNoteWriter(): NoteWriter {
  return {
    name: 'template',
    write(request) {
      const seed = `${request.sheet.encounter.id}|${request.sheet.encounter.noteType}|${request.attempt}`;
      const note = writeTemplateNote(request.sheet, seed);
      return Promise.resolve({ note, raw: JSON.stringify(note) });
    },
  };
}
