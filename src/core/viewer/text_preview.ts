/**
 * How much of a long text block (a tool output, an argument list) the viewer shows before "Show all", shared by
 * the host (which sends only that much with a rollout, so opening one stays quick) and the page.
 */
export const PREVIEW_LINES = 24;
export const PREVIEW_CHARS = 2400;

export interface TextPreview {
  /** The text to show first. */
  text: string;
  /** Lines and characters of the whole text, when `text` is only its beginning. */
  whole: { lines: number; chars: number } | null;
}

function lineCount(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** The whole text when short (a few lines more than the preview would hide nothing worth a click), else its beginning. */
export function previewOf(text: string): TextPreview {
  const lines = lineCount(text);
  if (lines <= PREVIEW_LINES + 4 && text.length <= PREVIEW_CHARS * 2) return { text, whole: null };
  if (lines > PREVIEW_LINES + 4) {
    let end = -1;
    for (let k = 0; k < PREVIEW_LINES; k++) end = text.indexOf('\n', end + 1);
    return { text: text.slice(0, end), whole: { lines, chars: text.length } };
  }
  return { text: text.slice(0, PREVIEW_CHARS), whole: { lines, chars: text.length } };
}
