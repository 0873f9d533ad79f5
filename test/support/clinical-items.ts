/**
 * Adds to simulated records the clinical items other modules write (acute episodes with their
 * antibiotics, emergency visits and inpatient stays with procedures, imaging and a disposition, lab
 * panels), through the shared record types only, so the notes layer can be tested on them before
 * those modules exist. Deterministic by the record's index.
 */
import { MS_PER_DAY, MS_PER_HOUR } from '../../src/core/time.js';
import type { Coding, ConditionEntry, Encounter, LabReport, LabResult, MedicationOrder, PatientRecord, ProcedureEntry } from '../../src/record/types.js';
import { SYSTEMS } from '../../src/record/types.js';

const snomed = (code: string, display: string): Coding => ({ system: SYSTEMS.snomed, code, display });
const loinc = (code: string, display: string): Coding => ({ system: SYSTEMS.loinc, code, display });
const rxnorm = (code: string, display: string): Coding => ({ system: SYSTEMS.rxnorm, code, display });
const HOME: Coding = { system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'home', display: 'Home' };
const EXPIRED: Coding = { system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'exp', display: 'Expired' };
const SNF: Coding = { system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'snf', display: 'Skilled nursing facility' };

interface Episode {
  readonly cls: 'EMER' | 'IMP';
  readonly type: Coding;
  readonly diagnosis: Coding;
  readonly drug: Coding;
  readonly procedures: readonly Coding[];
  readonly days: number;
}

const EPISODES: readonly Episode[] = [
  {
    cls: 'EMER',
    type: snomed('50849002', 'Emergency room admission (procedure)'),
    diagnosis: snomed('10509002', 'Acute bronchitis (disorder)'),
    drug: rxnorm('308182', 'amoxicillin 500 MG Oral Capsule'),
    procedures: [snomed('399208008', 'Plain chest X-ray (procedure)')],
    days: 0,
  },
  {
    cls: 'IMP',
    type: snomed('32485007', 'Hospital admission (procedure)'),
    diagnosis: snomed('233604007', 'Pneumonia (disorder)'),
    drug: rxnorm('562251', 'amoxicillin 875 MG / clavulanate potassium 125 MG Oral Tablet'),
    procedures: [snomed('399208008', 'Plain chest X-ray (procedure)'), snomed('18629005', 'Administration of drug or medicament (procedure)')],
    days: 3,
  },
  {
    cls: 'IMP',
    type: snomed('32485007', 'Hospital admission (procedure)'),
    diagnosis: snomed('230690007', 'Cerebrovascular accident (disorder)'),
    drug: rxnorm('243670', 'aspirin 81 MG Oral Tablet'),
    procedures: [snomed('303653007', 'Computed tomography of head (procedure)')],
    days: 5,
  },
];

const PANEL: readonly { code: Coding; unit: string; low: number; high: number; base: number; spread: number }[] = [
  { code: loinc('2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma'), unit: 'mg/dL', low: 0, high: 200, base: 190, spread: 40 },
  { code: loinc('2089-1', 'Cholesterol in LDL [Mass/volume] in Serum or Plasma'), unit: 'mg/dL', low: 0, high: 100, base: 115, spread: 30 },
  { code: loinc('2085-9', 'Cholesterol in HDL [Mass/volume] in Serum or Plasma'), unit: 'mg/dL', low: 40, high: 200, base: 50, spread: 10 },
  { code: loinc('2571-8', 'Triglyceride [Mass/volume] in Serum or Plasma'), unit: 'mg/dL', low: 0, high: 150, base: 140, spread: 50 },
  { code: loinc('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma'), unit: 'mg/dL', low: 0.6, high: 1.3, base: 1.0, spread: 0.4 },
  { code: loinc('33914-3', 'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)'), unit: 'mL/min/{1.73_m2}', low: 60, high: 120, base: 80, spread: 25 },
  { code: loinc('2823-3', 'Potassium [Moles/volume] in Serum or Plasma'), unit: 'mmol/L', low: 3.5, high: 5.1, base: 4.3, spread: 0.5 },
  { code: loinc('2345-7', 'Glucose [Mass/volume] in Serum or Plasma'), unit: 'mg/dL', low: 70, high: 99, base: 105, spread: 25 },
  { code: loinc('3016-3', 'Thyrotropin [Units/volume] in Serum or Plasma'), unit: 'm[IU]/L', low: 0.4, high: 4.0, base: 2.2, spread: 1.5 },
  { code: loinc('9999-9', 'Made-up analyte [Mass/volume] in Urine'), unit: 'mg/dL', low: 0, high: 30, base: 12, spread: 10 },
];

