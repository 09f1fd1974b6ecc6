import type { RuleDefinition } from '../patterns/types';

export const GROUP_R4: readonly RuleDefinition[] = [];
