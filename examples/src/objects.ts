// Objects with behaviour attached to their properties.

export class Schema {
  #fields: readonly string[];
  #signature?: string;

  constructor(fields: readonly string[]) {
    this.#fields = fields;
  }

  /** Computed on first use, then cached. */
  get signature(): string {
    return (this.#signature ??= this.#fields.join('|'));
  }
}

export class Batch {
  #size = 100;

  get size(): number {
    return this.#size;
  }

  set size(value: number) {
    if (!Number.isInteger(value) || value <= 0) throw new RangeError(`batch size must be a positive integer, got ${value}`);
    this.#size = value;
  }
}

export abstract class IOManager {
  static readonly registry = new Map<string, new () => IOManager>();
  abstract write(key: string, value: unknown): void;
}

export class ConsoleIOManager extends IOManager {
  static {
    IOManager.registry.set('console', ConsoleIOManager);
  }

  write(key: string, value: unknown): void {
    console.log(key, value);
  }
}

export const LEVELS = ['debug', 'info', 'warn'] as const;
export const settings: Readonly<{ level: (typeof LEVELS)[number] }> = Object.freeze({ level: 'info' });

export class RunQueue {
  readonly pending: string[] = [];
  readonly seen = new Set<string>();
}

/** Reads of unknown settings are logged instead of silently returning undefined. */
export const auditedSettings = new Proxy(settings, {
  get(target, property, receiver) {
    if (!(property in target)) console.warn(`unknown setting ${String(property)}`);
    return Reflect.get(target, property, receiver);
  },
});

export interface Counter {
  (): number;
  reset(): void;
  readonly count: number;
}

export function makeCounter(): Counter {
  let count = 0;
  return Object.assign(() => ++count, {
    reset: () => {
      count = 0;
    },
    get count() {
      return count;
    },
  });
}

/** Per-object metadata that does not keep the objects alive. */
export const runMetadata = new WeakMap<object, { startedAt: number }>();
