import type { RuleDefinition } from '../patterns/types';
import { alsEnterWith } from './als-enter-with';
import { alsInFunction } from './als-in-function';
import { arrayShiftQueue } from './array-shift-queue';
import { asyncForeach } from './async-foreach';
import { bufferSlice } from './buffer-slice';
import { freshLiteralComparison } from './fresh-literal-comparison';
import { includesInLoop } from './includes-in-loop';
import { loopVarClosure } from './loop-var-closure';
import { looseEquality } from './loose-equality';
import { nanComparison } from './nan-comparison';
import { nonExhaustiveSwitch } from './non-exhaustive-switch';
import { shallowCopyMutation } from './shallow-copy-mutation';
import { sharedFillReference } from './shared-fill-reference';
import { sharedMutableDefault } from './shared-mutable-default';
import { tryFinallyUsing } from './try-finally-using';
import { typeOnlyImportCandidate } from './type-only-import-candidate';
import { unboundedMemoCache } from './unbounded-memo-cache';
import { undisposedDisposable } from './undisposed-disposable';
import { wrapperLosesThis } from './wrapper-loses-this';

/** Every gotcha rule (CATALOG.md section 2), in catalog order. */
export const RULES: readonly RuleDefinition[] = [
  loopVarClosure,
  looseEquality,
  nanComparison,
  freshLiteralComparison,
  shallowCopyMutation,
  sharedFillReference,
  sharedMutableDefault,
  wrapperLosesThis,
  undisposedDisposable,
  tryFinallyUsing,
  alsEnterWith,
  alsInFunction,
  bufferSlice,
  arrayShiftQueue,
  includesInLoop,
  unboundedMemoCache,
  asyncForeach,
  nonExhaustiveSwitch,
  typeOnlyImportCandidate,
];

export const RULES_BY_ID: ReadonlyMap<string, RuleDefinition> = new Map(RULES.map((r) => [r.id, r]));
