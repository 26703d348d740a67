/** Python's strict UTF-8 encoding as far as the tools meet it: lone surrogates cannot be encoded. */

export const LONE_SURROGATE = /\p{Cs}/u;

/**
 * `str(e)` of the `UnicodeEncodeError` Python raises when UTF-8 encoding meets a lone surrogate: the first run of
 * them, by code point position.
 */
export function utf8EncodeErrorMessage(text: string): string {
  const { start, end } = loneSurrogateRun(text) ?? { start: 0, end: 0 };
  if (end - start === 1) {
    const hex = ([...text][start] as string).charCodeAt(0).toString(16);
    return `'utf-8' codec can't encode character '\\u${hex}' in position ${start}: surrogates not allowed`;
  }
  return `'utf-8' codec can't encode characters in position ${start}-${end - 1}: surrogates not allowed`;
}

/** The `(start, end)` code point positions of the first run of lone surrogates in `text`, or `null`. */
export function loneSurrogateRun(text: string): { start: number; end: number } | null {
  if (!LONE_SURROGATE.test(text)) return null;
  const codePoints = [...text];
  const start = codePoints.findIndex((c) => LONE_SURROGATE.test(c));
  let end = start + 1;
  while (end < codePoints.length && LONE_SURROGATE.test(codePoints[end] as string)) end++;
  return { start, end };
}
