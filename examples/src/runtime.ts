// Running work beside the event loop.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

export function hashInWorker(data: Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: data });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

if (!isMainThread && parentPort) {
  const bytes = workerData as Uint8Array;
  parentPort.postMessage(bytes.reduce((hash, byte) => (hash * 31 + byte) | 0, 0));
}

/** A deep copy: changing the copy's nested objects leaves the original alone. */
export function snapshot<T>(state: T): T {
  return structuredClone(state);
}

export function tokens(text: string): string[] {
  const found: string[] = [];
  const word = /\w+/g;
  let match: RegExpExecArray | null;
  while ((match = word.exec(text)) !== null) found.push(match[0]);
  return found;
}
