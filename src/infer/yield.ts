/**
 * Yielding to the event loop between micro-batches, so cancel messages and progress get through. `setTimeout(0)` is
 * clamped to ≥ 1–4 ms, which at batch 1 costs more than inference: Node has setImmediate; browsers and workers get a
 * MessageChannel round trip (microseconds).
 */
const queue: (() => void)[] = [];
let channel: MessageChannel | null = null;

export function yieldNow(): Promise<void> {
  // Node: setImmediate also keeps the process alive while a run is pending (an unref'd port would not).
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => queue.shift()?.();
  }
  return new Promise((resolve) => {
    queue.push(resolve);
    channel!.port2.postMessage(null);
  });
}
