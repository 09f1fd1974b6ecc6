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
import { calledName } from '../syntax/expressions';

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
const CALL_EXPRESSION = ts.SyntaxKind.CallExpression;
const LAST_TOKEN = ts.SyntaxKind.LastToken;
const FIRST_TYPE_NODE = ts.SyntaxKind.FirstTypeNode;
const LAST_TYPE_NODE = ts.SyntaxKind.LastTypeNode;

/** Members of type literals and interfaces, and the other non-type nodes that make up types. */
const TYPE_MEMBER_KINDS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.QualifiedName,
  ts.SyntaxKind.ComputedPropertyName,
  ts.SyntaxKind.TypeParameter,
  ts.SyntaxKind.PropertySignature,
  ts.SyntaxKind.MethodSignature,
  ts.SyntaxKind.CallSignature,
  ts.SyntaxKind.ConstructSignature,
  ts.SyntaxKind.IndexSignature,
  ts.SyntaxKind.GetAccessor,
  ts.SyntaxKind.SetAccessor,
]);

/**
 * Whether a handler of `kind` needs the walk to go into type nodes (annotations, type arguments, the type of a
 * type alias): type nodes themselves, what type literals hold, names and tokens. Without such a handler the
 * walk does not enter them, which spares a third of the nodes of typical TypeScript: what else a type can
 * hold is the parameters of function types, which have neither default values nor bodies, and the keys of
 * computed members, which must be literals or unique symbols (`[Symbol.iterator]`), neither of them the
 * syntax of any rule.
 */
function needsTypeSyntax(kind: ts.SyntaxKind): boolean {
  return kind <= LAST_TOKEN || (kind >= FIRST_TYPE_NODE && kind <= LAST_TYPE_NODE) || TYPE_MEMBER_KINDS.has(kind);
}

function isNode(at: ts.Node | Span): at is ts.Node {
  return typeof (at as ts.Node).getStart === 'function';
}

export type Detector = PatternDefinition | RuleDefinition;

/** What one listener set handles: the kinds of its handlers and the names of its `calls`. */
interface Handled {
  readonly kinds: readonly ts.SyntaxKind[];
  readonly calledNames: readonly string[];
}

/**
 * What each detector's listener sets handle, read from its first `create`: a detector handles the same
 * kinds and names on every call (test/walk.test.ts checks each one). Reading them from every file's fresh
 * handler objects cost more than running the handlers did: V8 keeps kind-keyed handlers in sparse element
 * stores, which `Object.keys` scans slot by slot.
 */
const detectorHandles = new WeakMap<Detector, readonly Handled[]>();

function handledBy(detector: Detector, sets: readonly Listeners[]): readonly Handled[] {
  let handled = detectorHandles.get(detector);
  if (handled?.length !== sets.length) {
    handled = sets.map((listeners) => ({
      kinds: Object.keys(listeners).filter((key) => key !== 'onWalkEnd' && key !== 'calls').map(Number) as ts.SyntaxKind[],
      calledNames: Object.keys(listeners.calls ?? {}),
    }));
    detectorHandles.set(detector, handled);
  }
  return handled;
}

/** The listeners for one node kind or one called name, each beside the index of its detector. */
interface Handlers {
  listeners: NodeListener[];
  owners: number[];
}

/**
 * One node a handler listens to, and how the ancestors stack changes from the node recorded before it (or from
 * the source file alone, for a statement's first): consecutive nodes share most of their way up.
 */
interface Listened {
  readonly node: ts.Node;
  /** How many ancestors to keep of the previous node's. */
  readonly keep: number;
  /** The ancestors to add after those. */
  readonly push: readonly ts.Node[];
}

const NO_NODES: readonly ts.Node[] = [];

/**
 * What the walks of one document learnt of its top-level statements, for the walks of its later versions.
 * `ts.updateSourceFile` keeps, as the very same objects, the statements an edit did not touch (moving only
 * their positions), and which of a statement's nodes have handlers, with which ancestors, depends on nothing
 * but that statement. So a later walk runs the handlers of a known statement's nodes straight from the memo,
 * in the order and with the ancestors a traversal would give them, and traverses only the statements that
 * are new. The handlers themselves run as in any walk, on the current tree: only finding their nodes is saved.
 */
export class WalkMemo {
  private signature: string | undefined;
  private statements = new WeakMap<ts.Node, readonly Listened[]>();

  /** The known statements, for walks whose handlers listen to `signature`; forgotten when that changes. */
  statementsFor(signature: string): WeakMap<ts.Node, readonly Listened[]> {
    if (signature !== this.signature) {
      this.signature = signature;
      this.statements = new WeakMap();
    }
    return this.statements;
  }
}

/** The kinds and called names that have handlers, which decide what a memo records. */
function listenedSignature(byKind: readonly (Handlers | undefined)[], byCalledName: ReadonlyMap<string, Handlers>): string {
  const kinds: number[] = [];
  byKind.forEach((handlers, kind) => handlers !== undefined && kinds.push(kind));
  return `${kinds.join(',')}|${[...byCalledName.keys()].sort().join(',')}`;
}

export interface WalkOptions {
  /** Checked every CANCELLATION_CHECK_INTERVAL nodes: a cancelled walk throws WalkCancelled. */
  readonly token?: CancellationToken;
  /** Given in the type-aware phase, to the rules that require types. */
  readonly checker?: ts.TypeChecker;
  /** The document's memo, when the walk is one of a series over its versions (the editor's two walks). */
  readonly memo?: WalkMemo;
}

/**
 * Runs the listeners of every pattern and rule in a single depth-first traversal of `sourceFile`.
 * A detector that throws is dropped for the rest of this walk and reported in `failures`.
 */
