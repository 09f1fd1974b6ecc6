import type { RuleDefinition } from '../patterns/types';

export const GROUP_R3: readonly RuleDefinition[] = [];
