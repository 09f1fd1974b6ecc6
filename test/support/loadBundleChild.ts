// Loads one bundle with loadBundle in a process of its own (V8 reuses a compilation within one process,
// whatever the cache says) and prints what became of the cache and what the bundle exported.
import { loadBundle } from '../../server/src/startup/loadBundle';

const [file, options] = process.argv.slice(2) as [string, string];
try {
  const { cache, exports } = loadBundle(file, module, JSON.parse(options));
  process.stdout.write(JSON.stringify({ cache, exports }));
} catch (error) {
  process.stdout.write(JSON.stringify({ threw: String(error) }));
}
