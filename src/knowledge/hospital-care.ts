/**
 * The hospital side of disease, from data/hospital-care.json (encounter types of emergency visits
 * and admissions, discharge dispositions), and how deaths are attributed, from
 * data/mortality-causes.json (the cause-of-death code, and the causes the condition modules do not
 * model, for deaths none of them explains).
 */
import { z } from 'zod';
import { AcuteEpisodeSchema } from './conditions.js';
import { KnowledgeError } from '../errors.js';
import { LabKeySchema, loadLabs, PanelKeySchema, type LabKey, type PanelKey } from './labs.js';
import { loadKnowledgeFile, once } from './load.js';
import { CodingSchema, CurveSchema, ShareSchema } from './schemas.js';

const RangeSchema = z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo <= hi, 'range must be [low, high]');
/** Shifts of a stay's labs by the condition that brought the patient in, by lab key (labs.json). */
const LabShiftsSchema = z.record(z.string().min(1), z.partialRecord(LabKeySchema, z.number()));

/** A shift or anchor naming a lab that none of the drawn panels reports would silently do nothing: refused, named. */
function unreported(panels: readonly PanelKey[], byLab: Readonly<Partial<Record<LabKey, number>>>, where: string): string[] {
  const reported = new Set<LabKey>(panels.flatMap((p) => loadLabs().panels[p].members));
  return Object.keys(byLab)
    .filter((lab) => !reported.has(lab as LabKey))
    .map((lab) => `${where}.${lab} is no member of the panels ${panels.join(', ')}`);
}

export const HospitalCareSchema = z.strictObject({
  source: z.string().min(1),
  encounterTypes: z.strictObject({ emergency: CodingSchema, inpatient: CodingSchema }),
  dischargeDispositions: z.strictObject({ home: CodingSchema, snf: CodingSchema, exp: CodingSchema }),
  /**
   * A clinic visit booked for a day the patient is in hospital is rebooked this many days after
   * discharge [min, max] (the transitional-care visit; source in the file).
   */
  postDischargeVisitDays: z.tuple([z.number().int().nonnegative(), z.number().int().positive()]),
  postDischargeVisitSource: z.string().min(1),
  /** How long an emergency visit lasts, in hours [min, max]. */
  emergencyHours: z.tuple([z.number().positive(), z.number().positive()]),
  /** Deaths from a chronic condition that happen in hospital, after an admission for it. */
  terminalAdmission: z.strictObject({ inHospitalShare: ShareSchema, episode: AcuteEpisodeSchema }),
  /** Care during an admission: nursing vitals per shift, daily morning labs moved by the stay's condition. */
  inpatientCare: z.strictObject({
    source: z.string().min(1),
    firstDayEveryHours: z.number().positive(),
    everyHours: z.number().positive(),
    normalVitals: z.strictObject({
      heartRate: RangeSchema,
      respiratoryRate: RangeSchema,
      oxygenSaturation: RangeSchema,
      bodyTemperature: RangeSchema,
      systolic: RangeSchema,
      diastolic: RangeSchema,
    }),
    morningLabsHourUtc: z.number().int().min(0).max(23),
    panels: z.array(PanelKeySchema).min(1),
    /** Added to the patient's own value on the first morning, fading to nothing by discharge; by episode key, then lab key. */
    labShifts: LabShiftsSchema,
  }),
  /**
   * The ward chart of an admission for an acute illness (pneumonia, appendicitis...): a CBC and BMP
   * on arrival and each morning, moved by the illness and fading by discharge.
   */
  acuteWard: z.strictObject({
    source: z.string().min(1),
    /** Hours after the stay begins that the admission panels are drawn [min, max]. */
    admissionDrawHours: RangeSchema,
    panels: z.array(PanelKeySchema).min(1),
    /**
     * Analytes the emergency department already counted: the admission value starts from the ED's
     * result, with this standard deviation of repeat-draw noise.
     */
    emergencyAnchorSd: z.partialRecord(LabKeySchema, z.number().positive()),
    /** Added to the patient's own value on admission, fading to nothing by discharge; by acute module key, then lab key. */
    labShifts: LabShiftsSchema,
  }),
  /**
   * The ward chart of a planned operation stay (a cancer operation): preoperative CBC, BMP and type
   * and screen before the incision, postoperative CBC and BMP each morning, nursing vitals.
   */
  operationWard: z.strictObject({
    source: z.string().min(1),
    admissionSource: z.string().min(1),
    /** Local minute of the day an elective admission arrives [min, max] (06:00-07:30). */
    admissionLocalMinutes: RangeSchema,
    /** Local minute of the day a planned surgical stay is discharged [min, max]. */
    dischargeLocalMinutes: RangeSchema,
    /** Minutes from admission to the incision (the operation Procedure's start). */
    incisionAfterMinutes: z.number().positive(),
    /** Minutes after admission the preoperative labs are drawn [min, max]. */
    preoperativeDrawMinutes: RangeSchema,
    panels: z.array(PanelKeySchema).min(1),
    typeAndScreen: CodingSchema,
    /** Procedure.category of the type and screen: a blood-bank test, not an operation (notes list it with the labs, not the procedures). */
    typeAndScreenCategory: CodingSchema,
    dischargeAnalgesiaSource: z.string().min(1),
    /** Ordered at discharge, each a course from the discharge day (the opioid's course shorter from its guideline date). */
    dischargeAnalgesia: z.array(
      z.strictObject({
        medication: CodingSchema,
        courseDays: z.number().int().positive(),
        /** A different course length for discharges before `date` (the era before the CDC 2016 opioid guideline). */
        courseDaysBefore: z.strictObject({ date: z.iso.date(), courseDays: z.number().int().positive() }).optional(),
      }),
    ),
    /** Added to the patient's own value on the first postoperative morning, fading to nothing by discharge. */
    postoperativeShifts: z.partialRecord(LabKeySchema, z.number()),
    /** Hemoglobin change (g/dL) from the operation's blood loss, kept to discharge. */
    bloodLossHemoglobin: z.number().max(0),
  }),
}).superRefine((k, ctx) => {
  // The preoperative results (stat, up to 2 h: lab-turnaround.yaml) are back before the incision.
  if (k.operationWard.preoperativeDrawMinutes[1] + 120 > k.operationWard.incisionAfterMinutes) {
    ctx.addIssue({ code: 'custom', path: ['operationWard', 'preoperativeDrawMinutes'], message: 'preoperative labs drawn too close to the incision' });
  }
});
export type HospitalCare = z.infer<typeof HospitalCareSchema>;

