/** US Core 6.1.0 profile canonicals, by the record item they fit. */
const base = 'http://hl7.org/fhir/us/core/StructureDefinition/';

export const US_CORE_VERSION = '6.1.0';

export const PROFILES = {
  patient: `${base}us-core-patient`,
  encounter: `${base}us-core-encounter`,
  organization: `${base}us-core-organization`,
  practitioner: `${base}us-core-practitioner`,
  location: `${base}us-core-location`,
  immunization: `${base}us-core-immunization`,
  allergyIntolerance: `${base}us-core-allergyintolerance`,
  smokingStatus: `${base}us-core-smokingstatus`,
  bloodPressure: `${base}us-core-blood-pressure`,
  bmi: `${base}us-core-bmi`,
  bodyWeight: `${base}us-core-body-weight`,
  bodyHeight: `${base}us-core-body-height`,
  heartRate: `${base}us-core-heart-rate`,
  respiratoryRate: `${base}us-core-respiratory-rate`,
  bodyTemperature: `${base}us-core-body-temperature`,
  pulseOximetry: `${base}us-core-pulse-oximetry`,
  headCircumference: `${base}us-core-head-circumference`,
  pediatricBmiForAge: 'http://hl7.org/fhir/us/core/StructureDefinition/pediatric-bmi-for-age',
  pediatricWeightForHeight: 'http://hl7.org/fhir/us/core/StructureDefinition/pediatric-weight-for-height',
  headCircumferencePercentile: 'http://hl7.org/fhir/us/core/StructureDefinition/head-occipital-frontal-circumference-percentile',
  condition: `${base}us-core-condition-problems-health-concerns`,
  conditionEncounterDiagnosis: `${base}us-core-condition-encounter-diagnosis`,
  observationLab: `${base}us-core-observation-lab`,
  diagnosticReportLab: `${base}us-core-diagnosticreport-lab`,
  diagnosticReportNote: `${base}us-core-diagnosticreport-note`,
  documentReference: `${base}us-core-documentreference`,
  medicationRequest: `${base}us-core-medicationrequest`,
  procedure: `${base}us-core-procedure`,
  carePlan: `${base}us-core-careplan`,
  careTeam: `${base}us-core-careteam`,
  coverage: `${base}us-core-coverage`,
  goal: `${base}us-core-goal`,
  provenance: `${base}us-core-provenance`,
  pregnancyStatus: `${base}us-core-observation-pregnancystatus`,
  simpleObservation: `${base}us-core-simple-observation`,
  screeningAssessment: `${base}us-core-observation-screening-assessment`,
} as const;

export const US_CORE_EXTENSIONS = {
  race: `${base}us-core-race`,
  ethnicity: `${base}us-core-ethnicity`,
  birthSex: `${base}us-core-birthsex`,
} as const;
