// The parse floor: read every file named on the command line and parse it with the TypeScript compiler
// API exactly as the engine does (no parent pointers, JSDoc not parsed), and nothing else. Plain
// JavaScript on the project's own `typescript`, so no loader adds to its time. Prints the milliseconds
// spent in the loop itself (without starting Node and loading the compiler).
const fs = require('node:fs');
const ts = require('typescript');

const start = performance.now();
for (const file of process.argv.slice(2)) {
  ts.createSourceFile(
    file,
    fs.readFileSync(file, 'utf8'),
    { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone },
    /* setParentNodes */ false,
    file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
}
console.log(JSON.stringify({ loopMs: performance.now() - start }));
