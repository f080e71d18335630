/**
 * JW Player provider shim, end to end against the contract double (JW Player itself is proprietary and not
 * installable): two viewers play the fixture through the provider with P2P (see test/e2e/support/two-viewers.ts),
 * then the provider contract is checked on viewer 2: registered, chosen for HLS ahead of JW's built-in providers,
 * JW events, quality levels, volume/mute, seek range.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeTwoViewers } from '../support/two-viewers.js';

interface Contract {
  chosen: string;
  chosenForMp4: string;
  filledFromDefaults: string[];
  counts: Record<string, number>;
  states: string[];
  levelsEventCount: number;
  qualityLevels: string[];
  manualQuality: number;
  autoQuality: number;
  laterEvents: string[];
  volume: number;
  seekRange: { start: number; end: number };
  duration: number;
  isLive: boolean;
  position: number;
  audioTracks: number;
  bandwidth: number | null;
  videoInContainer: string | undefined;
}

describeTwoViewers({
  player: 'jwplayer',
  entry: path.join(path.dirname(fileURLToPath(import.meta.url)), 'viewer-entry.ts'),
  vendorScripts: ['node_modules/hls.js/dist/hls.min.js'],
  async afterPlay(viewers) {
    const page = viewers[1]?.page;
    assert.ok(page);
    const c = await page.evaluate(() => (window as unknown as { __jwContract(): unknown }).__jwContract());
    const r = c as Contract;
    console.log(`[jwplayer] contract: ${JSON.stringify(r)}`);
    assert.equal(r.chosen, 'swarmcast', 'HLS source not given to the swarmcast provider');
    assert.equal(r.chosenForMp4, 'html5', 'MP4 must stay with JW');
    // Everything but fullscreen/controls/sendMediaType is implemented by the provider itself ('supports' is static).
    assert.deepEqual(
      r.filledFromDefaults.filter(
        (m) =>
          ![
            'supports',
            'setFullscreen',
            'getFullscreen',
            'supportsFullscreen',
            'setControls',
            'sendMediaType',
          ].includes(m),
      ),
      [],
    );
    for (const type of [
      'state',
      'providerFirstFrame',
      'time',
      'meta',
      'levels',
      'bufferFull',
      'bufferChange',
      'mediaType',
      'visualQuality',
    ]) {
      assert.ok((r.counts[type] ?? 0) > 0, `no "${type}" event`);
    }
    assert.equal(r.counts.mediaError ?? 0, 0, 'mediaError');
    assert.ok(r.states.includes('loading') && r.states.includes('playing'), `states ${r.states.join(',')}`);
    assert.deepEqual(r.qualityLevels.slice(0, 1), ['Auto']);
    assert.equal(r.qualityLevels.length, 4, 'Auto + 3 renditions');
    assert.equal(r.levelsEventCount, 4);
    assert.equal(r.manualQuality, 1);
    assert.equal(r.autoQuality, 0);
    assert.ok(
      ['levelsChanged', 'volume', 'mute'].every((t) => r.laterEvents.includes(t)),
      r.laterEvents.join(','),
    );
    assert.equal(r.volume, 0.5);
    assert.equal(r.isLive, false);
    assert.equal(r.seekRange.start, 0);
    assert.ok(Math.abs(r.seekRange.end - 60) < 1 && Math.abs(r.duration - 60) < 1, `duration ${r.duration}`);
    assert.ok(r.position >= 30, `position ${r.position}`);
    assert.equal(r.videoInContainer, 'player', 'the <video> was not put in the container');
  },
});
