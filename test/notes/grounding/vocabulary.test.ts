import { describe, expect, it } from 'vitest';
import { KnowledgeError } from '../../../src/errors.js';
import { buildVocabulary, loadVocabulary } from '../../../src/notes/grounding/vocabulary.js';

describe('note vocabulary', () => {
  it('loads the bundled file: many drugs, conditions and symptoms', async () => {
    const vocabulary = await loadVocabulary();
    const count = (kind: string) => vocabulary.concepts.filter((c) => c.kind === kind).length;
    expect(count('drug')).toBeGreaterThan(100);
    expect(count('condition')).toBeGreaterThan(70);
    expect(count('symptom')).toBeGreaterThan(25);
  });

  it('finds the longest term, ignores case except for abbreviations, and respects word edges', async () => {
    const vocabulary = await loadVocabulary();
    const found = (text: string) => vocabulary.find(text).map((h) => `${h.text}=${h.concept.name}`);
    expect(found('Started Amoxicillin-clavulanate; hx of Type 2 Diabetes.')).toEqual([
      'Amoxicillin-clavulanate=amoxicillin-clavulanate',
      'Type 2 Diabetes=type 2 diabetes mellitus',
    ]);
    expect(found('r/o MI. Ran 2 mi today. Seen by Ms. Lopez.')).toEqual(['MI=myocardial infarction']);
    expect(found('insulinoma, aspirinate, HTN')).toEqual(['HTN=hypertension']);
    expect(found('shortness  of\nbreath')).toEqual(['shortness  of\nbreath=shortness of breath']);
  });

  it('refuses a term that names two concepts', () => {
    expect(() => buildVocabulary({ drugs: [{ name: 'x', synonyms: ['dup'] }], conditions: [{ name: 'dup', synonyms: [] }], symptoms: [] })).toThrow(KnowledgeError);
  });
});
