/**
 * Column storage for per-rollout numbers: typed arrays that double when full, so an index of a million rollouts
 * costs a few dozen bytes per rollout and no per-rollout objects.
 */

type TypedArray = Float64Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;
type TypedArrayConstructor<T extends TypedArray> = new (length: number) => T;

export class Column<T extends TypedArray> {
  private data: T;

  constructor(
    private readonly create: TypedArrayConstructor<T>,
    private readonly fill: number,
    initialCapacity = 1024,
  ) {
    this.data = new create(initialCapacity);
    if (fill !== 0) this.data.fill(fill);
  }

  get(i: number): number {
    return this.data[i] as number;
  }

  set(i: number, value: number): void {
    if (i >= this.data.length) this.grow(i + 1);
    this.data[i] = value;
  }

  /** Forgets everything (for a re-index after the file shrank). */
  clear(): void {
    this.data = new this.create(1024);
    if (this.fill !== 0) this.data.fill(this.fill);
  }

  get byteLength(): number {
    return this.data.byteLength;
  }

  private grow(minimum: number): void {
    let capacity = this.data.length * 2;
    while (capacity < minimum) capacity *= 2;
    const bigger = new this.create(capacity);
    if (this.fill !== 0) bigger.fill(this.fill);
    bigger.set(this.data as never);
    this.data = bigger;
  }
}

export function float64Column(fill = Number.NaN): Column<Float64Array> {
  return new Column(Float64Array, fill);
}

export function int32Column(fill = -1): Column<Int32Array> {
  return new Column(Int32Array, fill);
}

export function uint32Column(): Column<Uint32Array> {
  return new Column(Uint32Array, 0);
}

export function uint16Column(): Column<Uint16Array> {
  return new Column(Uint16Array, 0);
}

export function uint8Column(): Column<Uint8Array> {
  return new Column(Uint8Array, 0);
}

/** Interns strings: repeats of a task share their prompt, categories repeat thousands of times. */
export class StringPool {
  private readonly ids = new Map<string, number>();
  private readonly values: string[] = [];

  intern(value: string | null): number {
    if (value === null) return -1;
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }

  get(id: number): string | null {
    return id < 0 ? null : (this.values[id] ?? null);
  }

  idOf(value: string): number {
    return this.ids.get(value) ?? -1;
  }

  get size(): number {
    return this.values.length;
  }

  all(): readonly string[] {
    return this.values;
  }

  clear(): void {
    this.ids.clear();
    this.values.length = 0;
  }
}