/** A deterministic unit number from the record index and a salt. */
function unit(index: number, salt: number): number {
  const x = Math.sin(index * 12.9898 + salt * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** The record with an episode (for adults), a lab panel at its last office visit, and imaging. */
export function withClinicalItems(record: PatientRecord): PatientRecord {
  const end = record.encounters.at(-1)?.end;
  const age = (end ?? 0) - record.demographics.birthTime;
  if (end === undefined || age < 18 * 365 * MS_PER_DAY) return record;
  const i = record.index + record.attempt * 7919;
  const hospital = record.providers.organizations.find((o) => o.kind === 'hospital') ?? record.providers.organizations[0]!;
  const location = record.providers.locations.find((l) => l.organizationId === hospital.id) ?? record.providers.locations[0]!;
  const practitioner = record.primaryCare.practitionerId;
  const encounters: Encounter[] = [...record.encounters];
  const conditions: ConditionEntry[] = [...record.conditions];
  const medications: MedicationOrder[] = [...record.medications];
  const procedures: ProcedureEntry[] = [...record.procedures];
  const labReports: LabReport[] = [...record.labReports];

  // Some stays are for a chronic problem the record already has (an exacerbation): the reason is that condition.
  const chronic = record.conditions.find((c) => ['asthma', 'copd', 'heart-failure'].includes(c.key) && c.abatement === undefined && c.recorded < end - 400 * MS_PER_DAY);
  const exacerbation = chronic !== undefined && i % 2 === 0;
  const episode = exacerbation
    ? { ...EPISODES[1]!, diagnosis: chronic.code, drug: rxnorm('312615', 'prednisone 20 MG Oral Tablet') }
    : EPISODES[i % EPISODES.length]!;
  const start = end - (20 + Math.floor(unit(i, 1) * 200)) * MS_PER_DAY;
  const stayEnd = start + (episode.days === 0 ? 5 * MS_PER_HOUR : episode.days * MS_PER_DAY);
  const encounterId = `enriched-enc-${record.id}`;
  const conditionId = `enriched-cond-${record.id}`;
  encounters.push({
    id: encounterId,
    class: episode.cls,
    type: episode.type,
    start,
    end: stayEnd,
    practitionerId: practitioner,
    organizationId: hospital.id,
    locationId: location.id,
    reason: exacerbation ? snomed('999000001', `Acute exacerbation of ${chronic.code.display.replace(/ \(disorder\)$/, '').toLowerCase()} (disorder)`) : episode.diagnosis,
    dischargeDisposition: episode.cls === 'IMP' && i % 4 === 1 ? EXPIRED : i % 5 === 0 ? SNF : HOME,
    reasonConditionId: exacerbation ? chronic.id : conditionId,
  });
  if (!exacerbation) conditions.push({
    id: conditionId,
    key: 'enriched-episode',
    code: episode.diagnosis,
    category: 'encounter-diagnosis',
    onset: start - 2 * MS_PER_DAY,
    recorded: start,
    encounterId,
    practitionerId: practitioner,
    clinicalStatus: 'resolved',
    abatement: stayEnd + 10 * MS_PER_DAY,
  });
  medications.push({
    id: `enriched-med-${record.id}`,
    medication: episode.drug,
    conditionId: exacerbation ? chronic.id : conditionId,
    encounterId,
    practitionerId: practitioner,
    authored: start + MS_PER_HOUR,
    status: 'completed',
    end: stayEnd + 7 * MS_PER_DAY,
  });
  episode.procedures.forEach((code, k) => {
    procedures.push({
      id: `enriched-proc-${record.id}-${k}`,
      code,
      encounterId,
      practitionerId: practitioner,
      start: start + (k + 1) * MS_PER_HOUR,
      end: start + (k + 2) * MS_PER_HOUR,
      reasonConditionId: exacerbation ? chronic.id : conditionId,
    });
  });

  const office = [...record.encounters].reverse().find((e) => e.class === 'AMB' && e.start < start);
  if (office !== undefined) {
    const results: LabResult[] = PANEL.map((p, k) => ({
      id: `enriched-lab-${record.id}-${k}`,
      code: p.code,
      value: round(p.base + (unit(i, 10 + k) - 0.5) * 2 * p.spread, p.high < 10 ? 1 : 0),
      unit: p.unit,
      low: p.low,
      high: p.high,
    }));
    labReports.push({
      id: `enriched-report-${record.id}`,
      code: loinc('24323-8', 'Comprehensive metabolic 2000 panel - Serum or Plasma'),
      encounterId: office.id,
      practitionerId: office.practitionerId,
      time: office.start + 30 * 60_000,
      results,
    });
  }
  encounters.sort((a, b) => a.start - b.start);
  return { ...record, encounters, conditions, medications, procedures, labReports };
}
