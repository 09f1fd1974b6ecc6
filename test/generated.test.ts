import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { generatedFiles, ROOT } from '../scripts/generated';

for (const [relative, expected] of generatedFiles()) {
  test(`${relative} is up to date (run npm run generate)`, () => {
    const file = path.join(ROOT, relative);
    assert.ok(fs.existsSync(file), `${relative} is missing`);
    assert.equal(fs.readFileSync(file, 'utf8'), expected);
  });
}
