import { GROUP_A } from './_group-a';
import { GROUP_B } from './_group-b';
import { GROUP_C } from './_group-c';
import { GROUP_D } from './_group-d';
import { GROUP_E } from './_group-e';
import { GROUP_F } from './_group-f';
import { methodDecorator } from './method-decorator';
import type { PatternDefinition } from './types';

/** Every catalog pattern (CATALOG.md section 1), in catalog order. */
export const PATTERNS: readonly PatternDefinition[] = [
  methodDecorator,
  ...GROUP_A,
  ...GROUP_B,
  ...GROUP_C,
  ...GROUP_D,
  ...GROUP_E,
  ...GROUP_F,
];

export const PATTERNS_BY_ID: ReadonlyMap<string, PatternDefinition> = new Map(PATTERNS.map((p) => [p.id, p]));