export function walk(sourceFile: ts.SourceFile, detectors: readonly Detector[], { token, checker, memo }: WalkOptions = {}): WalkResult {
  const findings: Finding[] = [];
  const problems: Problem[] = [];
  const failures: { id: string; error: unknown }[] = [];
  const ancestors: ts.Node[] = [];

  const toSpan = (at: ts.Node | Span): Span =>
    isNode(at) ? { start: at.getStart(sourceFile), end: at.end } : { start: at.start, end: at.end };

  // A dense array the size of SyntaxKind, so the lookup per node is an indexed load, not a dictionary probe;
  // calls are looked up once more, by the name they call.
  const byKind: (Handlers | undefined)[] = new Array(ts.SyntaxKind.Count).fill(undefined);
  const byCalledName = new Map<string, Handlers>();
  const walkEnds: { index: number; listener: () => void }[] = [];
  const add = (handlers: Handlers | undefined, listener: NodeListener, index: number): Handlers => {
    handlers ??= { listeners: [], owners: [] };
    handlers.listeners.push(listener);
    handlers.owners.push(index);
    return handlers;
  };
  const register = (index: number, listeners: Listeners, { kinds, calledNames }: Handled): void => {
    for (const kind of kinds) {
      const listener = listeners[kind];
      if (listener !== undefined) byKind[kind] = add(byKind[kind], listener, index);
    }
    for (const name of calledNames) {
      const listener = listeners.calls?.[name];
      if (listener !== undefined) byCalledName.set(name, add(byCalledName.get(name), listener, index));
    }
    if (listeners.onWalkEnd) walkEnds.push({ index, listener: listeners.onWalkEnd });
  };
  const failed = new Set<number>();

  const fail = (index: number, error: unknown): void => {
    if (error instanceof WalkCancelled) throw error;
    failed.add(index);
    failures.push({ id: detectors[index]!.id, error });
    // Its listeners leave the tables (fresh arrays: a loop over the old ones may still be running).
    for (const handlers of [...byKind, ...byCalledName.values()]) {
      if (!handlers?.owners.includes(index)) continue;
      handlers.listeners = handlers.listeners.filter((_, i) => handlers.owners[i] !== index);
      handlers.owners = handlers.owners.filter((owner) => owner !== index);
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
    const handled = handledBy(detector, list);
    list.forEach((listeners, i) => register(index, listeners, handled[i]!));
  });

  const run = ({ listeners, owners }: Handlers, node: ts.Node): void => {
    for (let i = 0; i < listeners.length; i++) {
      // A detector that failed on this node may have another listener set still in this (old) list.
      if (failed.size !== 0 && failed.has(owners[i]!)) continue;
      try {
        listeners[i]!(node);
      } catch (error) {
        fail(owners[i]!, error);
      }
    }
  };

  const entersTypes = byKind.some((handlers, kind) => handlers !== undefined && needsTypeSyntax(kind));

  let untilCancellationCheck = CANCELLATION_CHECK_INTERVAL;
  const checkCancellation = (): void => {
    if (--untilCancellationCheck !== 0) return;
    untilCancellationCheck = CANCELLATION_CHECK_INTERVAL;
    if (token?.isCancellationRequested) throw new WalkCancelled();
  };
  /** Runs the handlers of `node`'s kind and, for a call, of the name it calls; whether there were any. */
  const dispatch = (node: ts.Node): boolean => {
    const kind = node.kind;
    const handlers = byKind[kind];
    if (handlers !== undefined) run(handlers, node);
    if (kind !== CALL_EXPRESSION || byCalledName.size === 0) return handlers !== undefined;
    const name = calledName((node as ts.CallExpression).expression);
    const named = name === undefined ? undefined : byCalledName.get(name);
    if (named !== undefined) run(named, node);
    return handlers !== undefined || named !== undefined;
  };

  /** While a top-level statement is walked for the memo: its nodes that have handlers, in walk order. */
  let recording: Listened[] | undefined;
  /** The depth the ancestors stack has come down to since the last node recorded. */
  let low = 1;
  const visit = (node: ts.Node): void => {
    checkCancellation();
    if (dispatch(node) && recording !== undefined) {
      recording.push({ node, keep: low, push: low === ancestors.length ? NO_NODES : ancestors.slice(low) });
      low = ancestors.length;
    }
    const kind = node.kind;
    // Tokens (identifiers, literals, keywords, punctuation) have no children: half the nodes of a file. Type nodes
    // are left unvisited when no handler needs type syntax.
    if (kind <= LAST_TOKEN || (!entersTypes && kind >= FIRST_TYPE_NODE && kind <= LAST_TYPE_NODE)) return;
    ancestors.push(node);
    ts.forEachChild(node, visit);
    ancestors.pop();
    if (ancestors.length < low) low = ancestors.length;
  };
  /** The handlers a walk of a statement the memo knows would run, on the nodes and with the ancestors it would. */
  const replay = (listened: readonly Listened[]): void => {
    for (const { node, keep, push } of listened) {
      checkCancellation();
      while (ancestors.length > keep) ancestors.pop();
      for (let i = 0; i < push.length; i++) ancestors.push(push[i]!);
      dispatch(node);
    }
    while (ancestors.length > 1) ancestors.pop();
  };

  const statements = memo?.statementsFor(listenedSignature(byKind, byCalledName));
  if (statements === undefined) visit(sourceFile);
  else {
    checkCancellation();
    dispatch(sourceFile);
    ancestors.push(sourceFile);
    for (const statement of sourceFile.statements) {
      const known = statements.get(statement);
      if (known !== undefined) {
        replay(known);
        continue;
      }
      recording = [];
      low = 1;
      visit(statement);
      statements.set(statement, recording);
      recording = undefined;
    }
    visit(sourceFile.endOfFileToken);
    ancestors.pop();
  }
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
