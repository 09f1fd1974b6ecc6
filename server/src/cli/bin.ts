import { isMainThread } from 'node:worker_threads';
import { main } from './main';

// The CLI's bundle is also the script of --jobs' worker threads, which must not run the CLI.
if (isMainThread) {
  void main(process.argv.slice(2), {
    cwd: process.cwd(),
    out: (s) => process.stdout.write(`${s}\n`),
    err: (s) => process.stderr.write(`${s}\n`),
    isTTY: process.stdout.isTTY === true,
  }).then((status) => (process.exitCode = status));
}
