/** Short names of the code systems, as BRAT normalization and bigbio `db_name` want them. */
const DB_NAMES: Readonly<Record<string, string>> = {
  'http://snomed.info/sct': 'SNOMED',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'RXNORM',
  'http://loinc.org': 'LOINC',
  'http://hl7.org/fhir/sid/cvx': 'CVX',
  'http://hl7.org/fhir/sid/icd-10-cm': 'ICD10CM',
};

/** Where a reader can look a code up (BRAT `tools.conf` URLs). */
export const DB_URLS: Readonly<Record<string, { url: string; urlBase: string }>> = {
  SNOMED: { url: 'https://browser.ihtsdotools.org/', urlBase: 'https://browser.ihtsdotools.org/?perspective=full&conceptId1=%s' },
  RXNORM: { url: 'https://mor.nlm.nih.gov/RxNav/', urlBase: 'https://mor.nlm.nih.gov/RxNav/search?searchBy=RXCUI&searchTerm=%s' },
  LOINC: { url: 'https://loinc.org/', urlBase: 'https://loinc.org/%s' },
  CVX: { url: 'https://www2a.cdc.gov/vaccines/iis/iisstandards/vaccines.asp?rpt=cvx', urlBase: 'https://www2a.cdc.gov/vaccines/iis/iisstandards/vaccines.asp?rpt=cvx#%s' },
  ICD10CM: { url: 'https://www.icd10data.com/', urlBase: 'https://www.icd10data.com/search?s=%s' },
  FHIR: { url: 'https://hl7.org/fhir/R4/', urlBase: 'https://hl7.org/fhir/R4/%s' },
};

export function dbName(system: string): string {
  return DB_NAMES[system] ?? (system.split(/[/:]/).filter(Boolean).at(-1) ?? system).toUpperCase().replace(/[^A-Z0-9_-]/g, '');
}
