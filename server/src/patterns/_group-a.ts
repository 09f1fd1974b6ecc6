import type { PatternDefinition } from './types';

export const GROUP_A: readonly PatternDefinition[] = [];
