import * as ts from 'typescript';
import type {
  DetectorContext,
  Finding,
  Listeners,
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
  const failed = new Set<string>();

  const toSpan = (at: ts.Node | Span): Span =>
    isNode(at) ? { start: at.getStart(sourceFile), end: at.end } : { start: at.start, end: at.end };

  const listenersByKind: { id: string; listener: NodeListener }[][] = [];
  const walkEnds: { id: string; listener: () => void }[] = [];

  const guarded = (id: string, run: () => void): void => {
    if (failed.has(id)) return;
    try {
      run();
    } catch (error) {
      if (error instanceof WalkCancelled) throw error;
      failed.add(id);
      failures.push({ id, error });
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

  for (const detector of detectors) {
    let listeners: Listeners = {};
    guarded(detector.id, () => {
      listeners = detector.kind === 'pattern' ? detector.create(patternContext(detector.id)) : detector.create(ruleContext(detector.id));
    });
    for (const key of Object.keys(listeners)) {
      if (key === 'onWalkEnd') {
        walkEnds.push({ id: detector.id, listener: listeners.onWalkEnd! });
        continue;
      }
      const kind = Number(key) as ts.SyntaxKind;
      (listenersByKind[kind] ??= []).push({ id: detector.id, listener: listeners[kind]! });
    }
  }

  let visited = 0;
  const visit = (node: ts.Node): void => {
    if (++visited % CANCELLATION_CHECK_INTERVAL === 0 && token?.isCancellationRequested) {
      throw new WalkCancelled();
    }
    const listeners = listenersByKind[node.kind];
    if (listeners) {
      // Inline rather than through `guarded`: this loop runs for every node, so no closure here.
      for (const { id, listener } of listeners) {
        if (failed.has(id)) continue;
        try {
          listener(node);
        } catch (error) {
          if (error instanceof WalkCancelled) throw error;
          failed.add(id);
          failures.push({ id, error });
        }
      }
    }
    ancestors.push(node);
    ts.forEachChild(node, visit);
    ancestors.pop();
  };
  visit(sourceFile);
  for (const { id, listener } of walkEnds) guarded(id, listener);

  const byPosition = (a: { span: Span }, b: { span: Span }) => a.span.start - b.span.start || a.span.end - b.span.end;
  findings.sort(byPosition);
  problems.sort(byPosition);
  return { findings, problems, failures };
}
