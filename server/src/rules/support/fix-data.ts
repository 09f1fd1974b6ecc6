/**
 * Data a detector computes with the checker and its fix needs later, when no checker is at hand
 * (fixes get only the syntax tree of the same text). Kept per document text, for the few most
 * recently analysed texts; a fix that finds nothing here makes no edit.
 */
export class FixDataCache<T> {
  private readonly byText = new Map<string, Map<string, T>>();

  constructor(private readonly maxTexts = 16) {}

  /** Starts the entries of one walk over `text`, replacing those of an earlier walk over the same text. */
  begin(text: string): Map<string, T> {
    const entries = new Map<string, T>();
    this.byText.delete(text);
    this.byText.set(text, entries);
    while (this.byText.size > this.maxTexts) this.byText.delete(this.byText.keys().next().value!);
    return entries;
  }

  get(text: string, start: number, end: number): T | undefined {
    return this.byText.get(text)?.get(FixDataCache.key(start, end));
  }

  static key(start: number, end: number): string {
    return `${start}:${end}`;
  }
}
