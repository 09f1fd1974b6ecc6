import * as ts from 'typescript';
import { tokenAt } from '../syntax/tokens';
import type { TextEdit } from '../patterns/types';
import {
  type AcquiredBefore,
  type AcquiredInside,
  type Release,
  type Mode,
  type Site,
  Layout,
  acquiredBefore,
  acquiredInside,
  applyLayout,
  chooseMode,
  conditionMatchesUsing,
  declaredBefore,
  disposeFacts,
  finallyComments,
  findSite,
  hasParseErrors,
  isReassigned,
  lexicalNames,
  occurrencesOf,
  parseRelease,
  quote,
  skipsInitial,
  typedNode,
  whyNotCompilable,
} from './try-finally';
import type { RefactorContext, RefactorDefinition, RefactorOffer } from './types';

/**
 * `const r = open(); try { ... } finally { r.close(); }` becomes `using r = open(); ...`, in a new block
 * when statements follow the try (so that `r` is disposed at the same moment as before).
 *
 * Offered when every statement of the `finally` releases a resource that is acquired either by the
 * declaration right before the try or by a statement of the try block, the releases come in the reverse
 * order of the acquisitions (what `using` does), and the types say each resource is Disposable
 * (AsyncDisposable for a release the `finally` awaits).
 */

interface Resource {
  readonly name: string;
  readonly release: Release;
  readonly before?: AcquiredBefore;
  readonly inside?: AcquiredInside;
}

interface Shape {
  readonly site: Site;
  /** In acquisition order. */
  readonly resources: readonly Resource[];
  readonly first: AcquiredBefore | undefined;
}

/** What the types decided, per resource (kept in the offer, so that resolving does not need types again). */
interface Decision {
  readonly name: string;
  readonly awaited: boolean;
  /** For a resource acquired inside the try: the type annotation of the new declaration, if any. */
  readonly annotation?: string;
}

interface Data {
  readonly tryStart: number;
  readonly decisions: readonly Decision[];
}

type Analysis = { readonly shape: Shape } | { readonly reason: string } | undefined;

/** The syntactic half: which resources, in which order, or why not (undefined: not even close). */
function analyze(context: RefactorContext): Analysis {
  const site = findSite(context);
  if (!site) return undefined;
  const { sourceFile, tryStatement, finallyBlock } = site;
  const statements = finallyBlock.statements;
  if (statements.length === 0) return undefined;
  const before = acquiredBefore(site);
  const isResource = (name: string) => name === before?.name || acquiredInside(site, name) !== undefined;
  const releases = statements.map((s) => parseRelease(s, isResource));
  // Offered (maybe disabled) only where the finally releases a variable declared before the try in the same block.
  if (!releases.some((r) => r !== undefined && declaredBefore(site, r.name))) return undefined;
  if (hasParseErrors(site, (before?.statement ?? tryStatement).pos)) return undefined;

  const other = statements.find((_, i) => !releases[i]);
  if (other) {
    return { reason: `The finally block does more than release resources (\`${quote(other, sourceFile)}\`); Convert to DisposableStack can keep that with \`defer\`.` };
  }
  const resources: Resource[] = [];
  const seen = new Set<string>();
  let first: AcquiredBefore | undefined;
  for (const [i, release] of (releases as Release[]).entries()) {
    if (seen.has(release.name)) return { reason: `The finally block releases \`${release.name}\` twice.` };
    seen.add(release.name);
    if (before && release.name === before.name) {
      if (i !== statements.length - 1) {
        return { reason: `The finally block releases \`${release.name}\` before resources acquired after it; \`using\` disposes the last acquired first.` };
      }
      if (!before.isConst && isReassigned(site, before.name, before.declaration.name)) {
        return { reason: `\`${release.name}\` is reassigned, and a \`using\` variable is constant.` };
      }
      first = before;
      resources.unshift({ name: release.name, release, before });
      continue;
    }
    const inside = acquiredInside(site, release.name);
    if (!inside) {
      return {
        reason: `\`${release.name}\` is not acquired right before the try (or by a statement of the try block); code in between would now be covered by the disposal.`,
      };
    }
    if (tryStatement.catchClause) {
      return {
        reason: `\`${release.name}\` is acquired inside the try, whose catch also handles errors while acquiring it; Convert to DisposableStack keeps that.`,
      };
    }
    if (!skipsInitial(release.condition, inside.initial)) {
      return { reason: `\`${quote(release.statement, sourceFile)}\` also runs when \`${release.name}\` was never acquired; make it conditional first (\`${release.name}?.${release.method ?? 'close'}()\`).` };
    }
    resources.unshift({ name: release.name, release, inside });
  }
  // Acquisitions inside the try come in the reverse order of their releases.
  const inside = resources.filter((r) => r.inside);
  for (let i = 1; i < inside.length; i++) {
    if (inside[i]!.inside!.index <= inside[i - 1]!.inside!.index) {
      return { reason: 'The finally block releases the resources in the order they were acquired; `using` disposes the last acquired first.' };
    }
  }
  for (const resource of inside) {
    const { name, inside: acquired } = resource;
    // The `let` declaration goes away: the variable must not be used outside the try, nor before it is acquired.
    const declarationStatement = acquired!.declarationStatement;
    if (!declarationStatement.declarationList.declarations.every((d) => ts.isIdentifier(d.name) && seen.has(d.name.text) && inside.some((r) => r.name === (d.name as ts.Identifier).text))) {
      return { reason: `\`${name}\` is declared together with other variables.` };
    }
    const acquiredAt = acquired!.statement.getStart(sourceFile);
    for (const occurrence of occurrencesOf(site.scope, name)) {
      if (occurrence.id === acquired!.declaration.name || occurrence.id === acquired!.assignment.left) continue;
      const at = occurrence.id.getStart(sourceFile);
      if (at < acquiredAt || at >= tryStatement.end) return { reason: `\`${name}\` is used outside the part of the try where it is acquired.` };
    }
  }
  const declared = lexicalNames(tryStatement.tryBlock.statements);
  const clash = resources.find((r) => declared.has(r.name));
  if (clash) return { reason: `The try block declares its own \`${clash.name}\`.` };
  return { shape: { site, resources, first } };
}

