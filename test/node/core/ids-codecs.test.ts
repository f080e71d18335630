/** Codec spellings that players convert between must give the same rendition key (same swarm). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalCodec, renditionKey } from '../../../core/ids.js';

void describe('ids: codec canonicalisation', () => {
  void it('legacy decimal avc1.<profile>.<level> equals the RFC 6381 hex form', () => {
    assert.equal(canonicalCodec('avc1.66.30'), 'avc1.42001e');
    assert.equal(canonicalCodec('AVC1.100.40'), 'avc1.640028');
    assert.equal(canonicalCodec('avc3.77.31'), 'avc3.4d001f');
    // Already canonical or not a legacy form: only lower-cased and trimmed.
    assert.equal(canonicalCodec(' avc1.42E01E '), 'avc1.42e01e');
    assert.equal(canonicalCodec('hvc1.1.6.L93.B0'), 'hvc1.1.6.l93.b0');
    assert.equal(canonicalCodec('vp09.00.10.08'), 'vp09.00.10.08');
  });

  void it('mp4a audio object type without leading zeros', () => {
    assert.equal(canonicalCodec('mp4a.40.02'), 'mp4a.40.2');
    assert.equal(canonicalCodec('mp4a.40.5'), 'mp4a.40.5');
    assert.equal(canonicalCodec('mp4a.40.0'), 'mp4a.40.0');
    assert.equal(canonicalCodec('mp4a.6b'), 'mp4a.6b');
  });

  void it('rendition keys agree across spellings', () => {
    const attrs = { bandwidth: 800_000, width: 640, height: 360 };
    const legacy = renditionKey('main', { ...attrs, codecs: 'avc1.66.30,mp4a.40.02' });
    const hex = renditionKey('main', { ...attrs, codecs: 'mp4a.40.2, AVC1.42001E' });
    assert.equal(legacy, hex);
    assert.equal(legacy, 'v;b800000;r640x360;cavc1.42001e,mp4a.40.2');
    assert.notEqual(renditionKey('main', { ...attrs, codecs: 'avc1.42e01e' }), hex, 'constraint flags still count');
  });
});
