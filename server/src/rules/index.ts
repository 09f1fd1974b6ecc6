import type { RuleDefinition } from '../patterns/types';
import { GROUP_R1 } from './_group-r1';
import { GROUP_R2 } from './_group-r2';
import { GROUP_R3 } from './_group-r3';
import { GROUP_R4 } from './_group-r4';
import { GROUP_R5 } from './_group-r5';
import { looseEquality } from './loose-equality';

/** Every gotcha rule (CATALOG.md section 2), in catalog order. */
export const RULES: readonly RuleDefinition[] = [looseEquality, ...GROUP_R1, ...GROUP_R2, ...GROUP_R3, ...GROUP_R4, ...GROUP_R5];

export const RULES_BY_ID: ReadonlyMap<string, RuleDefinition> = new Map(RULES.map((r) => [r.id, r]));
