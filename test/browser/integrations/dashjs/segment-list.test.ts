/**
 * The look-ahead on its own: URL templates ($Number$ and $Time$ with widths), SegmentTemplate @duration and
 * SegmentTimeline lists (VOD and live windows, S@r = −1), SegmentBase byte ranges, learning the URL base from a
 * request, and identities of requests. Representations are shaped as dash.js builds them.
 */
import { expect } from 'chai';
import { initSegmentId, renditionKey, vodSegmentId } from '../../../../core/index.js';
import { describeRequest, parseRange, representationRendition } from '../../../../integrations/dashjs/identity.js';
import { MAX_LISTED, fillTemplate, learnBase, listSegments } from '../../../../integrations/dashjs/segment-list.js';
import type { DashRepresentation, ParsedTimelineEntry } from '../../../../integrations/dashjs/types.js';

const VOD = { startSec: 0, endSec: Infinity, live: false };

function rep(
  o: Partial<DashRepresentation> & { S?: ParsedTimelineEntry[]; periodStart?: number; periodDuration?: number },
): DashRepresentation {
  const { S, periodStart = 0, periodDuration = 60, ...fields } = o;
  const parsed = {
    Period: [{ AdaptationSet: [{ Representation: [{ SegmentTemplate: { SegmentTimeline: { S } } }] }] }],
  };
  return {
    id: 'v1',
    index: 0,
    bandwidth: 500000,
    width: 640,
    height: 360,
    codecs: 'avc1.4d401e',
    segmentInfoType: S ? 'SegmentTimeline' : 'SegmentTemplate',
    segmentDuration: 2,
    startNumber: 1,
    timescale: 1000,
    presentationTimeOffset: 0,
    media: 'v1/seg-$Number%05d$.m4s',
    adaptation: {
      index: 0,
      period: { index: 0, start: periodStart, duration: periodDuration, mpd: { manifest: parsed } },
    },
    mediaInfo: { lang: 'en', type: 'video' },
    ...fields,
  };
}

