import type * as ts from 'typescript';

/** A half-open span of UTF-16 offsets into the document text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** One occurrence of a catalog pattern in a document. */
export interface Finding {
  readonly id: string;
  /** The syntax that makes the pattern: where "patterns in this file" jumps and where the hover shows. */
  readonly span: Span;
  /** Other syntax of the same occurrence that also shows the hover (each `yield` of a generator, say). */
  readonly alsoHoverOn?: readonly Span[];
}

/** What a detector sees while the one walk over the syntax tree is at one of its nodes. */
export interface DetectorContext {
  readonly sourceFile: ts.SourceFile;
  /**
   * The ancestors of the node being visited, nearest last. The tree is parsed without parent
   * pointers (they cost about a third of the parse), so this is the way up.
   */
  readonly ancestors: readonly ts.Node[];
  /** Records a finding on `at` (a node, whose leading trivia is skipped, or a span). */
  report(at: ts.Node | Span, alsoHoverOn?: readonly (ts.Node | Span)[]): void;
}

export type NodeListener = (node: ts.Node) => void;

/**
 * What a detector listens to: a handler per syntax kind, called during the single walk, handlers of call
 * expressions by the name they call, and an optional handler once the walk has finished (for detectors
 * that gather facts before deciding). The walk enters type nodes only when some detector has a handler of
 * type syntax (`needsTypeSyntax` in service/walk.ts): a `Parameter` handler alone does not see the
 * parameters of function types.
 */
export type Listeners = { readonly [kind in ts.SyntaxKind]?: NodeListener } & {
  /**
   * Handlers of the calls of one name: `name(...)`, `x.name(...)`, `x?.name(...)`, `x['name'](...)`,
   * `import(...)` as `import`, whatever wraps the callee (`(x.name as F)(...)`); see `calledName`. The walk
   * looks each call's name up once, so a detector that cares about a few names costs nothing on the other
   * calls, where a `CallExpression` handler runs on every call. A handler still checks the call's shape.
   */
  readonly calls?: { readonly [name: string]: NodeListener };
  readonly onWalkEnd?: () => void;
};

/**
 * What `create` returns: one set of listeners, or several (a detector's own and a shared helper's),
 * which the walk registers side by side, each in order, with no merging. Every call must handle the same
 * kinds in the same sets: the walk reads them from a detector's first call only.
 */
export type ListenerSets = Listeners | readonly Listeners[];

export type Category =
  | 'decorators'
  | 'resources'
  | 'generators'
  | 'types'
  | 'functions'
  | 'objects'
  | 'runtime';

export interface DocLink {
  readonly title: string;
  readonly url: string;
}

/** The teaching text of a catalog entry. Markdown; inline code in backticks. */
export interface Prose {
  /** Short name, e.g. "Stage-3 method decorator". */
  readonly title: string;
  /** One sentence: what the construct is. */
  readonly summary: string;
  /** What it does at run time / in the type system. */
  readonly what: string;
  /** When to reach for it. */
  readonly when: string;
  /** When not to. */
  readonly whenNot: string;
  /** One sharp pitfall. */
  readonly pitfall: string;
}

export interface PythonCounterpart {
  /** The Python idea, e.g. "decorators and `functools.wraps`". */
  readonly name: string;
  /** Exactly two lines of Python showing it. */
  readonly example: string;
  /** One or two sentences on how the Python idea maps, or does not map, to the TypeScript one. */
  readonly note: string;
}

export interface SnippetDefinition {
  /** Starts with `pl-`. */
  readonly prefix: string;
  readonly description: string;
  /** VS Code snippet body lines (`${1:default}` placeholders). */
  readonly body: readonly string[];
  /** Whether the snippet is plain JavaScript too (no type syntax), so it is offered in .js files. */
  readonly javascript: boolean;
}

export interface PatternDefinition {
  readonly id: string;
  readonly kind: 'pattern';
  readonly category: Category;
  /** Seed articles the idea comes from (`000` to `004`). */
  readonly seeds: readonly string[];
  readonly prose: Prose;
  readonly python: PythonCounterpart;
  /**
   * A complete TypeScript module showing the pattern. Tests check that it parses, type-checks
   * (strict, lib esnext, Node types) and is detected as this pattern.
   */
  readonly example: string;
  /** Primary documentation: the TypeScript handbook, MDN, Node's docs or the TC39 proposal. */
  readonly links: readonly DocLink[];
  readonly snippets?: readonly SnippetDefinition[];
  /** Called once per walk; returns the listeners that report this pattern. */
  create(context: DetectorContext): ListenerSets;
}

// ── Gotcha rules (CATALOG.md section 2) ────────────────────────────────────────────────────────────

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** A rule's finding: what goes wrong, where, and which of the rule's fixes apply. Plain data. */
export interface Problem {
  readonly id: string;
  readonly span: Span;
  readonly message: string;
  /** Ids of the rule's fixes that apply here; each is computed only when asked for. */
  readonly fixes: readonly string[];
}

export interface ProblemReport {
  /** Where the squiggle goes. */
  readonly at: ts.Node | Span;
  /** What goes wrong at run time, naming the variable involved. */
  readonly message: string;
  readonly fixes?: readonly string[];
}

export interface RuleContext {
  readonly sourceFile: ts.SourceFile;
  readonly ancestors: readonly ts.Node[];
  /** Present for rules that need types (`requiresTypes`), which run in the second phase. */
  readonly checker?: ts.TypeChecker;
  report(problem: ProblemReport): void;
}

/** The edits a fix makes, built by `edits/EditBuilder`. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface FixDefinition {
  readonly id: string;
  /** The action's title; says what changes, and says so plainly when behaviour may change. */
  readonly title: string;
  /** Safe fixes keep behaviour and are applied by fix-all; the others only one at a time, by choice. */
  readonly safe: boolean;
  /**
   * Builds the edits for the problem at `span` in `sourceFile` (the tree of the same document version
   * the problem was found in). Returns no edits when the fix cannot be made safely after all.
   */
  doChange(sourceFile: ts.SourceFile, span: Span): readonly TextEdit[];
}

export interface RuleDefinition {
  readonly id: string;
  readonly kind: 'gotcha';
  readonly category: Category;
  readonly seeds: readonly string[];
  readonly defaultSeverity: Severity;
  /**
   * For a gotcha: `what` is what goes wrong at run time, `when` when it bites, `whenNot` what the rule
   * deliberately leaves alone, `pitfall` what to watch for when fixing it.
   */
  readonly prose: Prose;
  readonly python: PythonCounterpart;
  /** Tested: each incorrect example reports this rule and nothing else; each correct one reports nothing. */
  readonly examples: { readonly incorrect: readonly string[]; readonly correct: readonly string[] };
  readonly links: readonly DocLink[];
  readonly fixes?: readonly FixDefinition[];
  /** Rules that need the type checker run in the second, debounced phase. */
  readonly requiresTypes?: boolean;
  create(context: RuleContext): ListenerSets;
}
