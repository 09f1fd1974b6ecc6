import type * as ts from 'typescript';
import type { Span, TextEdit } from '../patterns/types';

/** What the project can compile, as far as the refactors care. */
export interface ProjectFacts {
  /** The project's TypeScript version (from its node_modules), or undefined when none is installed. */
  readonly typescriptVersion: string | undefined;
  /** Whether `lib` provides `Disposable`, `DisposableStack` and `SuppressedError` (esnext or esnext.disposable). */
  readonly hasDisposableLib: boolean;
  /** Whether the project uses the legacy decorators (`experimentalDecorators`). */
  readonly experimentalDecorators: boolean;
}

/** Types, when the type-aware phase has a program for the file (never built just for a lightbulb). */
export interface TypeFacts {
  readonly checker: ts.TypeChecker;
  /** The program's tree of the same text, with parent pointers. */
  readonly sourceFile: ts.SourceFile;
}

export interface RefactorContext {
  /** The document's tree (no parent pointers: use `path`). */
  readonly sourceFile: ts.SourceFile;
  /** The selection, or the cursor when empty. */
  readonly span: Span;
  /** From the source file down to the innermost node containing the whole selection. */
  readonly path: readonly ts.Node[];
  readonly project: ProjectFacts;
  readonly types: TypeFacts | undefined;
  /** `patternLens.refactors.decoratorsModule`: where shared decorators live, if set. */
  readonly decoratorsModule: string | undefined;
}

/** One action a refactor offers at a place; `data` is what `doChange` needs (plain JSON). */
export interface RefactorOffer {
  /** Unique within the refactor, e.g. `logged` for `wrap-with-decorator`. */
  readonly action: string;
  readonly title: string;
  /** A longer explanation, e.g. how error semantics change. Shown where the editor shows it. */
  readonly description?: string;
  /** Set when the action cannot be applied here: the reason is shown in the editor, greyed out. */
  readonly disabled?: string;
  readonly data?: unknown;
}

export interface RefactorDefinition {
  /** The catalog id (CATALOG.md section 3). The code action kind is `refactor.rewrite.patternLens.<id>`. */
  readonly id: string;
  /**
   * The analysis half: which actions apply at the selection. Cheap and syntactic (it runs on every
   * cursor move), using `context.types` only when it is already there.
   */
  getOffers(context: RefactorContext): readonly RefactorOffer[];
  /** The editing half: the edits for one offer, on the same document version. Empty when it cannot be done safely. */
  doChange(context: RefactorContext, offer: RefactorOffer): readonly TextEdit[];
}
