import { describe, expect, it } from 'vitest';
import { inSentence } from '../../../src/notes/template/sections.js';

describe('inSentence', () => {
  it('lower-cases a label for the middle of a sentence, but not an abbreviation or an eponym', () => {
    expect(inSentence('Lungs clear to auscultation')).toBe('lungs clear to auscultation');
    // "TMs clear bilaterally" must not become "tMs".
    expect(inSentence('TMs clear bilaterally')).toBe('TMs clear bilaterally');
    expect(inSentence('HEENT normal')).toBe('HEENT normal');
    expect(inSentence("Alzheimer's disease")).toBe("Alzheimer's disease");
  });
});
