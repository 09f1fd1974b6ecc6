import { accessorValidation } from './accessor-validation';
import { assignmentInCondition } from './assignment-in-condition';
import { asyncGenerator } from './async-generator';
import { asyncLocalStorage } from './async-local-storage';
import { awaitUsing } from './await-using';
import { callableObject } from './callable-object';
import { classDecorator } from './class-decorator';
import { conditionalInfer } from './conditional-infer';
import { decoratorFactory } from './decorator-factory';
import { decoratorStacking } from './decorator-stacking';
import { discriminatedUnionSwitch } from './discriminated-union-switch';
import { disposableStack } from './disposable-stack';
import { fieldInitializer } from './field-initializer';
import { functionWrapper } from './function-wrapper';
import { generator } from './generator';
import { generatorTwoWay } from './generator-two-way';
import { generic } from './generic';
import { lazyGetter } from './lazy-getter';
import { memoizeCache } from './memoize-cache';
import { methodDecorator } from './method-decorator';
import { overloads } from './overloads';
import { partialApplication } from './partial-application';
import { privateFields } from './private-fields';
import { proxy } from './proxy';
import { readonlyImmutability } from './readonly-immutability';
import { registryStaticBlock } from './registry-static-block';
import { structuralInterface } from './structural-interface';
import { structuredClonePattern } from './structured-clone';
import { symbolDispose } from './symbol-dispose';
import { tryFinallyCleanup } from './try-finally-cleanup';
import { typeOnlyImport } from './type-only-import';
import { typedArrayView } from './typed-array-view';
import { usingDeclaration } from './using-declaration';
import { weakReferences } from './weak-references';
import { wellKnownSymbol } from './well-known-symbol';
import { workerThreads } from './worker-threads';
import type { PatternDefinition } from './types';

/** Every catalog pattern (CATALOG.md section 1), in catalog order. */
export const PATTERNS: readonly PatternDefinition[] = [
  methodDecorator,
  decoratorFactory,
  classDecorator,
  decoratorStacking,
  functionWrapper,
  usingDeclaration,
  awaitUsing,
  disposableStack,
  symbolDispose,
  tryFinallyCleanup,
  generator,
  generatorTwoWay,
  asyncGenerator,
  generic,
  conditionalInfer,
  structuralInterface,
  overloads,
  typeOnlyImport,
  memoizeCache,
  lazyGetter,
  partialApplication,
  asyncLocalStorage,
  accessorValidation,
  registryStaticBlock,
  proxy,
  wellKnownSymbol,
  callableObject,
  readonlyImmutability,
  privateFields,
  typedArrayView,
  discriminatedUnionSwitch,
  assignmentInCondition,
  workerThreads,
  structuredClonePattern,
  fieldInitializer,
  weakReferences,
];

export const PATTERNS_BY_ID: ReadonlyMap<string, PatternDefinition> = new Map(PATTERNS.map((p) => [p.id, p]));
