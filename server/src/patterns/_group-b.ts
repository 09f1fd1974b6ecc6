import type { PatternDefinition } from './types';

export const GROUP_B: readonly PatternDefinition[] = [];
