import type { RuleDefinition } from '../patterns/types';

export const GROUP_R5: readonly RuleDefinition[] = [];
