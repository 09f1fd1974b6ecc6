import type { RuleDefinition } from '../patterns/types';

export const GROUP_R2: readonly RuleDefinition[] = [];