describe('dash.js integration: look-ahead lists and identities', () => {
  it('fills URL templates as DASH defines them', () => {
    const v = { id: 'v 1', number: 7, bandwidth: 800000, time: 123456 };
    expect(fillTemplate('$RepresentationID$/$Number%05d$-$Bandwidth$-$Time$.m4s', v)).to.equal(
      'v 1/00007-800000-123456.m4s',
    );
    expect(fillTemplate('a$$b/$Time%012d$/$Number%03x$', v)).to.equal('a$b/000000123456/007');
    expect(fillTemplate('$Unknown$/$Number$', v)).to.equal('$Unknown$/7');
  });

  it('SegmentTemplate @duration, VOD: every segment of the period from Period@start, numbers from @startNumber', () => {
    const list = listSegments(rep({ periodStart: 10, startNumber: 5 }), { kind: 'template', base: 'http://o/d/' }, VOD);
    expect(list.length).to.equal(30);
    expect(list[0]).to.deep.equal({
      id: vodSegmentId(10),
      url: 'http://o/d/v1/seg-00005.m4s',
      startSec: 10,
      durationSec: 2,
    });
    expect(list.at(-1)?.url).to.equal('http://o/d/v1/seg-00034.m4s');
    expect(list.at(-1)?.startSec).to.equal(68);
    // @endNumber ends the list early.
    expect(listSegments(rep({ endNumber: 10 }), { kind: 'template', base: '' }, VOD).length).to.equal(10);
  });

  it('SegmentTemplate @duration, live: only segments complete at the DVR window end', () => {
    const live = rep({ periodDuration: NaN });
    const list = listSegments(
      live,
      { kind: 'template', base: 'http://o/' },
      { startSec: 100, endSec: 121, live: true },
    );
    expect(list.map((s) => s.startSec)).to.deep.equal([100, 102, 104, 106, 108, 110, 112, 114, 116, 118]);
    expect(list[0]?.url).to.equal('http://o/v1/seg-00051.m4s');
    // A long window is listed in parts of MAX_LISTED from its start.
    const long = listSegments(live, { kind: 'template', base: '' }, { startSec: 0, endSec: 1e6, live: true });
    expect(long.length).to.equal(MAX_LISTED);
  });

  it('SegmentTimeline with $Time$: S@t/@d/@r, presentationTimeOffset, and S@r = −1 up to the period end', () => {
    const timeline = rep({
      media: 'v1/$Time$.m4s',
      presentationTimeOffset: 1,
      timescale: 1000,
      periodDuration: 10,
      S: [{ t: 1000, d: 2000, r: 1 }, { d: 1000 }, { t: 6000, d: 2000, r: -1 }],
    });
    const list = listSegments(timeline, { kind: 'template', base: 'http://o/' }, VOD);
    expect(list.map((s) => [s.startSec, s.durationSec, s.url])).to.deep.equal([
      [0, 2, 'http://o/v1/1000.m4s'],
      [2, 2, 'http://o/v1/3000.m4s'],
      [4, 1, 'http://o/v1/5000.m4s'],
      [5, 2, 'http://o/v1/6000.m4s'],
      [7, 2, 'http://o/v1/8000.m4s'],
      [9, 2, 'http://o/v1/10000.m4s'],
    ]);
    // Live: the window's end bounds the open repeat; segments not yet complete are left out.
    const live = listSegments(timeline, { kind: 'template', base: '' }, { startSec: 2, endSec: 8.5, live: true });
    expect(live.map((s) => s.startSec)).to.deep.equal([2, 4, 5]);
  });

  it('SegmentBase: the sidx segments dash.js built, addressed by byte range in one file', () => {
    const base = rep({
      segmentInfoType: 'SegmentBase',
      segments: [
        { presentationStartTime: 0, duration: 2, mediaRange: '1229-5000' },
        { presentationStartTime: 2, duration: 2, mediaRange: '5001-9000' },
      ],
    });
    const list = listSegments(base, { kind: 'file', url: 'http://o/v1.mp4' }, VOD);
    expect(list.map((s) => [s.id, s.byteRange])).to.deep.equal([
      ['t0@1229-5001', { start: 1229, end: 5001 }],
      ['t20@5001-9001', { start: 5001, end: 9001 }],
    ]);
    expect(listSegments(base, { kind: 'template', base: '' }, VOD)).to.deep.equal([]);
  });

  it('learns the URL base from a request (query and absolute templates included)', () => {
    expect(learnBase('http://o/c/x/cmaf/v240/init.mp4?token=1', 'v240/init.mp4')).to.equal('http://o/c/x/cmaf/');
    expect(learnBase('http://o/a/b.mp4', 'http://cdn/b.mp4')).to.equal('');
    expect(learnBase('http://o/a/other.mp4', 'v240/init.mp4')).to.equal(undefined);
    expect(learnBase('http://o/a/other.mp4', undefined)).to.equal(undefined);
  });

  it('identities: requests, ranges and renditions as Shaka keys DASH', () => {
    expect(parseRange('0-828')).to.deep.equal({ start: 0, end: 829 });
    expect(parseRange(undefined)).to.equal(undefined);
    expect(parseRange('500-')).to.equal(null);
    const r = rep({});
    const media = describeRequest({
      type: 'MediaSegment',
      url: 'http://o/v.mp4',
      range: '10-19',
      startTime: 4,
      duration: 2,
      representation: r,
    });
    expect(media).to.deep.equal({
      id: 't40@10-20',
      url: 'http://o/v.mp4',
      startSec: 4,
      durationSec: 2,
      byteRange: { start: 10, end: 20 },
    });
    const init = describeRequest({ type: 'InitializationSegment', url: 'http://o/v/init.mp4?x=1', representation: r });
    expect(init?.id).to.equal(initSegmentId('http://o/v/init.mp4'));
    expect(describeRequest({ type: 'IndexSegment', url: 'http://o/v.mp4', range: '0-9' })).to.equal(undefined);
    expect(describeRequest({ type: 'MediaSegment', url: 'http://o/v.mp4', range: '5-', startTime: 0 })).to.equal(
      undefined,
    );
    const video = representationRendition(r, 'video');
    expect(video && renditionKey(video.type, video.rendition)).to.equal('v;b500000;r640x360;cavc1.4d401e');
    const audio = representationRendition(
      { ...r, width: NaN, height: NaN, codecs: 'mp4a.40.2', bandwidth: 96000 },
      'audio',
    );
    expect(audio && renditionKey(audio.type, audio.rendition)).to.equal('a;b96000;cmp4a.40.2;len');
    expect(representationRendition(r, 'text')).to.equal(undefined);
  });
});
