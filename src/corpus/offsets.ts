/**
 * Offsets as the consumers count them. JavaScript strings index UTF-16 code units; Python (spaCy,
 * Hugging Face datasets, lxml) indexes code points. Every exported offset is a code point offset;
 * for the usual text without characters beyond the BMP the two are the same and nothing is mapped.
 */

/** Maps UTF-16 offsets of `text` to code point offsets. */
export type OffsetMap = (utf16: number) => number;

const IDENTITY: OffsetMap = (i) => i;

export function codePointOffsets(text: string): OffsetMap {
  if (!/[\uD800-\uDFFF]/.test(text)) return IDENTITY;
  const map = new Int32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    map[i] = cp;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      map[i + 1] = cp;
      i++;
    }
    cp++;
  }
  map[text.length] = cp;
  return (i) => map[i]!;
}
