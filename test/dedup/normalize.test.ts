import { describe, expect, it } from 'vitest';
import { MASK, namesInText, normalizedHashes, normalizeText, tokenStrings } from '../../src/dedup/normalize.js';
import { murmur3String } from '../../src/core/murmur3.js';
import { referenceDocuments, templateNotes } from './support.js';

describe('normalizeText', () => {
  it('lowercases, drops punctuation and whitespace, and keeps offsets into the original text', () => {
    const text = '  Assessment/Plan:\n\tCONTINUE   Lisinopril;  RTC prn.';
    const n = normalizeText(text);
    expect(n.tokens).toEqual(['assessment', 'plan', 'continue', 'lisinopril', 'rtc', 'prn']);
    n.tokens.forEach((token, i) => expect(text.slice(n.starts[i], n.ends[i]).toLowerCase()).toBe(token));
  });

  it('masks numbers, dates in their common forms, and given names where capitalized', () => {
    const text = 'Seen 2021-11-06 and 3/4/2022, on November 6, 2021 and 6 Nov 2021. BP 119/81, temp 36.1 C. Note by Eryn Brown, MD; brown sputum.';
    const n = normalizeText(text, { names: ['Eryn Brown'] });
    expect(n.tokens).toEqual([
      'seen', MASK.date, 'and', MASK.date, 'on', MASK.date, 'and', MASK.date,
      'bp', MASK.number, MASK.number, 'temp', MASK.number, 'c',
      'note', 'by', MASK.name, MASK.name, 'md', 'brown', 'sputum',
    ]);
    // A date is one token spanning all of it.
    expect(text.slice(n.starts[5], n.ends[5])).toBe('November 6, 2021');
  });

  it('makes two notes that differ only in names, dates and values identical', () => {
    const a = normalizeText('Maria Lopez, 56, seen 2021-01-05: HbA1c 7.2%, LDL 130 mg/dL. Dr. Chen', { names: ['Maria Lopez', 'Wei Chen'] });
    const b = normalizeText('John Smith, 71, seen 03/14/2019: HbA1c 6.4%, LDL 98 mg/dL. Dr. Okafor', { names: ['John Smith', 'Ada Okafor'] });
    expect(a.tokens).toEqual(b.tokens);
  });

  it('splits letters from digits, folds compatibility forms, and reads non-Latin words', () => {
    expect(normalizeText('COVID-19 b12 ﬁbrosis Ｘray naïve 肺炎').tokens).toEqual(['covid', MASK.number, 'b', MASK.number, 'fibrosis', 'xray', 'naïve', '肺炎']);
  });
});

describe('namesInText', () => {
  it('finds names in header fields and after honorifics and signature phrases, without credentials', () => {
    const text = 'PATIENT NAME: Jane Q. Doe\nDATE: 01/02/2020\n\nSeen with Dr. Patel today.\n\nElectronically signed by Maria Gonzalez, MD';
    expect(namesInText(text).sort()).toEqual(['Doe', 'Gonzalez', 'Jane', 'Maria', 'Patel']);
  });
});

describe('normalizedHashes', () => {
  it('hashes exactly the tokens normalizeText gives, with the same offsets, without making their strings', async () => {
    const texts = [
      '  Assessment/Plan:\n\tCONTINUE   Lisinopril;  RTC prn.',
      'Seen 2021-11-06 and 3/4/2022, on November 6, 2021 and 6 Nov 2021. BP 119/81, temp 36.1 C. Note by Eryn Brown, MD; brown sputum. MAY may May 5, 2020 Mayo',
      'COVID-19 b12 ﬁbrosis Ｘray naïve 肺炎 Ãrnason ÉRIC Éric éric a1b2c3 March 2021 MARCH 12th, 2019 sept. 3 2020 Junebug',
      ...referenceDocuments().map((d) => d.text),
      ...(await templateNotes(5, 0, 3, 6)).map((d) => d.text),
    ];
    for (const text of texts) {
      for (const names of [undefined, ['Eryn Brown', 'Éric Ãrnason', 'May'], namesInText(text)]) {
        const n = normalizeText(text, names === undefined ? {} : { names });
        const h = normalizedHashes(text, names === undefined ? {} : { names });
        expect([...h.hashes]).toEqual(n.tokens.map((t) => murmur3String(t)));
        expect([...h.starts]).toEqual([...n.starts]);
        expect([...h.ends]).toEqual([...n.ends]);
        // The strings a hit needs, made from the scan's ranges and kinds, are normalizeText's tokens.
        expect(tokenStrings(text, h).tokens).toEqual(n.tokens);
      }
    }
  });

  it('hashes ASCII words of every length and case as murmur3String of the lowercased word', () => {
    // The scan hashes a word in the pass that finds its end: blocks of 4 letters and a 0-3 letter tail.
    const word = 'AbCdEfGhIjKlMnOpQrStUvWxYz';
    for (let end = 1; end <= word.length; end++) {
      const w = word.slice(0, end);
      expect([...normalizedHashes(`.. ${w}, x`).hashes]).toEqual([murmur3String(w.toLowerCase()), murmur3String('x')]);
    }
  });
});
