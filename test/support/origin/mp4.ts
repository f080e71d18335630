/**
 * Just enough ISO-BMFF to loop fMP4 segments in a live DASH stream: track timescales from an init segment and
 * a `tfdt` rewrite for media segments.
 */

interface Box {
  type: string;
  start: number;
  /** Header size (8, or 16 for 64-bit sizes). */
  header: number;
  end: number;
}

function* boxes(buf: Buffer, start: number, end: number): Generator<Box> {
  let off = start;
  while (off + 8 <= end) {
    let size = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    let header = 8;
    if (size === 1) {
      if (off + 16 > end) return;
      size = Number(buf.readBigUInt64BE(off + 8));
      header = 16;
    } else if (size === 0) {
      size = end - off;
    }
    if (size < header || off + size > end) return;
    yield { type, start: off, header, end: off + size };
    off += size;
  }
}

function child(buf: Buffer, parent: Box, type: string): Box | undefined {
  for (const b of boxes(buf, parent.start + parent.header, parent.end)) if (b.type === type) return b;
  return undefined;
}

function children(buf: Buffer, parent: Box, type: string): Box[] {
  return [...boxes(buf, parent.start + parent.header, parent.end)].filter((b) => b.type === type);
}

/** track_ID → timescale (from `mdhd`), read from an init segment's `moov`. */
export function readTimescales(init: Buffer): Map<number, number> {
  const out = new Map<number, number>();
  for (const moov of boxes(init, 0, init.length)) {
    if (moov.type !== 'moov') continue;
    for (const trak of children(init, moov, 'trak')) {
      const tkhd = child(init, trak, 'tkhd');
      const mdia = child(init, trak, 'mdia');
      const mdhd = mdia && child(init, mdia, 'mdhd');
      if (!tkhd || !mdhd) continue;
      const tk = tkhd.start + tkhd.header;
      const trackId = init.readUInt32BE(tk + (init[tk] === 1 ? 20 : 12));
      const md = mdhd.start + mdhd.header;
      out.set(trackId, init.readUInt32BE(md + (init[md] === 1 ? 20 : 12)));
    }
  }
  return out;
}

/** Reads every `tfdt` baseMediaDecodeTime, per track; for tests and diagnostics. */
export function readTfdts(seg: Buffer): { trackId: number; version: number; time: bigint }[] {
  const out: { trackId: number; version: number; time: bigint }[] = [];
  for (const moof of boxes(seg, 0, seg.length)) {
    if (moof.type !== 'moof') continue;
    for (const traf of children(seg, moof, 'traf')) {
      const tfhd = child(seg, traf, 'tfhd');
      const tfdt = child(seg, traf, 'tfdt');
      if (!tfhd || !tfdt) continue;
      const p = tfdt.start + tfdt.header;
      const version = seg[p] ?? 0;
      const time = version === 1 ? seg.readBigUInt64BE(p + 4) : BigInt(seg.readUInt32BE(p + 4));
      out.push({ trackId: seg.readUInt32BE(tfhd.start + tfhd.header + 4), version, time });
    }
  }
  return out;
}

const U32_MAX = 0xffffffffn;

/**
 * Returns a copy of `seg` with each track's `tfdt` shifted by `offsetFor(trackId)` ticks. A version-0 tfdt whose
 * new value needs more than 32 bits is upgraded to version 1; the enclosing traf/moof sizes and the sample data
 * offsets (trun data_offset, or an explicit tfhd base_data_offset) are fixed so samples still point into mdat.
 * A top-level `sidx` gets its earliest_presentation_time shifted by `sidxOffset(sidx timescale)` when that fits
 * its version (its byte ranges are not touched; MSE and SegmentTemplate players ignore it anyway).
 */
export function shiftTfdt(
  seg: Buffer,
  offsetFor: (trackId: number) => bigint,
  sidxOffset?: (timescale: number) => bigint,
): Buffer {
  const parts: Buffer[] = [];
  let growthSoFar = 0;
  let cursor = 0;
  for (const top of boxes(seg, 0, seg.length)) {
    if (top.type === 'sidx' && sidxOffset) {
      parts.push(seg.subarray(cursor, top.start), shiftSidx(seg.subarray(top.start, top.end), top.header, sidxOffset));
      cursor = top.end;
      continue;
    }
    if (top.type !== 'moof') continue;
    parts.push(seg.subarray(cursor, top.start));
    const moof = rewriteMoof(seg, top, offsetFor, growthSoFar);
    growthSoFar += moof.length - (top.end - top.start);
    parts.push(moof);
    cursor = top.end;
  }
  parts.push(seg.subarray(cursor));
  return Buffer.concat(parts);
}

