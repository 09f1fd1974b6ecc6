import * as ts from 'typescript';
import type {
  DetectorContext,
  Finding,
  Listeners,
  ListenerSets,
  NodeListener,
  PatternDefinition,
  Problem,
  RuleContext,
  RuleDefinition,
  Span,
} from '../patterns/types';

export interface CancellationToken {
  readonly isCancellationRequested: boolean;
}

/** Thrown out of a walk whose token was cancelled; callers treat it as "no answer". */
export class WalkCancelled extends Error {
  constructor() {
    super('analysis cancelled');
  }
}

export interface WalkResult {
  /** Pattern occurrences, sorted by position. */
  readonly findings: Finding[];
  /** Gotcha rule problems, sorted by position. */
  readonly problems: Problem[];
  /** Detectors that threw, with the error: the walk goes on without them. */
  readonly failures: { readonly id: string; readonly error: unknown }[];
}

const CANCELLATION_CHECK_INTERVAL = 1024;

function isNode(at: ts.Node | Span): at is ts.Node {
  return typeof (at as ts.Node).getStart === 'function';
}

export type Detector = PatternDefinition | RuleDefinition;

/**
 * Runs the listeners of every pattern and rule in a single depth-first traversal of `sourceFile`.
 * A detector that throws is dropped for the rest of this walk and reported in `failures`.
 * `checker` is given in the type-aware phase, to the rules that require types.
 */
export function walk(
  sourceFile: ts.SourceFile,
  detectors: readonly Detector[],
  token?: CancellationToken,
  checker?: ts.TypeChecker,
): WalkResult {
  const findings: Finding[] = [];
  const problems: Problem[] = [];
  const failures: { id: string; error: unknown }[] = [];
  const ancestors: ts.Node[] = [];

  const toSpan = (at: ts.Node | Span): Span =>
    isNode(at) ? { start: at.getStart(sourceFile), end: at.end } : { start: at.start, end: at.end };

  // handlers[kind] and owners[kind] are parallel: the listeners for that kind and the index of their detector.
  // A dense array the size of SyntaxKind, so the lookup per node is an indexed load, not a dictionary probe.
  const handlers: (NodeListener[] | undefined)[] = new Array(ts.SyntaxKind.Count).fill(undefined);
  const owners: (number[] | undefined)[] = new Array(ts.SyntaxKind.Count).fill(undefined);
  const walkEnds: { index: number; listener: () => void }[] = [];
  const register = (index: number, listeners: Listeners): void => {
    for (const key of Object.keys(listeners)) {
      if (key === 'onWalkEnd') {
        walkEnds.push({ index, listener: listeners.onWalkEnd! });
        continue;
      }
      const kind = Number(key) as ts.SyntaxKind;
      (handlers[kind] ??= []).push(listeners[kind]!);
      (owners[kind] ??= []).push(index);
    }
  };
  const failed = new Set<number>();

  const fail = (index: number, error: unknown): void => {
    if (error instanceof WalkCancelled) throw error;
    failed.add(index);
    failures.push({ id: detectors[index]!.id, error });
    // Its listeners leave the tables (fresh arrays: a loop over the old ones may still be running).
    for (let kind = 0; kind < owners.length; kind++) {
      const ownersOfKind = owners[kind];
      if (!ownersOfKind?.includes(index)) continue;
      handlers[kind] = handlers[kind]!.filter((_, i) => ownersOfKind[i] !== index);
      owners[kind] = ownersOfKind.filter((owner) => owner !== index);
    }
  };

  const patternContext = (id: string): DetectorContext => ({
    sourceFile,
    ancestors,
    report(at, alsoHoverOn) {
      const span = toSpan(at);
      findings.push(alsoHoverOn && alsoHoverOn.length > 0 ? { id, span, alsoHoverOn: alsoHoverOn.map(toSpan) } : { id, span });
    },
  });
  const ruleContext = (id: string): RuleContext => ({
    sourceFile,
    ancestors,
    checker,
    report({ at, message, fixes = [] }) {
      problems.push({ id, span: toSpan(at), message, fixes });
    },
  });

  detectors.forEach((detector, index) => {
    let sets: ListenerSets;
    try {
      sets = detector.kind === 'pattern' ? detector.create(patternContext(detector.id)) : detector.create(ruleContext(detector.id));
    } catch (error) {
      return fail(index, error);
    }
    if (Array.isArray(sets)) for (const listeners of sets as readonly Listeners[]) register(index, listeners);
    else register(index, sets as Listeners);
  });

  let untilCancellationCheck = CANCELLATION_CHECK_INTERVAL;
  const visit = (node: ts.Node): void => {
    if (--untilCancellationCheck === 0) {
      untilCancellationCheck = CANCELLATION_CHECK_INTERVAL;
      if (token?.isCancellationRequested) throw new WalkCancelled();
    }
    const listeners = handlers[node.kind];
    if (listeners !== undefined) {
      const listenerOwners = owners[node.kind]!;
      for (let i = 0; i < listeners.length; i++) {
        try {
          listeners[i]!(node);
        } catch (error) {
          fail(listenerOwners[i]!, error);
        }
      }
    }
    ancestors.push(node);
    ts.forEachChild(node, visit);
    ancestors.pop();
  };
  visit(sourceFile);
  for (const { index, listener } of walkEnds) {
    if (failed.has(index)) continue;
    try {
      listener();
    } catch (error) {
      fail(index, error);
    }
  }

  const byPosition = (a: { span: Span }, b: { span: Span }) => a.span.start - b.span.start || a.span.end - b.span.end;
  findings.sort(byPosition);
  problems.sort(byPosition);
  return { findings, problems, failures };
}
