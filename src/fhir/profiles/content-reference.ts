/**
 * An adaptation of IG snapshots for Medplum's profile parser. Medplum resolves an element's
 * `contentReference` (`#Provenance.agent`) to the last element it has read at that path; when the
 * profile slices that path, the last one is a slice, so the referring element (US Core Provenance's
 * `Provenance.entity.agent`) is read as a slice without its slicing and the whole profile fails to
 * load ("Invalid slice start before discriminator"). Writing such an element out in full, from the
 * unsliced definition it refers to, says the same thing in a form Medplum reads.
 */
interface ElementLike {
  readonly id?: string;
  readonly path?: string;
  readonly sliceName?: string;
  readonly contentReference?: string;
  readonly slicing?: unknown;
  readonly [key: string]: unknown;
}

/**
 * `sd` with every `contentReference` to a sliced path replaced by a copy of the unsliced element
 * and its unsliced children (the slicing itself is not copied: it constrains the original path).
 * Returns `sd` itself when there is nothing to adapt.
 */
export function inlineSlicedContentReferences<T extends object>(sd: T): T {
  const snapshot = (sd as { snapshot?: { element?: ElementLike[] } }).snapshot;
  const elements = snapshot?.element;
  if (elements === undefined) return sd;
  const sliced = new Set(elements.filter((e) => e.sliceName !== undefined && e.path !== undefined).map((e) => e.path!));
  const refersToSliced = (e: ElementLike): boolean => e.contentReference !== undefined && sliced.has(e.contentReference.slice(e.contentReference.indexOf('#') + 1));
  if (!elements.some(refersToSliced)) return sd;
  const out: ElementLike[] = [];
  for (const e of elements) {
    if (!refersToSliced(e) || e.path === undefined || e.id === undefined) {
      out.push(e);
      continue;
    }
    const from = e.contentReference!.slice(e.contentReference!.indexOf('#') + 1);
    const head = elements.find((x) => x.id === from);
    if (head === undefined) {
      out.push(e);
      continue;
    }
    const { slicing: _slicing, ...definition } = head;
    out.push({ ...definition, id: e.id, path: e.path, min: e['min'], max: e['max'], base: e['base'], short: e['short'] ?? head['short'], definition: e['definition'] ?? head['definition'] });
    // Unsliced children only: an id with a `:` below the head belongs to a slice.
    for (const child of elements) {
      if (child.id === undefined || child.path === undefined || !child.id.startsWith(`${from}.`) || child.id.includes(':')) continue;
      out.push({ ...child, id: e.id + child.id.slice(from.length), path: e.path + child.path.slice(from.length) });
    }
  }
  return { ...sd, snapshot: { ...snapshot, element: out } };
}
