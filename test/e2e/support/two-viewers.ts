/**
 * Node side of the player-plugin e2e: two viewers (two Chromium pages, real tracker and WebRTC) of the HLS TS
 * fixture through one player's plugin. Asserts: both play ≥ 30 s with no stall after startup, the second viewer
 * (joining later) receives P2P bytes, and disposing the players leaves no peer connection or tracker socket open.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../support/browser.js';
import { startStack, type Stack } from '../../support/stack.js';
import { bundlePageScript } from './bundle.js';
import type { OpenConnections } from './connections.js';
import { clientUrl, kib, originBytes, percent } from './metering.js';
import type { PlayerViewerParams } from './player-viewer.js';
import type { ViewerReport } from './types.js';
import { VIEWER_CHROMIUM_ARGS, openViewer, type Viewer } from './viewer.js';

const PLAY_SEC = 30.5;
const STAGGER_MS = 4000;
const STREAM = 'hls-ts/master.m3u8';
/** Origin bytes a viewer may fetch outside the engine: playlists (a few KiB on the fixture), never segments. */
const PLAYLIST_ALLOWANCE_BYTES = 16 * 1024;

export interface TwoViewerSpec {
  /** Player name in test titles and logs. */
  player: string;
  /** Viewer page entry (bundled by esbuild). */
  entry: string;
  /** Extra JSON params for the entry. */
  params?: Record<string, unknown>;
  /**
   * Player dist files (paths from the repo root) run as classic scripts before the entry, as a page's script
   * tags would (UMD builds set their globals; some browserify dists do not survive being re-bundled).
   */
  vendorScripts?: string[];
  /** Extra checks once both viewers have played (before dispose). */
  afterPlay?: (viewers: Viewer[]) => Promise<void>;
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function pageScript(spec: TwoViewerSpec): Promise<string> {
  const vendors = (spec.vendorScripts ?? []).map((p) => readFileSync(path.join(ROOT, p), 'utf8'));
  return [...vendors, await bundlePageScript(spec.entry)].join('\n;\n');
}

function connectionsOf(v: Viewer): Promise<OpenConnections> {
  return v.page.evaluate(() =>
    (window as unknown as { __viewer: { connections(): OpenConnections } }).__viewer.connections(),
  );
}

/** Why a viewer has no peer, when it has none: handshakes tried and completed, tracker messages each way. */
function describeLinks(c: OpenConnections | undefined): string {
  if (!c) return '?';
  return (
    `pc ${c.peersCreated} (connected once ${c.peersEverConnected}, now ${JSON.stringify(c.peerStates)}), ` +
    `tracker msgs ${c.socketMessagesSent} out / ${c.socketMessagesReceived} in`
  );
}

function assertNoStall(r: ViewerReport): void {
  assert.equal(r.playback.error, undefined, `${r.label}: media error`);
  assert.deepEqual(r.playback.stalls, [], `${r.label}: stalled after startup: ${JSON.stringify(r.playback.stalls)}`);
}

export function describeTwoViewers(spec: TwoViewerSpec): void {
  void describe(`${spec.player} e2e: two viewers, real tracker, origin byte meter`, () => {
    let stack: Stack;
    let browser: Browser;
    let script: string;
    const open: Viewer[] = [];

    before(async () => {
      stack = await startStack();
      browser = await launchChromium({ args: [...VIEWER_CHROMIUM_ARGS] });
      script = await pageScript(spec);
    });

    after(async () => {
      await Promise.all(open.splice(0).map((v) => v.close()));
      await browser.close().catch(() => undefined);
      await stack.close();
    });

    void it(`2 viewers play ${PLAY_SEC} s of hls-ts without stalls, viewer 2 gets P2P bytes, dispose closes all`, async () => {
      const run = `${spec.player}-${Date.now().toString(36)}`;
      const viewers: Viewer[] = [];
      for (let i = 0; i < 2; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, STAGGER_MS));
        const id = `${run}-v${i + 1}`;
        const params: PlayerViewerParams & Record<string, unknown> = {
          ...spec.params,
          label: id,
          manifestUrl: clientUrl(stack.originUrl, id, STREAM),
          trackerUrl: stack.trackerUrl,
          swarmId: run,
        };
        const v = await openViewer(browser, { label: id, originUrl: stack.originUrl, script, params });
        open.push(v);
        // Entries expose __viewer once the player created its <video> (asynchronous for some players).
        await v.page.waitForFunction(() => '__viewer' in window, null, { timeout: 20000 });
        viewers.push(v);
      }
      const reports = await Promise.all(viewers.map((v) => v.waitForPlayed(PLAY_SEC, 120000)));
      const finals = await Promise.all(viewers.map((v) => v.report()));
      const links = await Promise.all(viewers.map((v) => connectionsOf(v)));

      for (const [i, r] of finals.entries()) {
        const e = r.engine;
        const id = viewers[i]?.label ?? '';
        console.log(
          `[${spec.player}] ${r.label}: origin ${kib(originBytes(stack, id))}, http ${kib(e?.httpBytes ?? 0)}, ` +
            `p2p ${kib(e?.p2pBytes ?? 0)} (${percent(e?.p2pBytes ?? 0, (e?.p2pBytes ?? 0) + (e?.httpBytes ?? 0))}), ` +
            `up ${kib(e?.uploadedBytes ?? 0)}, peers ${e?.peers ?? 0}, sources ${JSON.stringify(r.sources)}, ` +
            `stalls ${r.playback.stalls.length}, startup ${Math.round(r.playback.startupMs ?? -1)} ms, ` +
            `links ${describeLinks(links[i])}` +
            (r.errors.length ? `, errors ${r.errors.slice(0, 5).join(',')}` : ''),
        );
      }
      for (const r of reports) assertNoStall(r);
      for (const r of finals) assertNoStall(r);
      for (const [i, r] of finals.entries()) {
        assert.deepEqual(r.errors, [], `${r.label}: errors`);
        // Every media byte taken from the origin went through the engine (playlists are not: allowance).
        const outside = originBytes(stack, viewers[i]?.label ?? '') - (r.engine?.httpBytes ?? 0);
        assert.ok(
          outside <= PLAYLIST_ALLOWANCE_BYTES,
          `${r.label}: ${kib(outside)} from the origin bypassed the engine`,
        );
      }
      assert.ok((finals[1]?.engine?.p2pBytes ?? 0) > 0, 'viewer 2 received no P2P bytes');
      await spec.afterPlay?.(viewers);

      // Dispose: every peer connection and tracker socket the engine opened must be closed.
      for (const v of viewers) {
        const before = await connectionsOf(v);
        assert.ok(before.socketsCreated > 0 && before.peersCreated > 0, `${v.label}: no engine connections seen`);
        await v.page.evaluate(() =>
          (window as unknown as { __viewer: { dispose(): Promise<void> } }).__viewer.dispose(),
        );
        await v.page
          .waitForFunction(
            () => {
              const c = (window as unknown as { __viewer: { connections(): OpenConnections } }).__viewer.connections();
              return c.peersOpen === 0 && c.socketsOpen === 0;
            },
            null,
            { timeout: 5000 },
          )
          .catch(() => undefined);
        const afterDispose = await connectionsOf(v);
        assert.equal(afterDispose.peersOpen, 0, `${v.label}: peer connections left open after dispose`);
        assert.equal(afterDispose.socketsOpen, 0, `${v.label}: tracker sockets left open after dispose`);
      }
    });
  });
}
