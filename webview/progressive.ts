/**
 * A column built in two parts: what reaches the screen now, the rest right after the frame is painted. Opening a
 * rollout then builds, lays out and paints only the part a person sees (most of a long rollout is below the fold).
 */

/** One part of a column, built on demand and appended to `parent` (itself appended by an earlier piece, or there). */
export interface Piece {
  parent: Element;
  build(): Node | null;
  /** A height in CSS pixels the piece is sure to take at least, whatever the fonts and widths (0 when unknown). */
  least?: number;
}

export class ProgressiveColumn {
  private next = 0;
  private last: Element | null = null;

  constructor(private readonly pieces: Piece[]) {}

  get done(): boolean {
    return this.next >= this.pieces.length;
  }

  /** Appends pieces whose least heights add up to `height`, with nothing laid out. `fillTo` checks where they end. */
  appendAtLeast(height: number): void {
    let total = 0;
    while (!this.done && total < height) {
      total += this.pieces[this.next]?.least ?? 0;
      this.appendNext();
    }
  }

  /**
   * Appends pieces until the last one ends below `bottom` (viewport coordinates): everything after it is off
   * screen. Reading the position lays out what was appended, which the frame would do anyway; each piece appended
   * after that is laid out on its own (a small layout), so the column ends within one piece of the screen's bottom.
   */
  fillTo(bottom: number): void {
    while (!this.done && (this.last === null || this.last.getBoundingClientRect().bottom < bottom)) this.appendNext();
  }

  /** Appends every piece left. */
  finish(): void {
    while (!this.done) this.appendNext();
  }

  private appendNext(): void {
    const piece = this.pieces[this.next++] as Piece;
    const node = piece.build();
    if (!node) return;
    piece.parent.append(node);
    if (node instanceof Element) this.last = node;
  }
}

/** A piece that appends an element made beforehand (a section whose own pieces go into it). */
export function placed(parent: Element, element: Element, least = 0): Piece {
  return { parent, build: () => element, least };
}
