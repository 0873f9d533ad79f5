/**
 * A function of one text remembered across fact sheets. Sheets are read by one note or a few, but
 * their names and texts recur from sheet to sheet (every hypertensive patient's "Essential
 * hypertension"), so what depends on a text alone is computed once per text, not once per sheet.
 */

/**
 * `compute` remembered by its argument; the memory is dropped when it holds `limit` texts (a long
 * run meets new texts without end). Results are shared: callers must not change them.
 */
export function memoByText<T>(compute: (text: string) => T, limit = 50_000): (text: string) => T {
  const memory = new Map<string, T>();
  return (text) => {
    let value = memory.get(text);
    if (value === undefined && !memory.has(text)) {
      if (memory.size >= limit) memory.clear();
      value = compute(text);
      memory.set(text, value);
    }
    return value as T;
  };
}
