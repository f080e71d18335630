/**
 * Swarm identity across players: real dash.js, real Shaka and real Video.js (VHS) play the same MPD from the real
 * origin, each with its integration and a recording engine; the swarm keys and segment ids (and segment URLs)
 * they describe must be the same, so their viewers meet in one swarm. SegmentTemplate with $Number$,
 * SegmentTimeline, and SegmentBase (ids with byte ranges). All players are held on the 240p Representation so
 * they describe the same renditions.
 */
import { expect } from 'chai';
import type { SegmentDescriptor } from '../../../../core/index.js';
import { registerP2PPlugin } from '../../../../plugins/videojs/index.js';
import { testEnv } from '../../env.js';
import { newPlayer as newVideojs, vjs } from '../../plugins/videojs/helpers.js';
import { Cleanup, RecordingEngine, manifest, playDashjs, playShaka, waitFor } from './helpers.js';

/** dash.js on the lowest video Representation only (32.9 kbit/s), as Shaka is restricted to 240p below. */
const DASHJS_240P = { streaming: { abr: { maxBitrate: { video: 40 } } } };
const VIDEO_240P = 'r426x240';

/** The cmaf fixture's MPD with a SegmentTimeline instead of @duration (same $Number$ file names). */
function timelineMpd(): string {
  const base = `${testEnv.originUrl}/c/dashjs-timeline/cmaf/`;
  const template = (timescale: number, d: number): string =>
    `<SegmentTemplate timescale="${timescale}" startNumber="1" initialization="$RepresentationID$/init.mp4" ` +
    `media="$RepresentationID$/seg-$Number%05d$.m4s"><SegmentTimeline><S t="0" d="${d}" r="29"/>` +
    `</SegmentTimeline></SegmentTemplate>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" profiles="urn:mpeg:dash:profile:isoff-live:2011" type="static"
  mediaPresentationDuration="PT60S" minBufferTime="PT2S">
  <BaseURL>${base}</BaseURL>
  <Period id="0" start="PT0S">
    <AdaptationSet id="0" contentType="video" mimeType="video/mp4" segmentAlignment="true" startWithSAP="1">
      ${template(12800, 25600)}
      <Representation id="v240" codecs="avc1.4d401e" bandwidth="32928" width="426" height="240"/>
      <Representation id="v360" codecs="avc1.4d401e" bandwidth="65988" width="640" height="360"/>
    </AdaptationSet>
    <AdaptationSet id="1" contentType="audio" mimeType="audio/mp4" lang="en" segmentAlignment="true">
      ${template(48000, 96000)}
      <Representation id="audio" codecs="mp4a.40.2" bandwidth="26634" audioSamplingRate="48000"/>
    </AdaptationSet>
  </Period>
</MPD>`;
}

function byId(engine: RecordingEngine, part: string): Map<string, SegmentDescriptor> {
  const entry = [...engine.segments.entries()].find(([k]) => k.includes(part));
  return entry?.[1] ?? new Map<string, SegmentDescriptor>();
}

const media = (m: Map<string, SegmentDescriptor>): string[] =>
  [...m.values()]
    .filter((s) => !s.isInit)
    .map((s) => s.id)
    .sort();

