import { implementDisposable } from './implement-disposable';
import type { RefactorDefinition } from './types';

/** Every code action of CATALOG.md section 3 (quick fixes live with their rules). */
export const REFACTORS: readonly RefactorDefinition[] = [implementDisposable];

export const REFACTORS_BY_ID: ReadonlyMap<string, RefactorDefinition> = new Map(REFACTORS.map((r) => [r.id, r]));
