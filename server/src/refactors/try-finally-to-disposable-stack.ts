import * as ts from 'typescript';
import type { Span, TextEdit } from '../patterns/types';
import {
  type AcquiredBefore,
  type AcquiredInside,
  type Release,
  type Site,
  Layout,
  acquiredBefore,
  acquiredInside,
  allIdentifierTexts,
  applyLayout,
  chooseMode,
  conditionMatchesUsing,
  containsAwait,
  disposeFacts,
  finallyComments,
  findSite,
  freshName,
  hasParseErrors,
  isReassigned,
  lexicalNames,
  parseRelease,
  releaseCallback,
  skipsInitial,
  typedNode,
  untypedVariables,
  whyNotCallback,
  whyNotCompilable,
} from './try-finally';
import type { RefactorContext, RefactorDefinition } from './types';

/**
 * Any try/finally becomes one `DisposableStack` (`AsyncDisposableStack` when the finally awaits), created
 * where the try began and disposed where it ended (in a new block when statements follow the try):
 *
 * - a resource acquired right before the try and released last: `const r = stack.adopt(open(), (v) => v.close())`;
 * - resources acquired by statements of the try block and released first, last acquired first:
 *   `r = stack.adopt(open(), (v) => v?.close())` where they are acquired;
 * - everything else the finally does, in its order: one `stack.defer(() => { ... })` registered as the try
 *   begins (closures read the variables when they run, as the finally did);
 * - `stack.use(r)` instead of `adopt` where the types show that the dispose method is what the finally called.
 *
 * The stack runs these last registered first, which is the order of the finally block; a `catch` stays
 * where it is and still runs before the cleanup.
 */

type Entry =
  | { readonly kind: 'before'; readonly release: Release; readonly acquired: AcquiredBefore }
  | { readonly kind: 'inside'; readonly release: Release; readonly acquired: AcquiredInside };

interface Shape {
  readonly site: Site;
  readonly entries: readonly Entry[];
  /** The statements of the finally that become one `defer`. */
  readonly deferred: readonly ts.Statement[];
  readonly isAsync: boolean;
}

interface Data {
  readonly tryStart: number;
  /** Resources that `use` disposes (the dispose method is what the finally called). */
  readonly use: readonly string[];
}

type Analysis = { readonly shape: Shape } | { readonly reason: string } | undefined;

function analyze(context: RefactorContext): Analysis {
  const site = findSite(context);
  if (!site) return undefined;
  const { tryStatement, finallyBlock } = site;
  const statements = finallyBlock.statements;
  if (statements.length === 0) return undefined;
  const before = acquiredBefore(site);
  if (hasParseErrors(site, (before?.statement ?? tryStatement).pos)) return undefined;
  const isResource = (name: string) => name === before?.name || acquiredInside(site, name) !== undefined;
  const releases = statements.map((s) => parseRelease(s, isResource));
  const finallyNames = lexicalNames(statements);
  const tryNames = lexicalNames(tryStatement.tryBlock.statements);
  const mentions = (release: Release, names: ReadonlySet<string>) => [...allIdentifierTexts(release.statement)].some((n) => n !== release.name && names.has(n));

  // Last: the resource acquired right before the try, adopted where it is acquired.
  let end = statements.length;
  let last: Entry | undefined;
  const lastRelease = releases[end - 1];
  if (
    before &&
    lastRelease?.name === before.name &&
    (before.isConst || !isReassigned(site, before.name, before.declaration.name)) &&
    !mentions(lastRelease, finallyNames)
  ) {
    last = { kind: 'before', release: lastRelease, acquired: before };
    end--;
  }
  // First: resources acquired in the try block, released in the reverse order, adopted where they are acquired.
  const entries: Entry[] = [];
  let bound = Infinity;
  let start = 0;
  for (; start < end; start++) {
    const release = releases[start];
    if (!release || entries.some((e) => e.release.name === release.name)) break;
    const acquired = acquiredInside(site, release.name);
    if (!acquired || acquired.index >= bound || !skipsInitial(release.condition, acquired.initial)) break;
    // The callback sits where the resource is acquired, inside the try block: what it uses must mean the same there.
    if (mentions(release, tryNames) || mentions(release, finallyNames)) break;
    entries.push({ kind: 'inside', release, acquired });
    bound = acquired.index;
  }
  const deferred = statements.slice(start, end);
  if (deferred.length > 0) {
    const why = whyNotCallback(deferred);
    if (why) return { reason: `The finally block ${why}, which a cleanup callback cannot do.` };
  }
  if (last) entries.push(last);
  // What moves into callbacks must keep its types: a variable declared without one would become `any` there.
  const untyped = untypedVariables(site);
  if (untyped.size > 0) {
    const captured = [...deferred, ...entries.map((e) => e.release.statement)].flatMap((s) => [...allIdentifierTexts(s)]);
    const resources = new Set(entries.map((e) => e.release.name));
    const name = captured.find((n) => untyped.has(n) && (!resources.has(n) || deferred.some((s) => allIdentifierTexts(s).has(n))));
    if (name) return { reason: `\`${name}\` is declared without a type, which a cleanup callback would see as \`any\`; declare its type first.` };
  }
  return { shape: { site, entries, deferred, isAsync: containsAwait(finallyBlock) } };
}