export const loadHospitalCare = once(() => {
  const care = loadKnowledgeFile('hospital-care.json', HospitalCareSchema);
  const bad = [
    ...Object.entries(care.inpatientCare.labShifts).flatMap(([c, byLab]) => unreported(care.inpatientCare.panels, byLab, `inpatientCare.labShifts.${c}`)),
    ...Object.entries(care.acuteWard.labShifts).flatMap(([c, byLab]) => unreported(care.acuteWard.panels, byLab, `acuteWard.labShifts.${c}`)),
    ...unreported(care.acuteWard.panels, care.acuteWard.emergencyAnchorSd, 'acuteWard.emergencyAnchorSd'),
    ...unreported(care.operationWard.panels, care.operationWard.postoperativeShifts, 'operationWard.postoperativeShifts'),
  ];
  if (bad.length > 0) throw new KnowledgeError(`knowledge file hospital-care.json: ${bad.join('; ')}`);
  return care;
});

export const MortalityCausesSchema = z.strictObject({
  source: z.string().min(1),
  /** The Observation code a cause of death is recorded under. */
  causeOfDeath: CodingSchema,
  /** Hazard weight of the causes no module models, against a condition's excess (multiplier - 1). */
  backgroundWeightByAge: CurveSchema,
  /** Causes outside the condition modules, weighted by age at death. */
  otherCauses: z.array(z.strictObject({ code: CodingSchema, weightByAge: CurveSchema })).min(1),
});
export type MortalityCauses = z.infer<typeof MortalityCausesSchema>;

export const loadMortalityCauses = once(() => loadKnowledgeFile('mortality-causes.json', MortalityCausesSchema));
