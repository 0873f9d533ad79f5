// Fidelity measures over a generated cohort's bundles (OUT/fhir/*.json), the prevalence table of
// issue 4. Plain ESM JS so the bench, the calibration script and the tests share one definition.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const SNOMED = 'http://snomed.info/sct';
const ACTIVE = new Set(['active', 'recurrence', 'relapse']);
export const CODES = {
  hypertension: ['59621000'],
  diabetes: ['44054006', '46635009'],
  asthma: ['195967001'],
  copd: ['13645005'],
  ckd: ['709044004', '431855005', '431856006', '433144002', '431857002', '433146000'],
};
const CURRENT_SMOKER = new Set(['449868002', '428041000124106', '77176002']);

/** The bands of the table: [low, high] shares (or a minimum difference for HbA1c). */
export const BANDS = {
  hypertension: [0.3, 0.55],
  diabetes: [0.08, 0.15],
  obesity: [0.32, 0.5],
  smokers: [0.08, 0.18],
  asthma: [0.05, 0.11],
  copd: [0.02, 0.08],
  ckd: [0.08, 0.18],
  hba1cGap: [1.0, Infinity],
  mmr: [0.88, 1],
};

function ageAt(birthDate, ref) {
  const b = new Date(`${birthDate}T00:00:00Z`);
  let age = ref.getUTCFullYear() - b.getUTCFullYear();
  if (ref.getUTCMonth() < b.getUTCMonth() || (ref.getUTCMonth() === b.getUTCMonth() && ref.getUTCDate() < b.getUTCDate())) age--;
  return age;
}

const latest = (list) => list.reduce((a, b) => (a === undefined || b.t >= a.t ? b : a), undefined);

/** Measures one bundle; undefined for deceased patients (prevalence counts only the living). */
export function measureBundle(bundle) {
  const ref = new Date(bundle.timestamp);
  const resources = bundle.entry.map((e) => e.resource);
  const patient = resources.find((r) => r.resourceType === 'Patient');
  if (patient.deceasedDateTime !== undefined || patient.deceasedBoolean === true) return undefined;
  const age = ageAt(patient.birthDate, ref);
  const has = new Set();
  const smoking = [];
  const bmi = [];
  const a1c = [];
  let mmr = false;
  for (const r of resources) {
    if (r.resourceType === 'Condition') {
      const status = r.clinicalStatus?.coding?.[0]?.code;
      const abated = r.abatementDateTime !== undefined && new Date(r.abatementDateTime) <= ref;
      if (ACTIVE.has(status) && !abated) for (const c of r.code.coding) if (c.system === SNOMED) has.add(c.code);
    } else if (r.resourceType === 'Observation') {
      const code = r.code.coding[0].code;
      const t = Date.parse(r.effectiveDateTime);
      if (code === '72166-2') smoking.push({ t, v: r.valueCodeableConcept?.coding?.[0]?.code });
      else if (code === '39156-5') bmi.push({ t, v: r.valueQuantity.value });
      else if (code === '4548-4') a1c.push({ t, v: r.valueQuantity.value });
    } else if (r.resourceType === 'Immunization') {
      if (r.vaccineCode.coding.some((c) => c.code === '03')) mmr = true;
    }
  }
  const any = (codes) => codes.some((c) => has.has(c));
  return {
    age,
    hypertension: any(CODES.hypertension),
    diabetes: any(CODES.diabetes),
    asthma: any(CODES.asthma),
    copd: any(CODES.copd),
    ckd: any(CODES.ckd),
    smoker: CURRENT_SMOKER.has(latest(smoking)?.v),
    obese: (latest(bmi)?.v ?? 0) >= 30,
    hba1c: latest(a1c)?.v,
    mmr,
    resources: resources.length,
  };
}

/** The prevalence table for a folder of bundles. */
export function measureCohort(outDir) {
  const dir = join(outDir, 'fhir');
  const rows = [];
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.json')) continue;
    const m = measureBundle(JSON.parse(readFileSync(join(dir, f), 'utf8')));
    if (m !== undefined) rows.push(m);
  }
  const adults = rows.filter((r) => r.age >= 18);
  const kids = rows.filter((r) => r.age >= 2 && r.age <= 17);
  const share = (list, pick) => (list.length === 0 ? 0 : list.filter(pick).length / list.length);
  const mean = (xs) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
  const dm = adults.filter((r) => r.diabetes && r.hba1c !== undefined).map((r) => r.hba1c);
  const other = adults.filter((r) => !r.diabetes && r.hba1c !== undefined).map((r) => r.hba1c);
  return {
    living: rows.length,
    adults: adults.length,
    measures: {
      hypertension: share(adults, (r) => r.hypertension),
      diabetes: share(adults, (r) => r.diabetes),
      obesity: share(adults, (r) => r.obese),
      smokers: share(adults, (r) => r.smoker),
      asthma: share(rows, (r) => r.asthma),
      copd: share(adults, (r) => r.copd),
      ckd: share(adults, (r) => r.ckd),
      hba1cGap: mean(dm) - mean(other),
      mmr: share(kids, (r) => r.mmr),
    },
    hba1c: { diabetic: mean(dm), other: mean(other), diabeticN: dm.length, otherN: other.length },
  };
}

/** Whether a measure lies in its band, with the band widened by `slack` on each side. */
export function inBand(name, value, slack = 0) {
  const [lo, hi] = BANDS[name];
  return value >= lo - slack && value <= hi + slack;
}
