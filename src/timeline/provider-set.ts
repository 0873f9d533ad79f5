import type { Location, Organization, Practitioner, ProviderSet } from '../record/types.js';
import type { Site } from './providers.js';

/**
 * Collects the sites one record references, each once, in first-use order. Practitioners are
 * booked by post; the record names the physicians holding those posts ({@link build}).
 */
export class ProviderSetBuilder {
  private readonly organizations = new Map<string, Organization>();
  private readonly locations = new Map<string, Location>();

  /** Registers the site a post of which sees the patient (the post itself is resolved later). */
  add(site: Site, _post: Practitioner): void {
    this.organizations.set(site.organization.id, site.organization);
    this.locations.set(site.location.id, site.location);
  }

  /** @param holders the physicians the restaffed record names (each a holder of a post added here). */
  build(holders: readonly Practitioner[]): ProviderSet {
    return {
      organizations: [...this.organizations.values()],
      locations: [...this.locations.values()],
      practitioners: [...holders],
    };
  }
}
