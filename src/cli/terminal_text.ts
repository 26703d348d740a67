/**
 * Text from files and the network made safe for a terminal: control characters (an escape sequence in a task
 * line can recolour or retitle the user's terminal) are shown as `\u001b`-style escapes; newlines and tabs stay.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
