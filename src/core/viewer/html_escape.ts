/** Text for HTML content or a quoted attribute value: the five characters that could end either become references. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
