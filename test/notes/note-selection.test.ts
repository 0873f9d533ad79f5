import { describe, expect, it } from 'vitest';
import { NOTE_TYPES, type NoteType } from '../../src/notes/facts.js';
import { noteTypesFor } from '../../src/notes/selection.js';
import type { Encounter, EncounterId, PractitionerId } from '../../src/record/types.js';

function encounter(cls: Encounter['class'], display: string): Encounter {
  return {
    id: `e-${cls}-${display}` as EncounterId,
    class: cls,
    type: { system: 'http://snomed.info/sct', code: '0', display },
    start: 0,
    end: 1,
    practitionerId: 'p' as PractitionerId,
    organizationId: 'o',
    locationId: 'l',
    reason: undefined,
  };
}

/** One encounter of each kind the record charts (encounter classes, and the clinic types notes are chosen by). */
const KINDS = [
  encounter('AMB', 'General examination of patient (procedure)'),
  encounter('AMB', 'Consultation (procedure)'),
  encounter('AMB', 'Imaging study (procedure)'),
  encounter('VR', 'Telephone encounter (procedure)'),
  encounter('EMER', 'Emergency room admission (procedure)'),
  encounter('IMP', 'Hospital admission (procedure)'),
];

/** Planned by `planNotes` itself, for a share of clinic visits, not by the encounter's kind. */
const BY_SHARE: readonly NoteType[] = ['portal-message'];

describe('note selection', () => {
  it('plans every note type for some kind of encounter (a type added to NOTE_TYPES without a rule in selection.ts fails here)', () => {
    const planned = new Set<NoteType>([...KINDS.flatMap(noteTypesFor), ...BY_SHARE]);
    expect([...planned].sort()).toEqual([...NOTE_TYPES].sort());
  });
});
