/**
 * A small backtracking matcher over the parsed Python pattern, following `_sre`'s semantics (sre_lib.h):
 * greedy/lazy repeats with CPython's zero-width-iteration rule, possessive repeats and atomic groups,
 * fixed-width look-behind, captures that keep their last value across repeat iterations, back-references
 * that fail when the group did not participate (case-insensitive ones compare `lower()` per character),
 * and conditional groups `(?(g)yes|no)`.
 *
 * It is used for the patterns the JS translation cannot express exactly (back-references and conditional
 * groups). It recurses on the JS stack once per node and per iteration of a non-simple repeat, which is
 * ample for the short cells the tools search; a pattern/subject pair too deep for the stack raises
 * RecursionError (CPython's `_sre` has no such limit).
 *
 * Every step is counted against a budget (unlimited unless set): when it runs out, StepBudgetExceeded is
 * thrown, so that a search run inline can never run away, whatever the pattern.
 */
import {
  FLAG_ASCII,
  FLAG_DOTALL,
  FLAG_IGNORECASE,
  FLAG_MULTILINE,
  MAXREPEAT,
  type Node,
  type ParsedPattern,
  type SubPattern,
} from './regex_parse';
import { charSetPredicate, inCharSet, literalCharSet, sreLowerUnicode, wordPredicate } from './regex_charset';
import { combineFlags } from './regex_js';
import { PyException } from './value';

type Cont = (pos: number) => boolean;
type Matcher = (pos: number, k: Cont) => boolean;

interface Ctx {
  s: number[];
  n: number;
  marks: number[]; // start/end per group (index 2g, 2g+1), -1 when unset
  /** Steps left before StepBudgetExceeded. */
  steps: number;
}

/** Thrown when a search has used its step budget (see BacktrackingMatcher.setStepBudget). */
export class StepBudgetExceeded extends Error {
  constructor() {
    super('the backtracking matcher ran out of steps');
    this.name = 'StepBudgetExceeded';
  }
}

function budgetExceeded(): never {
  throw new StepBudgetExceeded();
}

/** What copying the group marks costs, in steps (a copy of 16 numbers is about one step). */
function marksCost(ctx: Ctx): number {
  return 1 + (ctx.marks.length >> 4);
}

function isSimple(sp: SubPattern): boolean {
  if (sp.data.length !== 1) return false;
  const n = sp.data[0] as Node;
  if (n.op === 'SUBPATTERN') return n.group === null && isSimple(n.p);
  return n.op === 'LITERAL' || n.op === 'NOT_LITERAL' || n.op === 'ANY' || n.op === 'IN';
}

class Compiler {
  constructor(private readonly ctx: Ctx) {}

  private predicate(n: Node, flags: number): (cp: number) => boolean {
    switch (n.op) {
      case 'LITERAL':
        return charSetPredicate(literalCharSet(n.c, flags), flags);
      case 'NOT_LITERAL':
        return charSetPredicate(literalCharSet(n.c, flags, true), flags);
      case 'IN':
        return charSetPredicate(inCharSet(n.items, flags), flags);
      case 'ANY':
        return flags & FLAG_DOTALL ? () => true : (cp) => cp !== 0x0a;
      case 'SUBPATTERN':
        return this.predicate(n.p.data[0] as Node, combineFlags(flags, n.addFlags, n.delFlags));
      default:
        throw new Error(`not a single-character node: ${n.op}`);
    }
  }

  seq(sp: SubPattern, flags: number): Matcher {
    const ms = this.runsOfSingleCharacters(sp.data as Node[], flags);
    let chain: Matcher = (pos, k) => k(pos);
    for (let i = ms.length - 1; i >= 0; i--) {
      const m = ms[i] as Matcher;
      const next = chain;
      chain = (pos, k) => m(pos, (p) => next(p, k));
    }
    return chain;
  }

