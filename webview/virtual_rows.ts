import { Virtualizer, elementScroll, observeElementOffset, observeElementRect, type VirtualizerOptions } from '@tanstack/virtual-core';
import { h } from './dom';

/** A fixed-height virtual list over a scroll container: only the visible rows exist in the DOM. */
export class VirtualRows {
  readonly scroller: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly virtualizer: Virtualizer<HTMLDivElement, HTMLDivElement>;
  private readonly options: VirtualizerOptions<HTMLDivElement, HTMLDivElement>;
  private readonly elements = new Map<number, HTMLElement>();
  private version = 0;

  constructor(
    rowHeight: number,
    private readonly renderRow: (index: number, element: HTMLElement) => void,
    className = 'vlist',
  ) {
    this.spacer = h('div', { class: 'vlist-spacer' });
    this.scroller = h('div', { class: className, attrs: { tabindex: 0 } }, this.spacer);
    this.options = {
      count: 0,
      getScrollElement: () => this.scroller,
      estimateSize: () => rowHeight,
      overscan: 10,
      scrollToFn: elementScroll,
      observeElementRect,
      observeElementOffset,
      onChange: () => this.render(),
    };
    this.virtualizer = new Virtualizer(this.options);
  }

  mount(): void {
    this.virtualizer._didMount();
    this.virtualizer._willUpdate();
  }

  setCount(count: number): void {
    this.version++;
    this.virtualizer.setOptions({ ...this.options, count });
    this.virtualizer._willUpdate();
    this.virtualizer.scrollToOffset(0);
    this.render();
  }

  /** Re-renders the visible rows (e.g. after the selection changed). */
  refresh(): void {
    this.version++;
    this.render();
  }

  private render(): void {
    this.spacer.style.height = `${this.virtualizer.getTotalSize()}px`;
    const visible = new Set<number>();
    for (const item of this.virtualizer.getVirtualItems()) {
      visible.add(item.index);
      let element = this.elements.get(item.index);
      if (!element) {
        element = h('div', { class: 'vrow' });
        this.elements.set(item.index, element);
        this.scroller.appendChild(element);
      }
      if (element.dataset.version !== String(this.version)) {
        element.dataset.version = String(this.version);
        element.dataset.position = String(item.index);
        this.renderRow(item.index, element);
      }
      element.style.transform = `translateY(${item.start}px)`;
    }
    for (const [index, element] of this.elements) {
      if (visible.has(index)) continue;
      element.remove();
      this.elements.delete(index);
    }
  }
}
