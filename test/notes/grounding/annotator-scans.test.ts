/**
 * The annotator's hand-written scans against the regular expressions they replace (for speed): the
 * tokenizer against `[A-Za-z0-9\u00C0-\u024F]+|[^\sA-Za-z0-9\u00C0-\u024F]`, and the reading of a
 * word's clinical ending against the lexicon's `shape` expression, and the sex-word scan against
 * the pronoun and noun expressions it replaced. Same tokens, same groups, same words.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { lexiconFor, type Lexicon } from '../../../src/notes/annotate/lexicon.js';
import { sexWords } from '../../../src/notes/annotate/sex-words.js';
import { tokenize, wordHash } from '../../../src/notes/annotate/tokens.js';
import { loadVocabulary } from '../../../src/notes/grounding/vocabulary.js';

let lexicon: Lexicon;
beforeAll(async () => {
  lexicon = lexiconFor(await loadVocabulary());
});

/** A seeded stream of strings over characters the scans treat differently. */
function strings(count: number): string[] {
  const pool = 'aZq09 _\t\n.,;:-/\u00C0\u00C9\u0130\u024F\u0250\u00a0\u2003\u3000\ufeff\u00B5°İΣ\ud83d\ude00itisolol';
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(next() * 24) }, () => pool[Math.floor(next() * pool.length)]).join(''));
}

describe('tokenizer', () => {
  it('gives the tokens, offsets and lower-case forms of the regular expression, and hashes of the lower-case forms', () => {
    const TOKEN = /[A-Za-z0-9\u00C0-\u024F]+|[^\sA-Za-z0-9\u00C0-\u024F]/g;
    for (const text of [...strings(5000), 'Patient: 58 y.o. F, HTN; İstanbul Ünal — BP 130/77 mmHg.']) {
      const t = tokenize(text);
      const want = [...text.matchAll(TOKEN)];
      expect(t.raw).toEqual(want.map((m) => m[0]));
      expect(t.starts).toEqual(want.map((m) => m.index));
      expect(t.lower).toEqual(want.map((m) => m[0].toLowerCase()));
      expect(t.hashes).toEqual(t.lower.map(wordHash));
    }
  });
});

describe('clinical word endings', () => {
  it('give the group of the shape expression for every word of letters', () => {
    const words = [...new Set([
      ...lexicon.vocabulary.concepts.flatMap((c) => c.terms.flatMap((term) => term.split(/[^A-Za-z]+/))),
      'lisinopril', 'Metoprolol', 'appendectomy', 'gastritis', 'ITIS', 'abcitis', 'olol', 'xolol', 'Xyzmab', 'tonsillectomy', 'nephropathy',
    ])].filter((w) => w.length > 0);
    let matched = 0;
    for (const word of words) {
      const m = new RegExp(`^(?:${lexicon.shape.source})$`).exec(word);
      const want = m === null ? 0 : m[1] !== undefined ? 1 : m[2] !== undefined ? 2 : 3;
      expect([word, lexicon.shapeOf(word)]).toEqual([word, want]);
      if (want !== 0) matched++;
    }
    expect(matched).toBeGreaterThan(20);
  });
});

describe('sex words', () => {
  it('finds the words, sexes and other-person flags of the regular expressions it replaced', () => {
    const PRONOUN = /\b(?:(he|him|his|himself)|(she|her|hers|herself))\b/gi;
    const NOUN = /\b(?:(man|gentleman|boy|male)|(woman|lady|girl|female))\b/gi;
    // The words of the annotator's other-person list that the strings below can form.
    const OTHER = /\b(?:mother|doctor|dr\.?)\b/i;
    const reference = (text: string) => {
      const sentence = (at: number) => {
        const from = Math.max(text.lastIndexOf('.', at), text.lastIndexOf('\n', at), text.lastIndexOf(';', at)) + 1;
        const dot = text.slice(at).search(/[.\n;]/);
        return text.slice(from, dot < 0 ? text.length : at + dot);
      };
      return [...[...text.matchAll(PRONOUN)].map((m) => ({ m, kind: 'pronoun' })), ...[...text.matchAll(NOUN)].map((m) => ({ m, kind: 'noun' }))]
        .map(({ m, kind }) => ({ start: m.index, end: m.index + m[0].length, text: m[0], kind, sex: m[1] !== undefined ? 'male' : 'female', otherPerson: OTHER.test(sentence(m.index)) }))
        .sort((a, b) => a.start - b.start);
    };
    const words = ['he', 'She', 'HIM', 'hers', 'herself', 'Himself', 'his', 'man', 'Woman', 'gentleman', 'boy', 'GIRL', 'lady', 'male', 'female', 'mother', 'Dr.', 'doctor', 'the'];
    const marks = [' ', ' ', '_', '.', ';', '\n', '-', '\u00e9', '1', '/', "'", ', '];
    let seed = 11;
    const next = (k: number) => Math.floor(((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * k);
    const texts = Array.from({ length: 3000 }, () => Array.from({ length: 1 + next(12) }, () => words[next(words.length)]! + marks[next(marks.length)]!).join(''));
    let found = 0;
    for (const text of [...texts, 'Mother says he is well. She_he hé himé; Dr. Lee saw her.']) {
      const got = sexWords(text);
      expect([text, got]).toEqual([text, reference(text)]);
      found += got.length;
    }
    expect(found).toBeGreaterThan(3000);
  });
});
