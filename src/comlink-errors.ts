/**
 * Typed errors across the worker boundary. comlink's default "throw" handler keeps only name/message/stack, so a
 * ModelLoadError would arrive as a plain Error; this handler carries `code` (and file/index) and rebuilds the class.
 * Installed by both sides: the worker entry and the worker client.
 */
import { transferHandlers, type TransferHandler } from 'comlink';
import { deserializeError, serializeError, type SerializedError } from './errors.js';

type Thrown = { value: unknown };
type Wire = { isError: true; value: SerializedError } | { isError: false; value: unknown };

let installed = false;

export function installErrorTransfer(): void {
  if (installed) return;
  installed = true;
  const original = transferHandlers.get('throw') as TransferHandler<Thrown, Wire>;
  const handler: TransferHandler<Thrown, Wire> = {
    canHandle: (v): v is Thrown => original.canHandle(v),
    serialize({ value }) {
      return value instanceof Error
        ? [{ isError: true, value: serializeError(value) }, []]
        : [{ isError: false, value }, []];
    },
    deserialize(wire) {
      throw wire.isError ? deserializeError(wire.value) : wire.value;
    },
  };
  transferHandlers.set('throw', handler as TransferHandler<unknown, unknown>);
}
