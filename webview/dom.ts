/**
 * The only way the UI creates DOM: data reaches the page as text nodes and attribute values set through the DOM
 * API (never `innerHTML`), so markup in rollouts is shown, not run.
 */

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  title?: string;
  /** Attribute values; `true` sets an empty attribute, `false`/null/undefined leaves it out. */
  attrs?: Record<string, string | number | boolean | null | undefined>;
  dataset?: Record<string, string>;
  on?: Record<string, (event: Event) => void>;
  /** CSS custom properties or properties, set through CSSOM (allowed by the CSP, unlike style attributes). */
  style?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props) {
    if (props.class) element.className = props.class;
    if (props.title) element.title = props.title;
    for (const [name, value] of Object.entries(props.attrs ?? {})) {
      if (value === false || value === null || value === undefined) continue;
      element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const [name, value] of Object.entries(props.dataset ?? {})) element.dataset[name] = value;
    for (const [name, listener] of Object.entries(props.on ?? {})) element.addEventListener(name, listener);
    for (const [name, value] of Object.entries(props.style ?? {})) element.style.setProperty(name, value);
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

export function setChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

export function text(value: string): Text {
  return document.createTextNode(value);
}
