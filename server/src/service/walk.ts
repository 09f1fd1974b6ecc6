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
 * The kinds each detector's listener sets handle, read from its first `create`: a detector handles the same
 * kinds on every call (test/walk.test.ts checks each one). Reading them from every file's fresh handler
 * objects cost more than running the handlers did: V8 keeps kind-keyed handlers in sparse element stores,
 * which `Object.keys` scans slot by slot.
 */
const detectorKinds = new WeakMap<Detector, (readonly ts.SyntaxKind[])[]>();

function kindsOf(detector: Detector, sets: readonly Listeners[]): readonly (readonly ts.SyntaxKind[])[] {
  let kinds = detectorKinds.get(detector);
  if (kinds?.length !== sets.length) {
    kinds = sets.map((listeners) => Object.keys(listeners).filter((key) => key !== 'onWalkEnd').map(Number) as ts.SyntaxKind[]);
    detectorKinds.set(detector, kinds);
  }
  return kinds;
}

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
  const register = (index: number, listeners: Listeners, kinds: readonly ts.SyntaxKind[]): void => {
    for (const kind of kinds) {
      const listener = listeners[kind];
      if (listener === undefined) continue;
      (handlers[kind] ??= []).push(listener);
      (owners[kind] ??= []).push(index);
    }
    if (listeners.onWalkEnd) walkEnds.push({ index, listener: listeners.onWalkEnd });
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
    const list: readonly Listeners[] = Array.isArray(sets) ? sets : [sets as Listeners];
    const kinds = kindsOf(detector, list);
    list.forEach((listeners, i) => register(index, listeners, kinds[i]!));
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
        // A detector that failed on this node may have another listener set still in this (old) list.
        if (failed.size !== 0 && failed.has(listenerOwners[i]!)) continue;
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
