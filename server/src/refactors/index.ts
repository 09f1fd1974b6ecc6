import { implementDisposable } from './implement-disposable';
import { tryFinallyToDisposableStack } from './try-finally-to-disposable-stack';
import { tryFinallyToUsing } from './try-finally-to-using';
import type { RefactorDefinition } from './types';
import { wrapWithDecorator } from './wrap-with-decorator';
import { wrapWithHigherOrder } from './wrap-with-higher-order';

/** Every code action of CATALOG.md section 3 (quick fixes live with their rules). */
export const REFACTORS: readonly RefactorDefinition[] = [implementDisposable, tryFinallyToUsing, tryFinallyToDisposableStack, wrapWithDecorator, wrapWithHigherOrder];

export const REFACTORS_BY_ID: ReadonlyMap<string, RefactorDefinition> = new Map(REFACTORS.map((r) => [r.id, r]));