function shiftSidx(sidx: Buffer, header: number, offset: (timescale: number) => bigint): Buffer {
  const out = Buffer.from(sidx);
  const p = header;
  const delta = offset(out.readUInt32BE(p + 8));
  if (out[p] === 1) out.writeBigUInt64BE(out.readBigUInt64BE(p + 12) + delta, p + 12);
  else if (BigInt(out.readUInt32BE(p + 12)) + delta <= U32_MAX)
    out.writeUInt32BE(Number(BigInt(out.readUInt32BE(p + 12)) + delta), p + 12);
  return out;
}

function rewriteMoof(seg: Buffer, moof: Box, offsetFor: (trackId: number) => bigint, priorGrowth: number): Buffer {
  const trafs = children(seg, moof, 'traf');
  const upgrades = trafs.filter((traf) => needsUpgrade(seg, traf, offsetFor)).length;
  const moofGrowth = upgrades * 4;
  const out: Buffer[] = [];
  let cursor = moof.start;
  for (const traf of trafs) {
    out.push(seg.subarray(cursor, traf.start));
    out.push(rewriteTraf(seg, traf, offsetFor, moofGrowth, priorGrowth));
    cursor = traf.end;
  }
  out.push(seg.subarray(cursor, moof.end));
  const result = Buffer.concat(out);
  writeSize(result, 0, moof.header, result.length);
  return result;
}

function trackIdOf(seg: Buffer, traf: Box): number | undefined {
  const tfhd = child(seg, traf, 'tfhd');
  return tfhd ? seg.readUInt32BE(tfhd.start + tfhd.header + 4) : undefined;
}

function needsUpgrade(seg: Buffer, traf: Box, offsetFor: (trackId: number) => bigint): boolean {
  const tfdt = child(seg, traf, 'tfdt');
  const id = trackIdOf(seg, traf);
  if (!tfdt || id === undefined) return false;
  const p = tfdt.start + tfdt.header;
  return seg[p] !== 1 && BigInt(seg.readUInt32BE(p + 4)) + offsetFor(id) > U32_MAX;
}

function rewriteTraf(
  seg: Buffer,
  traf: Box,
  offsetFor: (trackId: number) => bigint,
  moofGrowth: number,
  priorGrowth: number,
): Buffer {
  const id = trackIdOf(seg, traf);
  const out: Buffer[] = [seg.subarray(traf.start, traf.start + traf.header)];
  for (const b of boxes(seg, traf.start + traf.header, traf.end)) {
    const box = Buffer.from(seg.subarray(b.start, b.end));
    const p = b.header;
    if (b.type === 'tfdt' && id !== undefined) {
      const v1 = box[p] === 1;
      const old = v1 ? box.readBigUInt64BE(p + 4) : BigInt(box.readUInt32BE(p + 4));
      const next = old + offsetFor(id);
      if (v1) box.writeBigUInt64BE(next, p + 4);
      else if (next <= U32_MAX) box.writeUInt32BE(Number(next), p + 4);
      else {
        const up = Buffer.alloc(b.header + 12);
        box.copy(up, 0, 0, b.header);
        writeSize(up, 0, b.header, up.length);
        up.writeUInt32BE(box.readUInt32BE(p) & 0x00ffffff, p);
        up[p] = 1;
        up.writeBigUInt64BE(next, p + 4);
        out.push(up);
        continue;
      }
    } else if (b.type === 'tfhd' && moofGrowth + priorGrowth > 0 && box.readUInt32BE(p) & 0x000001) {
      // Explicit base_data_offset is absolute in the file: everything before mdat moved.
      box.writeBigUInt64BE(box.readBigUInt64BE(p + 8) + BigInt(moofGrowth + priorGrowth), p + 8);
    } else if (b.type === 'trun' && moofGrowth > 0 && box.readUInt32BE(p) & 0x000001 && !hasBaseOffset(seg, traf)) {
      // data_offset is relative to the moof start, and the moof grew in front of mdat.
      box.writeInt32BE(box.readInt32BE(p + 8) + moofGrowth, p + 8);
    }
    out.push(box);
  }
  const result = Buffer.concat(out);
  writeSize(result, 0, traf.header, result.length);
  return result;
}

function hasBaseOffset(seg: Buffer, traf: Box): boolean {
  const tfhd = child(seg, traf, 'tfhd');
  return tfhd !== undefined && (seg.readUInt32BE(tfhd.start + tfhd.header) & 0x000001) !== 0;
}

function writeSize(buf: Buffer, at: number, header: number, size: number): void {
  if (header === 16) buf.writeBigUInt64BE(BigInt(size), at + 8);
  else buf.writeUInt32BE(size, at);
}

/** Builds a box; exported for tests that need synthetic fMP4. */
export function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length + 8, 0);
  head.write(type, 4, 'latin1');
  return Buffer.concat([head, body]);
}
