import type { PatternDefinition } from './types';

export const GROUP_C: readonly PatternDefinition[] = [];
