import { readIdList, writeIdList, type IdBudget } from './id-list.js';
import { ProtocolError, Reader, Writer } from './wire.js';

/** Wire protocol (see PROTOCOL.md). Every data-channel message is exactly one frame: type u8, bodyLength u32 BE, body. */
export const HEADER_BYTES = 5;
/** Frozen forever: the first 6 body bytes of HANDSHAKE are this magic then the version, so any two versions can refuse each other cleanly. */
export const MAGIC = [0x53, 0x57, 0x43, 0x53]; // "SWCS"
/** Largest DATA overhead (header + three maximal varints), subtracted from the message limit to size chunks. */
export const DATA_OVERHEAD_BYTES = HEADER_BYTES + 3 * 8;
/** Ids per announcement message, all its lists together, when the receiver gives no tighter budget. */
export const MAX_IDS_PER_MESSAGE = 65_536;

export const T = {
  HANDSHAKE: 0,
  ANNOUNCE_FULL: 1,
  ANNOUNCE_DELTA: 2,
  REQUEST: 3,
  DATA: 4,
  ABSENT: 5,
  CANCEL: 6,
  BYE: 7,
  BUSY: 8,
} as const;

/** HANDSHAKE capability bits. */
export const CAPABILITY = {
  /** Understands BUSY: may be told to ask another holder instead of getting ABSENT. */
  BUSY: 1,
} as const;

export type Message =
  | {
      t: typeof T.HANDSHAKE;
      version: number;
      capabilities: number;
      maxMessageBytes: number;
      infoHash: Uint8Array;
    }
  | { t: typeof T.ANNOUNCE_FULL; have: string[]; loading: string[] }
  | { t: typeof T.ANNOUNCE_DELTA; have: string[]; loading: string[]; removed: string[] }
  | { t: typeof T.REQUEST; requestId: number; segmentId: string; fromByte: number }
  | { t: typeof T.DATA; requestId: number; totalBytes: number; offset: number; chunk: Uint8Array }
  | { t: typeof T.ABSENT | typeof T.CANCEL | typeof T.BUSY; requestId: number }
  | { t: typeof T.BYE; reason: string };

export function encode(m: Message): Uint8Array<ArrayBuffer> {
  const w = new Writer().u8(m.t).u8(0).u8(0).u8(0).u8(0);
  switch (m.t) {
    case T.HANDSHAKE:
      for (const b of MAGIC) w.u8(b);
      w.u8(m.version >> 8).u8(m.version);
      w.varint(m.capabilities).varint(m.maxMessageBytes).bytes(m.infoHash);
      break;
    case T.ANNOUNCE_FULL:
      writeIdList(w, m.have);
      writeIdList(w, m.loading);
      break;
    case T.ANNOUNCE_DELTA:
      writeIdList(w, m.have);
      writeIdList(w, m.loading);
      writeIdList(w, m.removed);
      break;
    case T.REQUEST:
      w.varint(m.requestId).varint(m.fromByte).str(m.segmentId);
      break;
    case T.DATA:
      w.varint(m.requestId).varint(m.totalBytes).varint(m.offset).bytes(m.chunk);
      break;
    case T.ABSENT:
    case T.CANCEL:
    case T.BUSY:
      w.varint(m.requestId);
      break;
    case T.BYE:
      w.str(m.reason.slice(0, 60));
      break;
  }
  const out = w.finish();
  new DataView(out.buffer, out.byteOffset).setUint32(1, out.length - HEADER_BYTES);
  return out;
}

/** Checks the header and returns the type and body without copying. Size is checked before anything is read. */
function unframe(frame: Uint8Array, maxMessageBytes: number): [type: number, body: Reader] {
  if (frame.length > maxMessageBytes) throw new ProtocolError(`message of ${frame.length} bytes exceeds limit`);
  if (frame.length < HEADER_BYTES) throw new ProtocolError('truncated header');
  const length = new DataView(frame.buffer, frame.byteOffset).getUint32(1);
  if (length !== frame.length - HEADER_BYTES) throw new ProtocolError('length field does not match message size');
  return [frame[0] ?? 0, new Reader(frame.subarray(HEADER_BYTES))];
}

/** Protocol version of a HANDSHAKE frame, read from the frozen prefix only; undefined if it is not one. */
export function handshakeVersion(frame: Uint8Array, maxMessageBytes: number): number | undefined {
  const [type, r] = unframe(frame, maxMessageBytes);
  if (type !== T.HANDSHAKE) return undefined;
  for (const b of MAGIC) if (r.u8() !== b) throw new ProtocolError('bad handshake magic');
  return (r.u8() << 8) | r.u8();
}

/**
 * Decodes one frame; throws ProtocolError on anything malformed, unknown or oversized. An announcement's lists
 * together may expand to `maxIds` ids at most (checked before expanding a run).
 */
export function decode(frame: Uint8Array, maxMessageBytes: number, maxIds = MAX_IDS_PER_MESSAGE): Message {
  const [t, r] = unframe(frame, maxMessageBytes);
  const ids: IdBudget = { left: maxIds };
  let m: Message;
  switch (t) {
    case T.HANDSHAKE: {
      for (const b of MAGIC) if (r.u8() !== b) throw new ProtocolError('bad handshake magic');
      const version = (r.u8() << 8) | r.u8();
      m = { t, version, capabilities: r.varint(), maxMessageBytes: r.varint(), infoHash: r.bytes(20) };
      break;
    }
    case T.ANNOUNCE_FULL:
      m = { t, have: readIdList(r, ids), loading: readIdList(r, ids) };
      break;
    case T.ANNOUNCE_DELTA:
      m = {
        t,
        have: readIdList(r, ids),
        loading: readIdList(r, ids),
        removed: readIdList(r, ids),
      };
      break;
    case T.REQUEST:
      m = { t, requestId: r.varint(), fromByte: r.varint(), segmentId: r.str() };
      break;
    case T.DATA:
      m = { t, requestId: r.varint(), totalBytes: r.varint(), offset: r.varint(), chunk: r.rest() };
      break;
    case T.ABSENT:
    case T.CANCEL:
    case T.BUSY:
      m = { t, requestId: r.varint() };
      break;
    case T.BYE:
      m = { t, reason: r.str() };
      break;
    default:
      throw new ProtocolError(`unknown message type ${t}`);
  }
  r.end();
  return m;
}

export type Announcement = Extract<Message, { t: typeof T.ANNOUNCE_FULL | typeof T.ANNOUNCE_DELTA }>;

/**
 * An announcement as frames of at most `limit` bytes: when too big, a FULL (or DELTA) with the first half of each
 * list then DELTAs with the rest, which the receiver applies to the same result. `frame` is `m` encoded.
 */
export function announcementFrames(m: Announcement, limit: number, frame = encode(m)): Uint8Array<ArrayBuffer>[] {
  const removed = m.t === T.ANNOUNCE_DELTA ? m.removed : [];
  if (frame.length <= limit || m.have.length + m.loading.length + removed.length < 2) return [frame];
  const cut = (list: string[]): [string[], string[]] => [list.slice(0, list.length >> 1), list.slice(list.length >> 1)];
  const [h1, h2] = cut(m.have);
  const [l1, l2] = cut(m.loading);
  const [r1, r2] = cut(removed);
  const first: Announcement =
    m.t === T.ANNOUNCE_FULL ? { t: m.t, have: h1, loading: l1 } : { t: m.t, have: h1, loading: l1, removed: r1 };
  return [
    ...announcementFrames(first, limit),
    ...announcementFrames({ t: T.ANNOUNCE_DELTA, have: h2, loading: l2, removed: r2 }, limit),
  ];
}