  /**
   * One matcher per node, except that consecutive single-character nodes become one matcher that checks them in
   * a loop: a long literal would otherwise nest one call per character and overflow the stack.
   */
  private runsOfSingleCharacters(nodes: Node[], flags: number): Matcher[] {
    const ctx = this.ctx;
    const matchers: Matcher[] = [];
    let run: Array<(cp: number) => boolean> = [];
    const flush = () => {
      if (run.length === 0) return;
      const predicates = run;
      run = [];
      if (predicates.length === 1) {
        const p = predicates[0]!;
        matchers.push((pos, k) => {
          if (--ctx.steps < 0) budgetExceeded();
          return pos < ctx.n && p(ctx.s[pos] as number) && k(pos + 1);
        });
        return;
      }
      matchers.push((pos, k) => {
        if ((ctx.steps -= predicates.length) < 0) budgetExceeded();
        if (pos + predicates.length > ctx.n) return false;
        for (let i = 0; i < predicates.length; i++) if (!predicates[i]!(ctx.s[pos + i] as number)) return false;
        return k(pos + predicates.length);
      });
    };
    for (const node of nodes) {
      if (node.op === 'LITERAL' || node.op === 'NOT_LITERAL' || node.op === 'IN' || node.op === 'ANY') run.push(this.predicate(node, flags));
      else {
        flush();
        matchers.push(this.node(node, flags));
      }
    }
    flush();
    return matchers;
  }

  private snapshot(): number[] {
    return this.ctx.marks.slice();
  }

  private restore(saved: number[]): void {
    const marks = this.ctx.marks;
    for (let i = 0; i < saved.length; i++) marks[i] = saved[i] as number;
  }

  private node(n: Node, flags: number): Matcher {
    const ctx = this.ctx;
    switch (n.op) {
      case 'LITERAL':
      case 'NOT_LITERAL':
      case 'IN':
      case 'ANY': {
        const p = this.predicate(n, flags);
        return (pos, k) => {
          if (--ctx.steps < 0) budgetExceeded();
          return pos < ctx.n && p(ctx.s[pos] as number) && k(pos + 1);
        };
      }
      case 'AT':
        return this.at(n.at, flags);
      case 'BRANCH': {
        const alts = n.alts.map((a) => this.seq(a, flags));
        return (pos, k) => {
          for (const alt of alts) {
            if ((ctx.steps -= marksCost(ctx)) < 0) budgetExceeded();
            const saved = this.snapshot();
            if (alt(pos, k)) return true;
            this.restore(saved);
          }
          return false;
        };
      }
      case 'SUBPATTERN': {
        const inner = this.seq(n.p, combineFlags(flags, n.addFlags, n.delFlags));
        const g = n.group;
        if (g === null) return inner;
        return (pos, k) =>
          inner(pos, (e) => {
            if (--ctx.steps < 0) budgetExceeded();
            const os = ctx.marks[2 * g] as number;
            const oe = ctx.marks[2 * g + 1] as number;
            ctx.marks[2 * g] = pos;
            ctx.marks[2 * g + 1] = e;
            if (k(e)) return true;
            ctx.marks[2 * g] = os;
            ctx.marks[2 * g + 1] = oe;
            return false;
          });
      }
      case 'ATOMIC_GROUP': {
        const inner = this.seq(n.p, flags);
        return (pos, k) => {
          if ((ctx.steps -= marksCost(ctx)) < 0) budgetExceeded();
          const saved = this.snapshot();
          let end = -1;
          if (
            inner(pos, (e) => {
              end = e;
              return true;
            }) &&
            k(end)
          ) {
            return true;
          }
          this.restore(saved);
          return false;
        };
      }
      case 'ASSERT':
      case 'ASSERT_NOT': {
        const inner = this.seq(n.p, flags);
        const width = n.dir < 0 ? Number(n.p.getwidth()[0]) : 0;
        const positive = n.op === 'ASSERT';
        return (pos, k) => {
          if ((ctx.steps -= marksCost(ctx)) < 0) budgetExceeded();
          const start = pos - width;
          const saved = this.snapshot();
          const ok = start >= 0 && inner(start, () => true);
          if (!positive) {
            this.restore(saved);
            return !ok && k(pos);
          }
          if (ok && k(pos)) return true;
          this.restore(saved);
          return false;
        };
      }
      case 'GROUPREF': {
        const g = n.group;
        const ignore = (flags & FLAG_IGNORECASE) !== 0;
        const lower = flags & FLAG_ASCII ? (c: number) => (c >= 0x41 && c <= 0x5a ? c + 32 : c) : sreLowerUnicode;
        return (pos, k) => {
          const st = ctx.marks[2 * g] as number;
          const en = ctx.marks[2 * g + 1] as number;
          if (st < 0 || en < 0 || en < st) return false;
          const len = en - st;
          if ((ctx.steps -= 1 + len) < 0) budgetExceeded();
          if (pos + len > ctx.n) return false;
          for (let i = 0; i < len; i++) {
            const a = ctx.s[st + i] as number;
            const b = ctx.s[pos + i] as number;
            if (a !== b && (!ignore || lower(a) !== lower(b))) return false;
          }
          return k(pos + len);
        };
      }
      case 'GROUPREF_EXISTS': {
        const g = n.group;
        const yes = this.seq(n.yes, flags);
        const no: Matcher = n.no ? this.seq(n.no, flags) : (pos, k) => k(pos);
        return (pos, k) => {
          if (--ctx.steps < 0) budgetExceeded();
          const st = ctx.marks[2 * g] ?? -1;
          const en = ctx.marks[2 * g + 1] ?? -1;
          return st >= 0 && en >= st ? yes(pos, k) : no(pos, k);
        };
      }
      default:
        return this.repeat(n, flags);
    }
  }

