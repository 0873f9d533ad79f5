/**
 * Which notes a record gets: one per encounter by its kind (progress notes for office visits, an
 * ED note for emergency visits, an H&P and a discharge summary for stays, a consult note for
 * referrals, a radiology report for each encounter with an imaging study), plus patient portal
 * messages after some office visits. Limited to the requested
 * types and to encounters on or after `since`.
 */
import { createHash } from 'node:crypto';
import { MS_PER_DAY, type Instant } from '../core/time.js';
import type { Encounter, PatientRecord } from '../record/types.js';
import type { NoteType } from './facts.js';
import { isImaging } from './imaging.js';
import { portalAvailable } from '../knowledge/document-eras.js';

export interface PlannedNote {
  readonly encounter: Encounter;
  readonly noteType: NoteType;
  /** When the note is written (FHIR `date`). */
  readonly time: Instant;
}

export interface NoteSelection {
  readonly types: ReadonlySet<NoteType>;
  /** Only encounters starting on or after this instant. */
  readonly since: Instant | undefined;
  /** The simulation's end for this record (reference date or death): nothing is dated after it. */
  readonly until: Instant;
}

/** Share of office visits followed by a portal message. */
const PORTAL_SHARE = 0.2;

function unitHash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/** Note types an encounter calls for, by its class and type. */
export function noteTypesFor(encounter: Encounter): NoteType[] {
  // A lab-only visit (an INR check) leaves a result, not a note.
  if (encounter.labOnly === true) return [];
  const type = encounter.type.display.toLowerCase();
  switch (encounter.class) {
    case 'EMER':
      return ['ed-note'];
    case 'IMP':
      return ['history-and-physical', 'discharge-summary'];
    case 'VR':
      return ['progress-note'];
    case 'AMB':
      if (/consult|referral/.test(type)) return ['consult-note'];
      if (/imaging|radiograph|x-ray|ct |mri|ultrasound|mammogra/.test(type)) return ['radiology-report'];
      return ['progress-note'];
  }
}

export function planNotes(record: PatientRecord, selection: NoteSelection): PlannedNote[] {
  const planned: PlannedNote[] = [];
  const imaged = new Set(record.procedures.filter((p) => isImaging(p.code.display)).map((p) => p.encounterId));
  for (const encounter of record.encounters) {
    if (selection.since !== undefined && encounter.start < selection.since) continue;
    const types = noteTypesFor(encounter);
    // An imaging study done at any encounter gets its report, besides the encounter's own note.
    if (imaged.has(encounter.id) && !types.includes('radiology-report')) types.push('radiology-report');
    for (const noteType of types) {
      if (!selection.types.has(noteType)) continue;
      const time = noteType === 'history-and-physical' ? encounter.start + 2 * 3_600_000 : encounter.end;
      if (time <= selection.until) planned.push({ encounter, noteType, time: Math.min(time, selection.until) });
    }
    if (selection.types.has('portal-message') && encounter.class === 'AMB' && unitHash(`portal|${encounter.id}`) < PORTAL_SHARE) {
      const time = encounter.end + (1 + Math.floor(unitHash(`portal-day|${encounter.id}`) * 4)) * MS_PER_DAY;
      // No portal message before portals existed, or from a practice not yet on an electronic record.
      if (time <= selection.until && portalAvailable(encounter.organizationId, time)) planned.push({ encounter, noteType: 'portal-message', time });
    }
  }
  return planned;
}