/** `T | undefined` → `T` when the value cannot be undefined; the annotation of a `let` for a `using`. */
function annotationFor(inside: AcquiredInside, sourceFile: ts.SourceFile, nullable: { null: boolean; undefined: boolean }): string | undefined {
  const type = inside.declaration.type;
  if (!type) return undefined;
  if (!ts.isUnionTypeNode(type)) return type.getText(sourceFile);
  const kept = type.types.filter((t) => {
    if (t.kind === ts.SyntaxKind.UndefinedKeyword) return nullable.undefined;
    if (ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword) return nullable.null;
    return true;
  });
  if (kept.length === 0) return undefined;
  return kept.map((t) => t.getText(sourceFile)).join(' | ');
}

interface Typed {
  readonly decisions: Decision[];
  /** Methods whose disposal now goes through `[Symbol.dispose]()` instead, when we cannot see that they are the same. */
  readonly indirect: string[];
}

function decide(context: RefactorContext, shape: Shape): Typed | { reason: string } | undefined {
  const sourceFile = context.sourceFile;
  const decisions: Decision[] = [];
  const indirect: string[] = [];
  for (const resource of shape.resources) {
    const { release, name } = resource;
    const which = release.awaited ? 'asyncDispose' : 'dispose';
    const node = resource.before ? resource.before.declaration.name : resource.inside!.assignment.right;
    const typed = typedNode(context.types, sourceFile, node);
    if (!typed) return undefined;
    const facts = disposeFacts(context.types!, typed, which);
    if (!facts.disposable) {
      return { reason: `\`${name}\` is not ${release.awaited ? 'AsyncDisposable' : 'Disposable'}: its type has no \`[Symbol.${which}]()\`.` };
    }
    if (release.method === undefined) return { reason: `\`${quote(release.call, sourceFile)}\` is not a method of \`${name}\` that \`[Symbol.${which}]()\` could stand for.` };
    if (!release.bare) return { reason: `\`${quote(release.call, sourceFile)}\` passes arguments, which \`[Symbol.${which}]()\` cannot.` };
    if (!conditionMatchesUsing(release.condition, facts.nullable)) {
      return { reason: `\`${quote(release.statement, sourceFile)}\` does not skip exactly null and undefined, as \`using\` does.` };
    }
    if (release.method !== `[Symbol.${which}]` && !facts.delegatesTo(release.method)) indirect.push(`${release.method}()`);
    const annotation = resource.inside && !(sourceFile.flags & ts.NodeFlags.JavaScriptFile) ? annotationFor(resource.inside, sourceFile, facts.nullable) : undefined;
    decisions.push({ name, awaited: release.awaited, ...(annotation ? { annotation } : {}) });
  }
  return { decisions, indirect: [...new Set(indirect)] };
}

function keyword(decisions: readonly Decision[]): string {
  const kinds = new Set(decisions.map((d) => (d.awaited ? '`await using`' : '`using`')));
  return [...kinds].join(' and ');
}