/** The resources that `use` can take: the finally called the dispose method, or one that visibly does the same. */
function usable(context: RefactorContext, shape: Shape): string[] {
  const names: string[] = [];
  for (const entry of shape.entries) {
    const { release } = entry;
    if (!release.concise || !release.bare || release.method === undefined) continue;
    // A sync release in an AsyncDisposableStack: `use` would prefer [Symbol.asyncDispose].
    if (shape.isAsync !== release.awaited) continue;
    const which = release.awaited ? 'asyncDispose' : 'dispose';
    const node = entry.kind === 'before' ? entry.acquired.declaration.name : entry.acquired.assignment.right;
    const typed = typedNode(context.types, context.sourceFile, node);
    if (!typed) continue;
    const facts = disposeFacts(context.types!, typed, which);
    if (!facts.disposable || !conditionMatchesUsing(release.condition, facts.nullable)) continue;
    if (release.method === `[Symbol.${which}]` || facts.delegatesTo(release.method)) names.push(release.name);
  }
  return names;
}

function stackClass(shape: Shape): string {
  return shape.isAsync ? 'AsyncDisposableStack' : 'DisposableStack';
}

function title(shape: Shape): { title: string; description: string } {
  const cleanups = shape.entries.length + (shape.deferred.length > 0 ? 1 : 0);
  const withCatch = shape.site.tryStatement.catchClause !== undefined;
  const note =
    cleanups > 1
      ? 'every cleanup runs even if another throws; their errors arrive as SuppressedError'
      : `an error thrown by the cleanup now arrives as SuppressedError when the ${withCatch ? 'try/catch' : 'body'} also throws`;
  const description = [
    `One ${stackClass(shape)} releases what the finally block released, when the try statement ends, in the same order.`,
    'If a cleanup throws while another error is on its way out, the cleanup error arrives as a SuppressedError whose `suppressed` is the other error (the finally block replaced it).',
    cleanups > 1 ? 'The other cleanups still run when one throws (the finally block stopped at the first error).' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return { title: `Convert to ${stackClass(shape)} (${note})`, description };
}

export const tryFinallyToDisposableStack: RefactorDefinition = {
  id: 'try-finally-to-disposable-stack',
  getOffers(context) {
    const analysis = analyze(context);
    if (!analysis) return [];
    const notCompilable = whyNotCompilable(context, '`using` and DisposableStack', 'DisposableStack');
    if (notCompilable) return [{ action: 'stack', title: 'Convert to DisposableStack', disabled: notCompilable }];
    if ('reason' in analysis) return [{ action: 'stack', title: 'Convert to DisposableStack', disabled: analysis.reason }];
    const { shape } = analysis;
    const layout = new Layout(shape.site);
    const mode = chooseMode(layout, firstOf(shape), []);
    if (typeof mode !== 'string') return mode.reason ? [{ action: 'stack', title: `Convert to ${stackClass(shape)}`, disabled: mode.reason }] : [];
    const data: Data = { tryStart: shape.site.tryStatement.getStart(context.sourceFile), use: usable(context, shape) };
    return [{ action: 'stack', ...title(shape), data }];
  },
  doChange(context, offer) {
    const data = offer.data as Data;
    const analysis = analyze(context);
    if (!analysis || !('shape' in analysis)) return [];
    const { shape } = analysis;
    if (shape.site.tryStatement.getStart(context.sourceFile) !== data.tryStart) return [];
    const layout = new Layout(shape.site);
    const mode = chooseMode(layout, firstOf(shape), []);
    if (typeof mode !== 'string') return [];
    return edits(layout, shape, new Set(data.use), mode);
  },
};

function firstOf(shape: Shape): AcquiredBefore | undefined {
  const last = shape.entries[shape.entries.length - 1];
  return last?.kind === 'before' ? last.acquired : undefined;
}

function edits(layout: Layout, shape: Shape, use: ReadonlySet<string>, mode: 'splice' | 'block'): TextEdit[] {
  const { site, newLine: nl, unit } = layout;
  const sourceFile = site.sourceFile;
  const first = firstOf(shape);
  const taken = allIdentifierTexts(sourceFile);
  const stack = freshName(taken, 'stack');
  // Where the new lines go: in a new block one level in, else at the try's indentation.
  const scopeIndent = mode === 'block' ? layout.indent + unit : layout.indent;
  const statements = site.finallyBlock.statements;

  // The text that moves as it is (with its comments) into callbacks.
  const kept: Span[] = [];
  for (const entry of shape.entries) {
    const r = entry.release;
    const node = r.concise ? r.call : r.statement;
    kept.push({ start: node.getStart(sourceFile), end: node.end });
  }
  const firstDeferred = shape.deferred[0];
  const lastDeferred = shape.deferred[shape.deferred.length - 1];
  if (firstDeferred && lastDeferred) kept.push({ start: firstDeferred.getStart(sourceFile), end: lastDeferred.end });
  const comments = finallyComments(layout, kept);
  const commentsOf = (statement: ts.Statement) => comments[statements.indexOf(statement)] ?? [];

  const planEdits: TextEdit[] = [];
  const commentsAbove: { statement: ts.Statement; comments: string[] }[] = [];
  const openLines = [`${shape.isAsync ? 'await using' : 'using'} ${stack} = new ${stackClass(shape)}();`];
  const bodyLines: string[] = [];

  for (const entry of shape.entries) {
    const { release } = entry;
    const value = entry.kind === 'before' ? entry.acquired.declaration.initializer : entry.acquired.assignment.right;
    // Where the callback is written: the acquisition's line, as it ends up.
    const statement = entry.acquired.statement;
    const own = layout.builder.indentationOf(statement);
    const at = entry.kind === 'before' ? scopeIndent : mode === 'splice' && !site.tryStatement.catchClause ? own.slice(unit.length) : mode === 'block' && site.tryStatement.catchClause ? own + unit : own;
    const valueStart = value.getStart(sourceFile);
    if (use.has(release.name)) {
      planEdits.push({ start: valueStart, end: valueStart, newText: `${stack}.use(` }, { start: value.end, end: value.end, newText: ')' });
    } else {
      const parameter = freshName(allIdentifierTexts(release.statement), 'v');
      const callback = releaseCallback(layout, release, { asyncStack: shape.isAsync, parameter, indent: at });
      planEdits.push({ start: valueStart, end: valueStart, newText: `${stack}.adopt(` }, { start: value.end, end: value.end, newText: `, ${callback})` });
    }
    if (entry.kind === 'before') openLines.push(...commentsOf(release.statement));
    else commentsAbove.push({ statement, comments: commentsOf(release.statement) });
  }

  if (firstDeferred && lastDeferred) {
    const leading = commentsOf(firstDeferred);
    const trailing = shape.deferred.length > 1 ? shape.deferred.slice(1).flatMap((s) => commentsOf(s)) : [];
    const from = layout.builder.indentationOf(firstDeferred);
    const body = layout.slice(firstDeferred.getStart(sourceFile), lastDeferred.end, [], { from, to: scopeIndent + unit });
    const isAsync = shape.deferred.some(containsAwait);
    const arrow = `${isAsync ? 'async ' : ''}() =>`;
    bodyLines.push(...leading);
    if (!/[\r\n]/.test(body)) bodyLines.push(`${stack}.defer(${arrow} { ${body} });`);
    else bodyLines.push(`${stack}.defer(${arrow} {${nl}${scopeIndent}${unit}${body}${nl}${scopeIndent}});`);
    bodyLines.push(...trailing);
  }
  return applyLayout(layout, { first, removed: [], openLines, bodyLines, edits: planEdits, commentsAbove }, mode);
}
