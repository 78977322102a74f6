/**
 * Test worker: the real inference worker, plus a message that destroys its GPU devices (as a driver reset would).
 * The spy is imported first so it wraps requestDevice before the worker creates any device.
 */
import { devices } from './gpu-spy.js';
import '../../workers/inference.worker.js';

self.addEventListener('message', (e: MessageEvent<{ type?: string }>) => {
  if (e.data?.type === 'test:lose-gpu') for (const d of devices) d.destroy();
});
