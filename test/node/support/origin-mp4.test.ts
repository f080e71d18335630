import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { box, readTfdts, readTimescales, shiftTfdt } from '../../support/origin/mp4.js';
import { SYNTH_TRACKS, syntheticInit, syntheticSegment } from '../../support/origin/synthetic.js';

const PAYLOAD = [Buffer.from('AAAA'), Buffer.from('BBBB')] as const;

/** Follows each traf's trun data_offset (relative to its moof) and returns the 4 bytes it points at. */
function samples(seg: Buffer): string[] {
  const out: string[] = [];
  const moofStart = seg.indexOf('moof') - 4;
  const moofEnd = moofStart + seg.readUInt32BE(moofStart);
  for (let at = seg.indexOf('trun', moofStart); at > 0 && at < moofEnd; at = seg.indexOf('trun', at + 4)) {
    const dataOffset = seg.readInt32BE(at + 4 + 8);
    out.push(seg.toString('latin1', moofStart + dataOffset, moofStart + dataOffset + 4));
  }
  return out;
}

void describe('mp4 tfdt patching', () => {
  void it('reads mdhd timescales per track from an init segment', () => {
    assert.deepEqual(
      [...readTimescales(syntheticInit())],
      SYNTH_TRACKS.map((t) => [t.id, t.timescale]),
    );
  });

  void it('shifts v0 and v1 tfdt in place when 32 bits suffice', () => {
    const seg = syntheticSegment([1000n, 2000n], PAYLOAD);
    const out = shiftTfdt(seg, (id) => (id === 1 ? 90_000n : 48_000n));
    assert.equal(out.length, seg.length);
    assert.deepEqual(readTfdts(out), [
      { trackId: 1, version: 0, time: 91_000n },
      { trackId: 2, version: 1, time: 50_000n },
    ]);
    assert.deepEqual(samples(out), ['AAAA', 'BBBB']);
  });

  void it('upgrades a v0 tfdt to v1 on 32-bit overflow and keeps sample offsets valid', () => {
    const seg = syntheticSegment([0xfffffff0n, 5n], PAYLOAD);
    const out = shiftTfdt(seg, () => 0x100n);
    assert.equal(out.length, seg.length + 4);
    assert.deepEqual(readTfdts(out), [
      { trackId: 1, version: 1, time: 0xfffffff0n + 0x100n },
      { trackId: 2, version: 1, time: 5n + 0x100n },
    ]);
    assert.deepEqual(samples(out), ['AAAA', 'BBBB']);
    // Box sizes still add up to the buffer.
    let off = 0;
    while (off < out.length) off += out.readUInt32BE(off);
    assert.equal(off, out.length);
  });

  void it('leaves segments without moof untouched', () => {
    const other = box('free', Buffer.from('xyz'));
    assert.deepEqual(
      shiftTfdt(other, () => 10n),
      other,
    );
  });
});
