/**
 * Places: care is near home and telephone numbers fit their place. Every encounter's organization
 * lies in the patient's home region (the city cluster of their ZIP, area-codes.yaml), not across
 * the state; the patient's and each organization's phone carry an area code of their ZIP's region.
 */
import { regionOfZip } from '../knowledge/area-codes.js';
import type { FhirResource } from './bundle-source.js';
import { referenceOf } from './bundle-view.js';
import type { CheckRule } from './rule.js';

const zipOf = (r: FhirResource | undefined): string | undefined => {
  const a = r?.['address'];
  const first = (Array.isArray(a) ? a[0] : a) as { postalCode?: unknown } | undefined;
  return typeof first?.postalCode === 'string' ? first.postalCode : undefined;
};

const phoneOf = (r: FhirResource): string | undefined => {
  const t = (r['telecom'] as { system?: unknown; value?: unknown }[] | undefined)?.find((x) => x.system === 'phone');
  return typeof t?.value === 'string' ? t.value : undefined;
};

export const carePlaces: CheckRule = {
  id: 'clinical.care-near-home',
  family: 'clinical',
  title: "every encounter's organization is in the patient's home region; phones carry an area code of their ZIP's region",
  check(view, emit) {
    const patient = view.patient;
    const homeZip = zipOf(patient);
    const home = homeZip === undefined ? undefined : regionOfZip(homeZip);
    if (patient === undefined || home === undefined) return;
    const areaCodeFits = (r: FhirResource, what: string): void => {
      const phone = phoneOf(r);
      const zip = zipOf(r);
      const region = zip === undefined ? undefined : regionOfZip(zip);
      if (phone === undefined || region === undefined) return;
      if (!region.areaCodes.includes(phone.slice(0, 3))) emit(r, `${what} phone ${phone} has area code ${phone.slice(0, 3)}, not one of ${region.city}, ${region.state} (${region.areaCodes.join('/')})`);
    };
    areaCodeFits(patient, 'patient');
    const seen = new Set<string>();
    for (const r of view.resources) {
      if (r.resourceType !== 'Encounter') continue;
      const ref = referenceOf(r['serviceProvider']);
      const org = ref === undefined ? undefined : view.resolve(ref);
      const zip = zipOf(org);
      const region = zip === undefined ? undefined : regionOfZip(zip);
      if (org === undefined || region === undefined) continue;
      if (region.key !== home.key) {
        emit(r, `seen at ${String(org['name'])} in ${region.city}, ${region.state} region, away from home in the ${home.city}, ${home.state} region (ZIP ${homeZip})`);
      }
      if (!seen.has(org.id)) {
        seen.add(org.id);
        areaCodeFits(org, `organization ${String(org['name'])}`);
      }
    }
  },
};