describe('dash.js integration: swarm identity shared with Shaka and Video.js', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  /** dash.js and Shaka play `url`; both have described the whole 240p and audio lists. */
  async function both(url: string, mimeType?: string): Promise<[RecordingEngine, RecordingEngine]> {
    const fromDashjs = new RecordingEngine();
    cleanup.add(() => fromDashjs.destroy());
    const { video } = playDashjs(cleanup, url, { engine: fromDashjs, swarmId: 'test' }, DASHJS_240P);
    const fromShaka = new RecordingEngine();
    cleanup.add(() => fromShaka.destroy());
    await playShaka(cleanup, url, fromShaka, mimeType, { restrictions: { maxHeight: 240 } });
    const complete = (e: RecordingEngine): boolean =>
      media(byId(e, VIDEO_240P)).length === 30 && media(byId(e, '|a;')).length === 30;
    await waitFor(() => video.currentTime > 2 && complete(fromDashjs) && complete(fromShaka), 30000, 'both lists');
    return [fromDashjs, fromShaka];
  }

  function expectSameSwarms(a: RecordingEngine, b: RecordingEngine, ranged: boolean): void {
    const shared = [...a.segments.keys()].filter((k) => b.segments.has(k));
    const keys = `dash.js ${[...a.segments.keys()].join(' ')} / Shaka ${[...b.segments.keys()].join(' ')}`;
    expect(
      shared.some((k) => k.includes(VIDEO_240P)),
      keys,
    ).to.equal(true);
    expect(
      shared.some((k) => k.includes('|a;')),
      keys,
    ).to.equal(true);
    for (const key of shared) {
      const ours = byId(a, key);
      const theirs = byId(b, key);
      expect(media(ours), key).to.deep.equal(media(theirs));
      for (const [id, s] of ours) {
        const t = theirs.get(id);
        if (!t) continue; // init segments: each player describes the ones it requested
        expect([s.url.replace(/[?#].*$/, ''), s.byteRange], id).to.deep.equal([
          t.url.replace(/[?#].*$/, ''),
          t.byteRange,
        ]);
      }
      const inits = (m: Map<string, SegmentDescriptor>): string[] =>
        [...m.values()].filter((s) => s.isInit).map((s) => s.id);
      expect(
        inits(ours).filter((id) => inits(theirs).includes(id)),
        `${key} init`,
      ).to.not.be.empty;
      for (const id of media(ours)) expect(id).to.match(ranged ? /^t\d+@\d+-\d+$/ : /^t\d+$/);
    }
  }

  it('SegmentTemplate ($Number$): same swarm keys, segment ids and URLs as Shaka', async function () {
    this.timeout(60000);
    const [fromDashjs, fromShaka] = await both(manifest('cmaf/manifest.mpd'));
    expectSameSwarms(fromDashjs, fromShaka, false);
  });

  it('SegmentTimeline: same swarm keys, segment ids and URLs as Shaka', async function () {
    this.timeout(60000);
    const url = URL.createObjectURL(new Blob([timelineMpd()], { type: 'application/dash+xml' }));
    cleanup.add(() => URL.revokeObjectURL(url));
    const [fromDashjs, fromShaka] = await both(url, 'application/dash+xml');
    expectSameSwarms(fromDashjs, fromShaka, false);
  });

  it('SegmentBase: same swarm keys and byte-range segment ids as Shaka', async function () {
    this.timeout(60000);
    const [fromDashjs, fromShaka] = await both(manifest('single/manifest.mpd'));
    expectSameSwarms(fromDashjs, fromShaka, true);
  });

  it('SegmentTemplate: the video swarms and segment ids of Video.js (VHS) viewers of the MPD', async function () {
    this.timeout(60000);
    registerP2PPlugin(vjs);
    const fromVideojs = new RecordingEngine();
    cleanup.add(() => fromVideojs.destroy());
    const player = newVideojs();
    cleanup.add(() => player.dispose());
    player.p2p({ engine: fromVideojs, swarmId: 'test' });
    player.src({ src: manifest('cmaf/manifest.mpd'), type: 'application/dash+xml' });
    const fromDashjs = new RecordingEngine();
    cleanup.add(() => fromDashjs.destroy());
    playDashjs(cleanup, manifest('cmaf/manifest.mpd'), { engine: fromDashjs, swarmId: 'test' }, DASHJS_240P);
    await waitFor(
      () => media(byId(fromDashjs, VIDEO_240P)).length === 30 && media(byId(fromVideojs, VIDEO_240P)).length === 30,
      30000,
      'both 240p lists',
    );
    const key = [...fromDashjs.segments.keys()].find((k) => k.includes(VIDEO_240P)) ?? '';
    expect(fromVideojs.segments.has(key), [...fromVideojs.segments.keys()].join(' ')).to.equal(true);
    expect(media(byId(fromDashjs, key))).to.deep.equal(media(byId(fromVideojs, key)));
  });
});
