import { describe, expect, it } from 'vitest';
import { article, withArticle } from '../../../src/notes/template/grammar.js';

describe('indefinite article', () => {
  it('reads numbers aloud: an 8-, 11-, 18-, 80-something; a 1-, 7-, 87... no: an 87', () => {
    expect(withArticle('8-year-old')).toBe('an 8-year-old');
    expect(withArticle('11-month-old')).toBe('an 11-month-old');
    expect(withArticle('18-year-old')).toBe('an 18-year-old');
    expect(withArticle('87-year-old')).toBe('an 87-year-old');
    expect(withArticle('1-year-old')).toBe('a 1-year-old');
    expect(withArticle('7-day-old')).toBe('a 7-day-old');
    expect(withArticle('110-pound')).toBe('a 110-pound');
    expect(withArticle('11000-step')).toBe('an 11000-step');
  });
  it('handles words and abbreviations by sound', () => {
    expect(article('MRI')).toBe('an');
    expect(article('CT')).toBe('a');
    expect(article('urinary tract infection')).toBe('a');
    expect(article('hour')).toBe('an');
    expect(article('ear infection')).toBe('an');
    expect(article('otitis media')).toBe('an');
    expect(article('woman')).toBe('a');
  });
});
