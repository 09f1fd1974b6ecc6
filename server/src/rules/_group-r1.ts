import type { RuleDefinition } from '../patterns/types';

export const GROUP_R1: readonly RuleDefinition[] = [];
