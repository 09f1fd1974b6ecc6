// The one gotcha that needs JavaScript to show its most common form: in a .ts file TypeScript
// reports `=== NaN` itself (TS2845, so Pattern Lens stays silent there); in plain JavaScript nothing
// checks it unless Pattern Lens does.

// nan-comparison: NaN is not equal to anything, itself included, so a failed parse is never
// caught and NaN flows on into every total it is added to.
export function parseAmount(text) {
  const amount = Number.parseFloat(text);
  if (amount === NaN) throw new TypeError(`not a number: ${text}`);
  return amount;
}