function title(shape: Shape, typed: Typed): { title: string; description: string } {
  const several = shape.resources.length > 1;
  const withCatch = shape.site.tryStatement.catchClause !== undefined;
  const notes: string[] = [];
  if (typed.indirect.length > 0) {
    const symbols = [...new Set(typed.decisions.map((d) => (d.awaited ? '[Symbol.asyncDispose]()' : '[Symbol.dispose]()')))].join(' / ');
    notes.push(`calls ${symbols} instead of ${typed.indirect.join(', ')}`);
  }
  if (several) notes.push('every resource is disposed even if disposing another throws; their errors arrive as SuppressedError');
  else notes.push(`an error thrown while closing now arrives as SuppressedError when the ${withCatch ? 'try/catch' : 'body'} also throws`);
  const description = [
    `Declares ${shape.resources.map((r) => `\`${r.name}\``).join(', ')} with ${keyword(typed.decisions)}, disposed when the try statement ends, last acquired first, as the finally block did.`,
    typed.indirect.length > 0
      ? `Disposal calls the ${typed.decisions.some((d) => d.awaited) ? 'async ' : ''}dispose method of the type instead of ${typed.indirect.join(', ')}: the types do not show that they do the same.`
      : '',
    'If disposing throws while another error is on its way out, the disposal error arrives as a SuppressedError whose `suppressed` is the other error (the finally block replaced it).',
    several ? 'A resource is disposed even when disposing another one threw (the finally block stopped at the first error).' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { title: `Convert to ${keyword(typed.decisions)} (${notes.join('; ')})`, description };
}

export const tryFinallyToUsing: RefactorDefinition = {
  id: 'try-finally-to-using',
  getOffers(context) {
    const analysis = analyze(context);
    if (!analysis) return [];
    const notCompilable = whyNotCompilable(context, '`using`', 'the `Disposable` types');
    if (notCompilable) return [{ action: 'using', title: 'Convert to `using`', disabled: notCompilable }];
    if ('reason' in analysis) return [{ action: 'using', title: 'Convert to `using`', disabled: analysis.reason }];
    const { shape } = analysis;
    const typed = decide(context, shape);
    if (!typed) return [];
    if ('reason' in typed) return [{ action: 'using', title: 'Convert to `using`', disabled: typed.reason }];
    const layout = new Layout(shape.site);
    const mode = chooseMode(layout, shape.first, removedStatements(shape));
    if (typeof mode !== 'string') return mode.reason ? [{ action: 'using', title: 'Convert to `using`', disabled: mode.reason }] : [];
    const data: Data = { tryStart: shape.site.tryStatement.getStart(context.sourceFile), decisions: typed.decisions };
    const offer: RefactorOffer = { action: 'using', ...title(shape, typed), data };
    return [offer];
  },
  doChange(context, offer) {
    const data = offer.data as Data;
    const analysis = analyze(context);
    if (!analysis || !('shape' in analysis)) return [];
    const { shape } = analysis;
    if (shape.site.tryStatement.getStart(context.sourceFile) !== data.tryStart) return [];
    const decisions = new Map(data.decisions.map((d) => [d.name, d]));
    if (decisions.size !== shape.resources.length || shape.resources.some((r) => !decisions.has(r.name))) return [];
    const layout = new Layout(shape.site);
    const mode = chooseMode(layout, shape.first, removedStatements(shape));
    if (typeof mode !== 'string') return [];
    return edits(layout, shape, decisions, mode);
  },
};

function removedStatements(shape: Shape): ts.Statement[] {
  return [...new Set(shape.resources.flatMap((r) => (r.inside ? [r.inside.declarationStatement] : [])))];
}

function edits(layout: Layout, shape: Shape, decisions: ReadonlyMap<string, Decision>, mode: Mode): TextEdit[] {
  const sourceFile = shape.site.sourceFile;
  const comments = finallyComments(layout, []);
  const statements = shape.site.finallyBlock.statements;
  const commentsOf = (resource: Resource) => comments[statements.indexOf(resource.release.statement)] ?? [];
  const planEdits: TextEdit[] = [];
  const commentsAbove: { statement: ts.Statement; comments: string[] }[] = [];
  let openLines: string[] = [];
  for (const resource of shape.resources) {
    const decision = decisions.get(resource.name)!;
    const declare = decision.awaited ? 'await using' : 'using';
    if (resource.before) {
      const keywordToken = tokenAt(sourceFile, resource.before.statement.declarationList.pos);
      planEdits.push({ start: keywordToken.start, end: keywordToken.end, newText: declare });
      openLines = commentsOf(resource);
    } else {
      const left = resource.inside!.assignment.left;
      planEdits.push({ start: left.getStart(sourceFile), end: left.end, newText: `${declare} ${resource.name}${decision.annotation ? `: ${decision.annotation}` : ''}` });
      commentsAbove.push({ statement: resource.inside!.statement, comments: commentsOf(resource) });
    }
  }
  return applyLayout(layout, { first: shape.first, removed: removedStatements(shape), openLines, bodyLines: [], edits: planEdits, commentsAbove }, mode);
}
