/**
 * Yielding to the event loop between micro-batches, so cancel messages and progress get through. A MessageChannel
 * round trip takes microseconds; `setTimeout(0)` is clamped to ≥ 1–4 ms, which at batch 1 costs more than inference.
 */
const queue: (() => void)[] = [];
let channel: MessageChannel | null = null;

export function yieldNow(): Promise<void> {
  if (typeof MessageChannel === 'undefined') return new Promise((resolve) => setTimeout(resolve, 0));
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => queue.shift()?.();
    // In Node an open port keeps the process alive; unref it (browsers have no unref).
    (channel.port1 as MessagePort & { unref?: () => void }).unref?.();
  }
  return new Promise((resolve) => {
    queue.push(resolve);
    channel!.port2.postMessage(null);
  });
}
