import type { PatternDefinition } from './types';

export const GROUP_E: readonly PatternDefinition[] = [];
