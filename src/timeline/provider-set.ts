import type { Location, Organization, Practitioner, ProviderSet } from '../record/types.js';
import type { Site } from './providers.js';

/** Collects the provider entities one record references, each once, in first-use order. */
export class ProviderSetBuilder {
  private readonly organizations = new Map<string, Organization>();
  private readonly locations = new Map<string, Location>();
  private readonly practitioners = new Map<string, Practitioner>();

  add(site: Site, practitioner: Practitioner): void {
    this.organizations.set(site.organization.id, site.organization);
    this.locations.set(site.location.id, site.location);
    if (!this.practitioners.has(practitioner.id)) {
      // Keep only the record's fields (the directory's entries carry a working role too).
      const { id, npi, givenNames, familyName, sex, specialty, organizationId } = practitioner;
      this.practitioners.set(id, { id, npi, givenNames, familyName, sex, specialty, organizationId });
    }
  }

  build(): ProviderSet {
    return {
      organizations: [...this.organizations.values()],
      locations: [...this.locations.values()],
      practitioners: [...this.practitioners.values()],
    };
  }
}
