/**
 * Protobuf wire-level access to ONNX bytes: list a message's fields with their byte ranges, and write new
 * length-delimited fields. Fields are spliced rather than decoded and re-encoded, so whatever this code does not know
 * (unknown fields, external-data records, training info) passes through byte for byte. Pure.
 */
import protobuf from 'protobufjs/light.js';

/** Wire type of length-delimited fields (strings, bytes, sub-messages). */
export const LENGTH_DELIMITED = 2;

/** One field of a serialised message. */
export interface WireField {
  field: number;
  wireType: number;
  /** Byte range of the whole field (tag included) in the message. */
  start: number;
  end: number;
  /** The payload of a length-delimited field (a view, not a copy); null for other wire types. */
  data: Uint8Array | null;
}

/**
 * The top-level fields of a serialised message, in order.
 * @example scanFields(modelBytes).find((f) => f.field === 7) // the GraphProto of a ModelProto
 */
export function scanFields(bytes: Uint8Array): WireField[] {
  const reader = protobuf.Reader.create(bytes);
  const fields: WireField[] = [];
  while (reader.pos < reader.len) {
    const start = reader.pos;
    const tag = reader.uint32();
    const wireType = tag & 7;
    let data: Uint8Array | null = null;
    if (wireType === LENGTH_DELIMITED) {
      const length = reader.uint32();
      const from = reader.pos;
      reader.skip(length);
      data = bytes.subarray(from, from + length);
    } else {
      reader.skipType(wireType);
    }
    fields.push({ field: tag >>> 3, wireType, start, end: reader.pos, data });
  }
  return fields;
}

/**
 * A length-delimited field (tag, length, payload), ready to append to a message: repeated fields may appear anywhere
 * in a message, so appending adds elements without touching the rest.
 * @example lengthDelimited(1, encodedNode) // one more NodeProto for a GraphProto
 */
export function lengthDelimited(field: number, payload: Uint8Array): Uint8Array {
  return protobuf.Writer.create().uint32((field << 3) | LENGTH_DELIMITED).bytes(payload).finish();
}

/** The UTF-8 text of a string field's payload. */
export function wireString(data: Uint8Array | null): string {
  return data ? new TextDecoder().decode(data) : '';
}

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
