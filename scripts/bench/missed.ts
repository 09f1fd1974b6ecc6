/**
 * What BENCHMARKS.md says under a target this machine missed: why, and what meeting it would take,
 * from profiling the engine (`node --cpu-prof dist/cli.js ...`). Shown only for a missed target.
 */
export const MISSED: Readonly<Record<string, string>> = {};
