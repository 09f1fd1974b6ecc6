import type { PatternDefinition } from './types';

export const GROUP_D: readonly PatternDefinition[] = [];
