/**
 * The LOINC code(s) of each vital-sign kind. The record keeps the kind; the FHIR layer writes these
 * codes, and the timeline asks each code's availability period (pulse oximetry from 1987, growth-chart
 * percentiles from their charts) before it charts the sign.
 */
import type { VitalKind } from './types.js';

/** A LOINC coding of a vital sign, the first the primary one. */
export interface VitalCode {
  readonly code: string;
  readonly display: string;
}

/** LOINC codes of each vital sign, primary first. */
export const VITAL_CODES: Readonly<Record<VitalKind, readonly VitalCode[]>> = {
  bodyHeight: [{ code: '8302-2', display: 'Body height' }],
  bodyWeight: [{ code: '29463-7', display: 'Body weight' }],
  bmi: [{ code: '39156-5', display: 'Body mass index (BMI) [Ratio]' }],
  heartRate: [{ code: '8867-4', display: 'Heart rate' }],
  respiratoryRate: [{ code: '9279-1', display: 'Respiratory rate' }],
  bodyTemperature: [{ code: '8310-5', display: 'Body temperature' }],
  oxygenSaturation: [{ code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' }, { code: '2708-6', display: 'Oxygen saturation in Arterial blood' }],
  headCircumference: [{ code: '9843-4', display: 'Head Occipital-frontal circumference' }],
  bmiPercentile: [{ code: '59576-9', display: 'Body mass index (BMI) [Percentile] Per age and sex' }],
  weightForLengthPercentile: [{ code: '77606-2', display: 'Weight-for-length Per age and sex' }],
  headCircumferencePercentile: [{ code: '8289-1', display: 'Head Occipital-frontal circumference Percentile' }],
};
