import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  contentIdFromUrl,
  hlsLiveSegmentId,
  initSegmentId,
  renditionKey,
  swarmKey,
  vodSegmentId,
} from '../../../core/ids.js';

void describe('ids', () => {
  void it('content id ignores query string, fragment and scheme', () => {
    const a = contentIdFromUrl('https://cdn.example.com/live/master.m3u8?token=abc#t=3');
    assert.equal(a, '//cdn.example.com/live/master.m3u8');
    assert.equal(contentIdFromUrl('http://cdn.example.com/live/master.m3u8?token=zzz'), a);
  });

  void it('rendition key comes from attributes, not list position; engines spelling codecs differently agree', () => {
    const hlsjs = renditionKey('main', {
      bandwidth: 1_280_000,
      width: 1280,
      height: 720,
      codecs: 'avc1.64001f,mp4a.40.2',
    });
    const shaka = renditionKey('main', {
      bandwidth: 1280000,
      height: 720,
      width: 1280,
      codecs: 'mp4a.40.2, AVC1.64001F',
    });
    assert.equal(hlsjs, shaka);
    assert.equal(hlsjs, 'v;b1280000;r1280x720;cavc1.64001f,mp4a.40.2');
    assert.notEqual(renditionKey('main', { bandwidth: 640_000 }), renditionKey('main', { bandwidth: 1_280_000 }));
    assert.equal(renditionKey('audio', { codecs: 'mp4a.40.2', language: 'en-US' }), 'a;cmp4a.40.2;len');
    assert.equal(renditionKey('audio', { name: 'Commentary' }), 'a;nCommentary');
  });

  void it('swarm key is versioned', () => {
    assert.equal(swarmKey('//h/m.m3u8', 'v;b1'), 'swarmcast:v1|//h/m.m3u8|v;b1');
  });

  void it('segment ids are stable across engines', () => {
    assert.equal(hlsLiveSegmentId(1234), 's1234');
    // Float sums differ slightly between engines; the id does not.
    assert.equal(vodSegmentId(0.1 + 0.2 + 5.7), vodSegmentId(6));
    assert.equal(vodSegmentId(6, { start: 0, end: 1000 }), 't60@0-1000');
    assert.notEqual(vodSegmentId(6), vodSegmentId(10));
    assert.equal(initSegmentId('https://a/init.mp4?x=1'), initSegmentId('https://a/init.mp4?x=2'));
    assert.notEqual(initSegmentId('https://a/init.mp4'), initSegmentId('https://a/init.mp4', { start: 0, end: 800 }));
    assert.ok(initSegmentId('https://a/' + 'x'.repeat(2000)).length < 20);
  });
});
