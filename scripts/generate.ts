import * as fs from 'node:fs';
import * as path from 'node:path';
import { generatedFiles, ROOT } from './generated';

for (const [relative, content] of generatedFiles()) {
  const file = path.join(ROOT, relative);
  if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) continue;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  console.log(`wrote ${relative}`);
}
