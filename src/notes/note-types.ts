/** LOINC document codes and titles of each note type (US Core DocumentReference.type). */
import type { NoteType } from './facts.js';

export interface NoteTypeInfo {
  readonly loinc: string;
  readonly display: string;
}

export const NOTE_TYPE_CODES: Readonly<Record<NoteType, NoteTypeInfo>> = {
  'progress-note': { loinc: '11506-3', display: 'Progress note' },
  'history-and-physical': { loinc: '34117-2', display: 'History and physical note' },
  'discharge-summary': { loinc: '18842-5', display: 'Discharge summary' },
  'ed-note': { loinc: '34111-5', display: 'Emergency department Note' },
  'consult-note': { loinc: '11488-4', display: 'Consult note' },
  'radiology-report': { loinc: '18748-4', display: 'Diagnostic imaging study' },
  'portal-message': { loinc: '34109-9', display: 'Note' },
};
