/** `swarmcast-hash` on copies of the fixture folders (every layout), and its watch mode on a simulated live packager. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { FIXTURES_DIR } from '../../../support/fixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const BIN = path.join(ROOT, 'tools/hash/bin.ts');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
type List = Record<string, string | Record<string, string>>;

const temp: string[] = [];
function copy(folder: string, drop: (name: string) => boolean = () => false): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'swarmcast-hash-'));
  temp.push(dir);
  cpSync(path.join(FIXTURES_DIR, folder), dir, { recursive: true, filter: (src) => !drop(path.basename(src)) });
  return dir;
}

function run(dir: string, ...args: string[]): List {
  const r = spawnSync(process.execPath, ['--import', 'tsx', BIN, dir, '--quiet', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(readFileSync(path.join(dir, 'segments-sha256.json'), 'utf8')) as List;
}

/** Every listed digest is the SHA-256 of the file (or of its byte range, both ends included). */
function assertDigests(dir: string, list: List): number {
  let n = 0;
  for (const [key, value] of Object.entries(list)) {
    const bytes = readFileSync(path.join(dir, key));
    if (typeof value === 'string') {
      assert.equal(value, sha(bytes), key);
      n++;
      continue;
    }
    for (const [range, digest] of Object.entries(value)) {
      const [first = 0, last = 0] = range.split('-').map(Number);
      assert.equal(digest, sha(bytes.subarray(first, last + 1)), `${key} ${range}`);
      n++;
    }
  }
  return n;
}

void describe('swarmcast-hash', { timeout: 60_000 }, () => {
  after(() => {
    for (const d of temp) rmSync(d, { recursive: true, force: true });
  });

  void test('HLS MPEG-TS: every rendition, keyed by path relative to the list', () => {
    const dir = copy('hls-ts');
    const list = run(dir);
    assert.equal(assertDigests(dir, list), 90);
    assert.ok(typeof list['240p/seg-00000.ts'] === 'string' && typeof list['480p/seg-00029.ts'] === 'string');
  });

  void test('HLS fMP4 and DASH SegmentTemplate give the same list (segments and init segments)', () => {
    const hls = copy('cmaf', (n) => n.endsWith('.mpd'));
    const dash = copy('cmaf', (n) => n.endsWith('.m3u8'));
    const fromHls = run(hls);
    const fromDash = run(dash);
    assert.equal(assertDigests(hls, fromHls), 4 * 31);
    assert.deepEqual(fromDash, fromHls);
    assert.ok('audio/init.mp4' in fromHls && 'v360/seg-00030.m4s' in fromHls);
  });

  void test('byte ranges: HLS EXT-X-BYTERANGE / EXT-X-MAP and DASH SegmentBase (sidx) give the same ranges', () => {
    const hls = copy('single', (n) => n.endsWith('.mpd'));
    const dash = copy('single', (n) => n.endsWith('.m3u8'));
    const fromHls = run(hls);
    const fromDash = run(dash);
    assert.equal(assertDigests(hls, fromHls), 4 * 31);
    assert.deepEqual(fromDash, fromHls);
    const v240 = fromHls['v240.mp4'] as Record<string, string>;
    assert.ok('0-828' in v240 && '1229-8955' in v240, 'init and first segment, last byte included');
  });

  void test('--out elsewhere keys paths relative to that file; bad arguments are refused readably', () => {
    const dir = copy('hls-ts');
    const out = path.join(dir, '240p', 'segments-sha256.json');
    const r = spawnSync(process.execPath, ['--import', 'tsx', BIN, dir, '--out', out], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0);
    const list = JSON.parse(readFileSync(out, 'utf8')) as List;
    assert.equal(Object.keys(list).length, 30);
    assert.ok('seg-00000.ts' in list);
    assert.match(r.stderr, /360p[/\\]seg-00000\.ts is outside/);
    const bad = spawnSync(process.execPath, ['--import', 'tsx', BIN, dir, '--interval-ms', 'x'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--interval-ms must be an integer/);
  });

  void test('--watch follows a live packager: new segments in, removed ones out, never a half-written list or segment', async () => {
    const dir = copy(
      'cmaf',
      (n) => n.endsWith('.m3u8') || n.startsWith('seg-') || n === 'audio' || n === 'v360' || n === 'v480',
    );
    const src = (n: number): Buffer =>
      readFileSync(path.join(FIXTURES_DIR, `cmaf/v240/seg-${String(n).padStart(5, '0')}.m4s`));
    const target = (n: number): string => path.join(dir, `v240/seg-${String(n).padStart(5, '0')}.m4s`);
    const playlist = (from: number, to: number): void => {
      const lines = [
        '#EXTM3U',
        '#EXT-X-VERSION:7',
        '#EXT-X-TARGETDURATION:2',
        `#EXT-X-MEDIA-SEQUENCE:${from}`,
        '#EXT-X-MAP:URI="init.mp4"',
      ];
      for (let n = from; n <= to; n++) lines.push('#EXTINF:2.000,', `seg-${String(n).padStart(5, '0')}.m4s`);
      writeFileSync(path.join(dir, 'v240/index.m3u8'), lines.join('\n') + '\n');
    };
    for (const n of [1, 2]) writeFileSync(target(n), src(n));
    playlist(1, 2);
    const listFile = path.join(dir, 'segments-sha256.json');
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, dir, '--watch', '--interval-ms', '100', '--quiet'], {
      cwd: ROOT,
    });
    const seen: List[] = [];
    let unreadable = 0;
    const reader = setInterval(() => {
      let text: string;
      try {
        text = readFileSync(listFile, 'utf8');
      } catch {
        return; // not written yet
      }
      try {
        seen.push(JSON.parse(text) as List);
      } catch {
        unreadable++;
      }
    }, 5);
    const waitFor = async (what: string, ok: (l: List) => boolean): Promise<List> => {
      for (let i = 0; i < 400; i++) {
        const last = seen.at(-1);
        if (last && ok(last)) return last;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`timed out waiting for ${what}`);
    };
    try {
      await waitFor('the first list', (l) => 'v240/seg-00002.m4s' in l && 'v240/init.mp4' in l);
      // A segment a DASH packager is still writing (matched by the template, in no playlist) is not hashed half-done.
      const third = src(3);
      // It grows for ~200 ms (two watch periods), as a packager writes a segment while encoding it.
      for (let k = 1; k <= 10; k++) {
        writeFileSync(target(3), third.subarray(0, Math.ceil((third.length * k) / 10)));
        await new Promise((r) => setTimeout(r, 20));
      }
      const withThird = await waitFor('segment 3', (l) => 'v240/seg-00003.m4s' in l);
      assert.equal(withThird['v240/seg-00003.m4s'], sha(third));
      // The window slides: 1 leaves the playlist and the disk.
      for (const n of [4]) writeFileSync(target(n), src(n));
      playlist(2, 4);
      rmSync(target(1));
      const slid = await waitFor('the slide', (l) => 'v240/seg-00004.m4s' in l && !('v240/seg-00001.m4s' in l));
      assertDigests(dir, slid);
      for (const l of seen) {
        const d = l['v240/seg-00003.m4s'];
        assert.ok(d === undefined || d === sha(third), 'a partial segment was never listed');
      }
      assert.equal(unreadable, 0, 'the list is replaced atomically');
    } finally {
      clearInterval(reader);
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
