/**
 * How clinicians name a prescribed drug, read off its RxNorm display: "24 HR metformin
 * hydrochloride 500 MG Extended Release Oral Tablet" is "metformin 500 mg ER tablet", and
 * "levothyroxine sodium 0.075 MG Oral Tablet" is "levothyroxine 75 mcg tablet". Pure and generic
 * over RxNorm's clinical-drug naming (ingredient strength unit dose-form, " / " between ingredients,
 * "[Brand]" for branded drugs), so new drug knowledge needs no code.
 */

/** A drug as a chart names it. */
export interface DrugName {
  /** The clinician's label, e.g. "metformin 500 mg ER tablet". */
  readonly label: string;
  /** Active ingredients without their salts, e.g. ["metformin"]. */
  readonly ingredients: readonly string[];
  /** Other accepted names: ingredient and strength, combined ingredients, brand. */
  readonly synonyms: readonly string[];
}

/** Salt and ester words dropped after an ingredient ("atorvastatin calcium" is atorvastatin). */
const SALTS = new Set([
  'hydrochloride', 'hcl', 'sodium', 'potassium', 'calcium', 'magnesium', 'besylate', 'maleate', 'succinate',
  'tartrate', 'citrate', 'mesylate', 'fumarate', 'bromide', 'sulfate', 'propionate', 'furoate', 'dipropionate',
  'hyclate', 'monohydrate', 'trihydrate', 'dihydrate', 'acetate', 'phosphate', 'disodium', 'hydrobromide',
  'bitartrate', 'xinafoate', 'valerate', 'benzoate', 'lactate',
]);

/** RxNorm dose forms as charts abbreviate them; the longest matching form wins. */
const DOSE_FORMS: readonly (readonly [RegExp, string])[] = [
  [/^extended release oral tablet$/i, 'ER tablet'],
  [/^extended release oral capsule$/i, 'ER capsule'],
  [/^delayed release oral tablet$/i, 'DR tablet'],
  [/^delayed release oral capsule$/i, 'DR capsule'],
  [/^chewable tablet$/i, 'chewable tablet'],
  [/^oral tablet$/i, 'tablet'],
  [/^oral capsule$/i, 'capsule'],
  [/^oral suspension$/i, 'oral suspension'],
  [/^oral solution$/i, 'oral solution'],
  [/^metered dose inhaler$/i, 'inhaler'],
  [/^dry powder inhaler$/i, 'inhaler'],
  [/^inhalation (?:solution|suspension)$/i, 'nebulizer solution'],
  [/^inhalation powder$/i, 'inhaler'],
  [/^nasal spray$/i, 'nasal spray'],
  [/^(?:injectable (?:solution|suspension)|injection)$/i, 'injection'],
  [/^prefilled syringe$/i, 'prefilled syringe'],
  [/^pen injector$/i, 'pen'],
  [/^auto-injector$/i, 'auto-injector'],
  [/^topical (?:cream|ointment|gel|lotion)$/i, ''],
  [/^transdermal system$/i, 'patch'],
  [/^rectal suppository$/i, 'suppository'],
  [/^ophthalmic solution$/i, 'eye drops'],
];

const COMPONENT = /^(.+?)\s+(\d+(?:\.\d+)?)\s+(MG|MCG|G|ML|UNT|MEQ|MMOL|%)(?:\/(ML|ACTUAT|HR|MG|G))?(?:\s+(.*))?$/;

/** Strength as clinicians write it: below 1 mg in micrograms. */
function strengthText(amount: number, unit: string, per: string | undefined): string {
  let value = amount;
  let u = unit.toLowerCase();
  if (u === 'mg' && amount < 1) {
    value = Math.round(amount * 1_000_000) / 1000;
    u = 'mcg';
  }
  if (u === 'unt') u = 'units';
  if (u === 'meq') u = 'mEq';
  if (u === 'ml') u = 'mL';
  const perText = per === undefined ? '' : per === 'ACTUAT' ? '/actuation' : per === 'ML' ? '/mL' : `/${per.toLowerCase()}`;
  return `${value} ${u}${perText}`;
}

function ingredientName(words: string): string {
  const parts = words.trim().split(/\s+/);
  while (parts.length > 1 && SALTS.has(parts[parts.length - 1]!.toLowerCase())) parts.pop();
  // Single capitals name a variant ("penicillin V", "vitamin B12"), so they keep their case.
  return parts.map((w) => (/^[A-Z][0-9]*$/.test(w) ? w : w.toLowerCase())).join(' ');
}

function doseForm(text: string): string {
  const form = text.trim();
  for (const [pattern, short] of DOSE_FORMS) if (pattern.test(form)) return short;
  return form.toLowerCase();
}

/** The chart name of an RxNorm clinical or branded drug display; unparseable displays are kept as written. */
export function drugName(display: string): DrugName {
  let text = display.trim();
  let brand: string | undefined;
  const branded = /\s*\[([^\]]+)\]\s*$/.exec(text);
  if (branded !== null) {
    brand = branded[1]!;
    text = text.slice(0, branded.index);
  }
  // Leading quantity of a pack or release period: "24 HR", "200 ACTUAT", "0.4 ML".
  text = text.replace(/^\d+(?:\.\d+)?\s+(?:HR|ACTUAT|ML|DAY)\s+/, '');
  const pieces = text.split(/\s+\/\s+/);
  const ingredients: string[] = [];
  const strengths: string[] = [];
  let form = '';
  for (const [i, piece] of pieces.entries()) {
    const m = COMPONENT.exec(piece);
    if (m === null) return fallback(display, brand);
    ingredients.push(ingredientName(m[1]!));
    strengths.push(strengthText(Number(m[2]), m[3]!, m[4]));
    if (i === pieces.length - 1) form = doseForm(m[5] ?? '');
    else if (m[5] !== undefined && m[5] !== '') return fallback(display, brand);
  }
  const name = ingredients.join('-');
  let strength = ingredients.length === 1 ? strengths[0]! : strengths.join('/');
  // Oral liquids are written per 5 mL, the teaspoon the label doses by ("160 mg/5 mL", not "32 mg/mL").
  const perMl = /^(\d+(?:\.\d+)?) mg\/mL$/.exec(strength);
  const perMlStrength = strength;
  if (perMl !== null && (form === 'oral suspension' || form === 'oral solution')) strength = `${Math.round(Number(perMl[1]) * 5 * 100) / 100} mg/5 mL`;
  const label = [name, strength, form].filter((x) => x !== '').join(' ');
  const synonyms = new Set<string>([...ingredients, name, `${name} ${strength}`, `${name} ${perMlStrength}`]);
  if (ingredients.length > 1) synonyms.add(ingredients.join(' and '));
  if (brand !== undefined) synonyms.add(brand);
  synonyms.delete(label);
  return { label, ingredients, synonyms: [...synonyms] };
}

function fallback(display: string, brand: string | undefined): DrugName {
  const label = display.trim();
  return { label, ingredients: [], synonyms: brand === undefined ? [] : [brand] };
}
