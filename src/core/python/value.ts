/**
 * Python values as NeMo Gym's tools see them. JSON numbers keep Python's int/float distinction (`5` is an int,
 * `5.0` a float), dicts keep insertion order for every key (a JS object would reorder integer-like keys and
 * treat `__proto__` specially), and ints stay exact beyond 2^53.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** A Python int: a JS number while it is a safe integer, a bigint beyond that. */
export type PyInt = number | bigint;

export type PyDict = Map<string, PyValue>;

export type PyValue = null | boolean | PyInt | PyFloat | string | PyValue[] | PyDict;

export function isPyDict(value: PyValue): value is PyDict {
  return value instanceof Map;
}

export function pyDict(entries: Iterable<readonly [string, PyValue]> = []): PyDict {
  return new Map(entries);
}

/** An exception raised by emulated Python code: `type` is the class name, `message` is `str(e)`. */
export class PyException extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = type;
  }
}