  private at(at: string, flags: number): Matcher {
    const ctx = this.ctx;
    const word = wordPredicate(flags);
    const isWordAt = (i: number): boolean => i >= 0 && i < ctx.n && word(ctx.s[i] as number);
    let test: (pos: number) => boolean;
    switch (at) {
      case 'BEGINNING':
        test = flags & FLAG_MULTILINE ? (p) => p === 0 || ctx.s[p - 1] === 0x0a : (p) => p === 0;
        break;
      case 'BEGINNING_STRING':
        test = (p) => p === 0;
        break;
      case 'END':
        test =
          flags & FLAG_MULTILINE
            ? (p) => p === ctx.n || ctx.s[p] === 0x0a
            : (p) => p === ctx.n || (p + 1 === ctx.n && ctx.s[p] === 0x0a);
        break;
      case 'END_STRING':
        test = (p) => p === ctx.n;
        break;
      case 'BOUNDARY':
        test = (p) => ctx.n > 0 && isWordAt(p - 1) !== isWordAt(p);
        break;
      default:
        test = (p) => ctx.n > 0 && isWordAt(p - 1) === isWordAt(p);
    }
    return (pos, k) => {
      if (--ctx.steps < 0) budgetExceeded();
      return test(pos) && k(pos);
    };
  }

