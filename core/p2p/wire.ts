/** Byte-level reader/writer for the wire codec. Varints are unsigned LEB128 limited to 2^53. */

export class ProtocolError extends Error {}

const utf8Encoder = new TextEncoder();
// fatal: invalid UTF-8 from a peer is a protocol error, not a silently mangled segment id.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export const utf8 = (s: string): Uint8Array<ArrayBuffer> => utf8Encoder.encode(s);

export class Writer {
  private buf: Uint8Array<ArrayBuffer> = new Uint8Array(64);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(v: number): this {
    this.reserve(1);
    this.buf[this.length++] = v & 0xff;
    return this;
  }

  varint(v: number): this {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`bad varint ${v}`);
    while (v >= 0x80) {
      this.u8((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    return this.u8(v);
  }

  bytes(b: Uint8Array): this {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
    return this;
  }

  /** Length-prefixed (u8) UTF-8 string; segment ids and prefixes are ≤255 bytes by contract. */
  str(s: string): this {
    const b = utf8(s);
    if (b.length > 255) throw new RangeError('string longer than 255 bytes');
    return this.u8(b.length).bytes(b);
  }

  finish(): Uint8Array<ArrayBuffer> {
    return this.buf.subarray(0, this.length);
  }
}

export class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  u8(): number {
    const v = this.buf[this.pos++];
    if (v === undefined) throw new ProtocolError('truncated message');
    return v;
  }

  varint(): number {
    let v = 0;
    for (let shift = 1, i = 0; ; i++, shift *= 0x80) {
      const b = this.u8();
      v += (b & 0x7f) * shift;
      if (b < 0x80) break;
      if (i >= 7) throw new ProtocolError('varint too long');
    }
    if (!Number.isSafeInteger(v)) throw new ProtocolError('varint out of range');
    return v;
  }

  bytes(n: number): Uint8Array {
    if (n > this.remaining) throw new ProtocolError('truncated message');
    return this.buf.subarray(this.pos, (this.pos += n));
  }

  str(): string {
    const b = this.bytes(this.u8());
    try {
      return utf8Decoder.decode(b);
    } catch {
      throw new ProtocolError('invalid UTF-8');
    }
  }

  rest(): Uint8Array {
    return this.bytes(this.remaining);
  }

  end(): void {
    if (this.remaining !== 0) throw new ProtocolError('trailing bytes');
  }
}
