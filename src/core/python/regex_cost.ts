/**
 * A conservative bound on the work a backtracking regex engine (V8's irregexp, or regex_engine.ts) can do for
 * one pattern on subjects of a given length, computed from the parsed pattern alone. The tools use it to decide
 * whether a search may run inline (the bound is small) or must run where it can be stopped (a worker thread).
 *
 * The model: a node called at a position invokes its continuation at most `calls` times (once per way it can
 * match) and spends at most `work` steps of its own, whatever the subject says. For a sequence A·B,
 * calls = calls(A) × calls(B) and work = work(A) + calls(A) × work(B), which is exactly how a backtracking
 * matcher spends time. A repeat explores a tree whose depth is the number of iterations (each iteration past
 * `min` must consume a character, so depth ≤ min(max, min + n), or ≤ n / w for items at least w wide) and whose
 * fan-out is calls(item): nested quantifiers (`(a+)+`), alternatives under a repeat (`(a|a)+`) and
 * optional items under a mandatory count (`(a?){30}`) come out exponential, sequences of unbounded repeats
 * (`.*.*.*x`) polynomial. Look-arounds and atomic groups commit to their first match (calls = 1) but keep their
 * inner work; a back-reference compares at most n characters. Everything is a float: overflow is Infinity.
 */
import { MAXREPEAT, type Node, type ParsedPattern, type SubPattern } from './regex_parse';

export interface NodeCost {
  /** How many times the node can invoke its continuation from one position. */
  calls: number;
  /** Steps spent inside the node, continuation excluded. */
  work: number;
}

function isSingleCharacter(node: Node): boolean {
  return node.op === 'LITERAL' || node.op === 'NOT_LITERAL' || node.op === 'IN' || node.op === 'ANY';
}

/** 0 × Infinity is 0 here: nothing is done zero times. */
function times(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : a * b;
}

class CostModel {
  constructor(private readonly n: number) {}

  sequence(sp: SubPattern): NodeCost {
    let calls = 1;
    let work = 0;
    let i = sp.data.length - 1;
    while (i >= 0) {
      let cost: NodeCost;
      if (isSingleCharacter(sp.data[i] as Node)) {
        // A run of k single characters: one way through, and at most n + 1 of them tested (each match consumes).
        let k = 0;
        while (i >= 0 && isSingleCharacter(sp.data[i] as Node)) {
          k++;
          i--;
        }
        cost = { calls: 1, work: Math.min(k, this.n + 1) };
      } else {
        cost = this.node(sp.data[i] as Node);
        i--;
      }
      work = cost.work + times(cost.calls, work);
      calls = times(cost.calls, calls);
    }
    return { calls, work };
  }

  private node(node: Node): NodeCost {
    const n = this.n;
    switch (node.op) {
      case 'LITERAL':
      case 'NOT_LITERAL':
      case 'IN':
      case 'ANY':
      case 'AT':
        return { calls: 1, work: 1 };
      case 'BRANCH': {
        let calls = 0;
        let work = 0;
        for (const alt of node.alts) {
          const cost = this.sequence(alt);
          calls += cost.calls;
          work += cost.work + 1;
        }
        return { calls, work };
      }
      case 'SUBPATTERN':
        return this.plusOne(this.sequence(node.p));
      case 'ATOMIC_GROUP':
        // JS: `(?=(X))\N` — the first match of X, then a back-reference that re-reads it.
        return { calls: 1, work: this.sequence(node.p).work + n + 1 };
      case 'ASSERT':
      case 'ASSERT_NOT':
        return { calls: 1, work: this.sequence(node.p).work + 1 };
      case 'GROUPREF':
        return { calls: 1, work: n + 1 };
      case 'GROUPREF_EXISTS': {
        const yes = this.sequence(node.yes);
        const no = node.no ? this.sequence(node.no) : { calls: 1, work: 0 };
        return { calls: yes.calls + no.calls, work: yes.work + no.work + 1 };
      }
      default:
        return this.repeat(node);
    }
  }

  private plusOne(cost: NodeCost): NodeCost {
    return { calls: cost.calls, work: cost.work + 1 };
  }

  private repeat(node: Extract<Node, { op: 'MAX_REPEAT' | 'MIN_REPEAT' | 'POSSESSIVE_REPEAT' }>): NodeCost {
    const n = this.n;
    const item = this.sequence(node.item);
    const minWidth = Number(node.item.getwidth()[0]);
    const max = node.max === MAXREPEAT ? Infinity : node.max;
    const depth = minWidth >= 1 ? Math.min(max, Math.floor(n / minWidth)) : Math.min(max, node.min + n);
    // Nodes of the iteration tree: Σ_{j=0..depth} calls(item)^j.
    let nodes: number;
    if (item.calls <= 1) nodes = depth + 1;
    else nodes = (Math.pow(item.calls, depth + 1) - 1) / (item.calls - 1);
    if (!Number.isFinite(nodes)) nodes = Infinity;
    const work = times(nodes, item.work + 1);
    // A possessive repeat is the greedy one inside a look-ahead, then a back-reference (see regex_js.ts).
    if (node.op === 'POSSESSIVE_REPEAT') return { calls: 1, work: work + n + 1 };
    return { calls: nodes, work };
  }
}

/** Calls and work of the whole pattern from one start position, on subjects of at most `n` characters. */
export function patternCost(parsed: ParsedPattern, n: number): NodeCost {
  try {
    return new CostModel(n).sequence(parsed.root);
  } catch (error) {
    // A pattern nested too deeply to walk: nothing is known, so nothing is promised.
    if (error instanceof RangeError) return { calls: Infinity, work: Infinity };
    throw error;
  }
}

/**
 * Worst-case steps of `re.search` (every start position) or `re.match` (position 0) over all the subjects:
 * Σ starts × (work + 1), with the work bound taken at the longest subject (lengths in UTF-16 code units, which
 * bound the code points the backtracking matcher sees).
 */
export function worstCaseSteps(parsed: ParsedPattern, subjects: readonly string[], mode: 'search' | 'match'): number {
  if (subjects.length === 0) return 0;
  let longest = 0;
  let starts = 0;
  for (const subject of subjects) {
    if (subject.length > longest) longest = subject.length;
    starts += mode === 'search' ? subject.length + 1 : 1;
  }
  return times(starts, patternCost(parsed, longest).work + 1);
}
