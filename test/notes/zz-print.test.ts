import { it } from 'vitest';
import { buildFactSheet } from '../../src/notes/fact-sheet.js';
import { NOTE_TYPES, type NoteType } from '../../src/notes/facts.js';
import { loadVocabulary } from '../../src/notes/grounding/vocabulary.js';
import { noteToText } from '../../src/notes/note-output.js';
import { planNotes } from '../../src/notes/selection.js';
import { writeTemplateNote } from '../../src/notes/template/template-writer.js';
import { dateToInstant, type IsoDate } from '../../src/record/time.js';
import { createCohortContext, simulateIndex } from '../../src/timeline/cohort.js';
import { toSeed } from '../../src/timeline/random.js';
import { withClinicalItems } from '../support/clinical-items.js';
it('prints', async () => {
  const vocabulary = await loadVocabulary();
  const ctx = createCohortContext({ seed: toSeed(7), referenceDate: '2025-06-01' as IsoDate, age: undefined, gender: undefined, state: undefined });
  const shown = new Set<string>();
  for (let i = 0; i < 30; i++) for (const r of simulateIndex(ctx, i).map(withClinicalItems)) {
    for (const plan of planNotes(r, { types: new Set<NoteType>(NOTE_TYPES), since: undefined, until: dateToInstant('2025-06-01' as IsoDate) })) {
      if (shown.has(plan.noteType) || plan.noteType === 'progress-note' || plan.noteType === 'portal-message') continue;
      if (!plan.encounter.id.startsWith('enriched')) continue;
      shown.add(plan.noteType);
      const p = r.providers.practitioners.find((x) => x.id === plan.encounter.practitionerId)!;
      const sheet = buildFactSheet(r, plan.encounter, { authorName: `${p.givenNames[0]} ${p.familyName}`, noteType: plan.noteType, vocabulary });
      console.log(`=== ${plan.noteType}\n${noteToText(writeTemplateNote(sheet, `n${i}`))}`);
    }
  }
});
