import { describe, expect, it } from 'vitest';
import { MemoryIndex } from '../../src/dedup/memory-index.js';
import { normalizeText } from '../../src/dedup/normalize.js';
import { createSigner, prepareText } from '../../src/dedup/prepared-text.js';
import { resolveDedupParams } from '../../src/dedup/settings.js';
import { proseTokens, valueFieldMask } from '../../src/dedup/value-fields.js';

const panel = (g: number, day: string): string =>
  [`BP ${110 + g}/${70 + g}, HR ${60 + g}, RR 14, Temp 36.${g}C, SpO2 9${g}%, Wt ${60 + g}.1 kg, Ht 16${g}.2 cm, BMI 2${g}.3`, '', 'Labs:']
    .concat(['Glucose', 'BUN', 'Creatinine', 'eGFR', 'Sodium', 'Potassium', 'Chloride', 'CO2', 'Calcium'].map((a, i) => `${a} ${g * 3 + i} ${i < 4 ? 'mg/dL' : 'mmol/L'} [${day}]`))
    .join('\n');
const prose =
  'The patient reports that the cough began after a long flight and has slowly improved with rest, fluids and honey in warm tea. ' +
  'She denies fever, chills, night sweats or weight loss, and has not noticed blood in the sputum at any point. Her husband had a similar illness ' +
  'last month that resolved on its own within two weeks. She would like to avoid antibiotics unless they are clearly needed and asks about returning to work.';

describe('value fields', () => {
  it('marks masked values with the label before and the unit and flag after, on their own line only', () => {
    const text = 'Glucose 122 mg/dL (H)\nPlan: recheck in clinic';
    const n = normalizeText(text);
    expect(n.tokens).toEqual(['glucose', '#num', 'mg', 'dl', 'h', 'plan', 'recheck', 'in', 'clinic']);
    expect([...valueFieldMask(n, text)]).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0]);
    expect(proseTokens(valueFieldMask(n, text), 0, n.tokens.length)).toBe(5);
  });

  it('does not flag two patients sharing a vitals line and lab panel, flags shared prose, and flags both with flagValueLists', () => {
    for (const valueLists of ['ignore', 'flag'] as const) {
      const signer = createSigner(resolveDedupParams({ flagValueLists: valueLists === 'flag' }));
      const index = new MemoryIndex(signer);
      const a = { id: 'a', group: 'p1', text: `Vitals:\n${panel(1, '2019-09-21')}\n\nHPI: ${prose}` };
      index.add(a, prepareText(a.text, undefined, signer));
      const b = { id: 'b', group: 'p2', text: `Vitals:\n${panel(4, '2022-04-27')}\n\nAssessment: viral bronchitis, improving.` };
      const onlyPanel = index.check(b, prepareText(b.text, undefined, signer));
      const c = { id: 'c', group: 'p3', text: `HPI: ${prose}\n\nPlan: supportive care.` };
      const withProse = index.check(c, prepareText(c.text, undefined, signer));
      // The panel is one shared run of well over 50 tokens once values are masked.
      expect([...onlyPanel.exact, ...onlyPanel.valueLists].map((f) => f.tokens)[0]).toBeGreaterThan(50);
      expect(onlyPanel.exact).toHaveLength(valueLists === 'flag' ? 1 : 0);
      expect(onlyPanel.valueLists).toHaveLength(valueLists === 'flag' ? 0 : 1);
      expect(withProse.exact).toHaveLength(1);
      expect(withProse.exact[0]!.proseTokens).toBeGreaterThanOrEqual(50);
    }
  });
});