  private repeat(n: Extract<Node, { op: 'MAX_REPEAT' | 'MIN_REPEAT' | 'POSSESSIVE_REPEAT' }>, flags: number): Matcher {
    const ctx = this.ctx;
    const { min, max } = n;
    const unbounded = max === MAXREPEAT;
    if (isSimple(n.item)) {
      const p = this.predicate(n.item.data[0] as Node, flags);
      const avail = (pos: number, limit: number): number => {
        let c = 0;
        while ((unbounded || c < limit) && pos + c < ctx.n && p(ctx.s[pos + c] as number)) c++;
        if ((ctx.steps -= c + 1) < 0) budgetExceeded();
        return c;
      };
      if (n.op === 'MIN_REPEAT') {
        return (pos, k) => {
          if (avail(pos, min) < min) return false;
          let c = min;
          for (;;) {
            if (--ctx.steps < 0) budgetExceeded();
            if (k(pos + c)) return true;
            if ((!unbounded && c >= max) || pos + c >= ctx.n || !p(ctx.s[pos + c] as number)) return false;
            c++;
          }
        };
      }
      return (pos, k) => {
        const count = avail(pos, max);
        if (count < min) return false;
        if (n.op === 'POSSESSIVE_REPEAT') return k(pos + count);
        for (let c = count; c >= min; c--) {
          if (--ctx.steps < 0) budgetExceeded();
          if (k(pos + c)) return true;
        }
        return false;
      };
    }
    const item = this.seq(n.item, flags);
    if (n.op === 'MAX_REPEAT') {
      return (pos, k) => {
        const iterate = (count: number, p: number, lastPtr: number): boolean => {
          if ((ctx.steps -= marksCost(ctx)) < 0) budgetExceeded();
          if (count < min) return item(p, (e) => iterate(count + 1, e, lastPtr));
          if ((unbounded || count < max) && p !== lastPtr) {
            const saved = this.snapshot();
            if (item(p, (e) => iterate(count + 1, e, p))) return true;
            this.restore(saved);
          }
          return k(p);
        };
        return iterate(0, pos, -1);
      };
    }
    if (n.op === 'MIN_REPEAT') {
      return (pos, k) => {
        const iterate = (count: number, p: number, lastPtr: number): boolean => {
          if ((ctx.steps -= marksCost(ctx)) < 0) budgetExceeded();
          if (count < min) return item(p, (e) => iterate(count + 1, e, lastPtr));
          const saved = this.snapshot();
          if (k(p)) return true;
          this.restore(saved);
          if ((!unbounded && count >= max) || p === lastPtr) return false;
          return item(p, (e) => iterate(count + 1, e, p));
        };
        return iterate(0, pos, -1);
      };
    }
    // POSSESSIVE_REPEAT
    return (pos, k) => {
      const saved = this.snapshot();
      let p = pos;
      let count = 0;
      let end = -1;
      const take = (e: number): boolean => {
        end = e;
        return true;
      };
      while (count < min) {
        if ((ctx.steps -= marksCost(ctx)) < 0) budgetExceeded();
        if (!item(p, take)) {
          this.restore(saved);
          return false;
        }
        p = end;
        count++;
      }
      let prev = -1;
      while ((unbounded || count < max) && p !== prev) {
        prev = p;
        if ((ctx.steps -= marksCost(ctx)) < 0) budgetExceeded();
        const s2 = this.snapshot();
        if (item(p, take)) {
          p = end;
          count++;
        } else {
          this.restore(s2);
          p = prev;
          break;
        }
      }
      if (k(p)) return true;
      this.restore(saved);
      return false;
    };
  }
}

/** A compiled matcher: `search` (any start) and `match` (anchored at 0) on a subject string. */
export class BacktrackingMatcher {
  private readonly ctx: Ctx = { s: [], n: 0, marks: [], steps: Infinity };
  private readonly root: Matcher;
  private readonly groups: number;

  constructor(parsed: ParsedPattern) {
    this.groups = parsed.groups;
    this.root = new Compiler(this.ctx).seq(parsed.root, parsed.flags);
  }

  /**
   * How many steps the next searches may take in all (Infinity: no limit); past it they throw
   * StepBudgetExceeded. What is left carries over from one search to the next.
   */
  setStepBudget(steps: number): void {
    this.ctx.steps = steps;
  }

  /** What is left of the budget. */
  get stepsLeft(): number {
    return this.ctx.steps;
  }

  private run(text: string, anchored: boolean): boolean {
    const ctx = this.ctx;
    if ((ctx.steps -= 1 + (text.length >> 3)) < 0) budgetExceeded();
    const s = Array.from(text, (ch) => ch.codePointAt(0) as number);
    ctx.s = s;
    ctx.n = s.length;
    const startCost = 4 + (this.groups >> 2);
    try {
      const last = anchored ? 0 : s.length;
      for (let start = 0; start <= last; start++) {
        if ((ctx.steps -= startCost) < 0) budgetExceeded();
        ctx.marks = new Array<number>(2 * this.groups).fill(-1);
        if (this.root(start, () => true)) return true;
      }
      return false;
    } catch (e) {
      if (e instanceof RangeError) throw new PyException('RecursionError', 'maximum recursion depth exceeded');
      throw e;
    } finally {
      ctx.s = [];
    }
  }

  search(text: string): boolean {
    return this.run(text, false);
  }

  match(text: string): boolean {
    return this.run(text, true);
  }
}
