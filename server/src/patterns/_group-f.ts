import type { PatternDefinition } from './types';

export const GROUP_F: readonly PatternDefinition[] = [];
