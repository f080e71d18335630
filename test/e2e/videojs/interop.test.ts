/**
 * hls.js and Video.js (VHS) viewers of the same HLS stream meet in one swarm and exchange segments: both
 * integrations derive the same swarm key (rendition attributes) and segment ids (EXTINF start times). Two pairs
 * run at once, one in each order, so each direction is shown: the later viewer must receive P2P bytes and the
 * earlier one must have uploaded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../support/browser.js';
import { startStack, type Stack } from '../../support/stack.js';
import { bundlePageScript } from '../support/bundle.js';
import { clientUrl, kib } from '../support/metering.js';
import { VIEWER_CHROMIUM_ARGS, openViewer, type Viewer } from '../support/viewer.js';

const DIR = path.dirname(fileURLToPath(import.meta.url));
const PLAY_SEC = 20;
const STAGGER_MS = 4000;

void describe('interop e2e: hls.js and Video.js viewers share one swarm', () => {
  let stack: Stack;
  let browser: Browser;
  let scripts: { hlsjs: string; videojs: string };
  const open: Viewer[] = [];

  before(async () => {
    stack = await startStack();
    browser = await launchChromium({ args: [...VIEWER_CHROMIUM_ARGS] });
    const [hlsjs, videojs] = await Promise.all([
      bundlePageScript(path.join(DIR, 'hlsjs-viewer-entry.ts')),
      bundlePageScript(path.join(DIR, 'viewer-entry.ts')),
    ]);
    scripts = { hlsjs, videojs };
  });

  after(async () => {
    await Promise.all(open.splice(0).map((v) => v.close()));
    await browser.close().catch(() => undefined);
    await stack.close();
  });

  async function viewer(kind: 'hlsjs' | 'videojs', id: string, swarmId: string): Promise<Viewer> {
    const core = { trackerUrls: [stack.trackerUrl], rtcConfig: { iceServers: [] } };
    const manifestUrl = clientUrl(stack.originUrl, id, 'hls-ts/master.m3u8');
    const v = await openViewer(browser, {
      label: id,
      originUrl: stack.originUrl,
      script: scripts[kind],
      params: { label: id, manifestUrl, p2p: { swarmId, core } },
    });
    open.push(v);
    return v;
  }

  void it('hls.js → Video.js and Video.js → hls.js: the later viewer gets P2P bytes from the earlier one', async () => {
    const run = Date.now().toString(36);
    const orders = [
      ['hlsjs', 'videojs'],
      ['videojs', 'hlsjs'],
    ] as const;
    const firsts = await Promise.all(orders.map(([a], i) => viewer(a, `ix${i}-${a}-first-${run}`, `ix${i}-${run}`)));
    await new Promise((r) => setTimeout(r, STAGGER_MS));
    const seconds = await Promise.all(
      orders.map(([, b], i) => viewer(b, `ix${i}-${b}-second-${run}`, `ix${i}-${run}`)),
    );
    const reports = await Promise.all([...firsts, ...seconds].map((v) => v.waitForPlayed(PLAY_SEC, 90000)));
    const finals = await Promise.all([...firsts, ...seconds].map((v) => v.report()));
    for (const r of finals) {
      const e = r.engine;
      console.log(
        `[interop] ${r.label}: http ${kib(e?.httpBytes ?? 0)}, p2p ${kib(e?.p2pBytes ?? 0)}, ` +
          `up ${kib(e?.uploadedBytes ?? 0)}, peers ${e?.peers ?? 0}, stalls ${r.playback.stalls.length}`,
      );
    }
    for (const r of reports) assert.deepEqual(r.playback.stalls, [], `${r.label} stalled`);
    for (const i of [0, 1]) {
      const first = finals[i];
      const second = finals[i + 2];
      assert.ok((second?.engine?.p2pBytes ?? 0) > 0, `${second?.label} received no P2P bytes from ${first?.label}`);
      assert.ok((first?.engine?.uploadedBytes ?? 0) > 0, `${first?.label} uploaded nothing`);
    }
  });
});
