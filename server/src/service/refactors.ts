import type * as ts from 'typescript';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction } from 'vscode-languageserver-types';
import type { Span } from '../patterns/types';
import { REFACTORS, REFACTORS_BY_ID } from '../refactors';
import { pathContaining } from '../refactors/support';
import type { ProjectFacts, RefactorContext, RefactorOffer, TypeFacts } from '../refactors/types';
import { isSpanIn, workspaceEdit } from './codeActions';

export const REFACTOR_KIND_PREFIX = 'refactor.rewrite.patternLens';

/** What a refactor action carries until `codeAction/resolve`. */
export interface RefactorActionData {
  readonly kind: 'refactor';
  readonly uri: string;
  readonly version: number;
  readonly refactor: string;
  readonly span: Span;
  readonly offer: RefactorOffer;
}

export interface RefactorEnvironment {
  readonly project: ProjectFacts;
  readonly types: TypeFacts | undefined;
  readonly decoratorsModule: string | undefined;
}

function contextFor(sourceFile: ts.SourceFile, span: Span, environment: RefactorEnvironment): RefactorContext {
  return { sourceFile, span, path: pathContaining(sourceFile, span), ...environment };
}

/** The refactors offered at `span`, without edits (they come on resolve). */
export function refactorActions(
  document: TextDocument,
  sourceFile: () => ts.SourceFile,
  span: Span,
  environment: () => RefactorEnvironment,
  wants: (kind: string) => boolean,
): CodeAction[] {
  const wanted = REFACTORS.filter((refactor) => wants(`${REFACTOR_KIND_PREFIX}.${refactor.id}`));
  if (wanted.length === 0) return [];
  const context = contextFor(sourceFile(), span, environment());
  const actions: CodeAction[] = [];
  for (const refactor of wanted) {
    const kind = `${REFACTOR_KIND_PREFIX}.${refactor.id}`;
    for (const offer of refactor.getOffers(context)) {
      const data: RefactorActionData = { kind: 'refactor', uri: document.uri, version: document.version, refactor: refactor.id, span, offer };
      actions.push({ title: offer.title, kind, ...(offer.disabled ? { disabled: { reason: offer.disabled } } : { data }) });
    }
  }
  return actions;
}

export function isRefactorData(data: unknown): data is RefactorActionData {
  const d = data as RefactorActionData | undefined;
  return d?.kind === 'refactor' && typeof d.uri === 'string' && typeof d.version === 'number' && typeof d.refactor === 'string';
}

/** The edit of a refactor action, for the version it was offered on; none if the document changed. */
export function resolveRefactor(action: CodeAction, document: TextDocument, sourceFile: ts.SourceFile, environment: RefactorEnvironment): CodeAction {
  const data = action.data as RefactorActionData;
  const refactor = REFACTORS_BY_ID.get(data.refactor);
  if (!refactor || data.version !== document.version || !isSpanIn(data.span, document)) return action;
  // The data came back from the client: only the choice of action is taken from it, the offer is made afresh.
  const context = contextFor(sourceFile, data.span, environment);
  const offer = refactor.getOffers(context).find((o) => !o.disabled && o.action === (data.offer as Partial<RefactorOffer> | undefined)?.action);
  if (!offer) return action;
  const edits = refactor.doChange(context, offer);
  return edits.length === 0 ? action : { ...action, edit: workspaceEdit(document, edits) };
}
