/** CLI options of `npm run bench:swarm`: one typed defaults object, units in names, unknown options rejected. */
import { parseArgs } from 'node:util';
import type { IntegrityMode } from '../../core/index.js';
import { settingOverrides } from '../shared/setting-value.js';
import type { PlayerName } from './protocol.js';

/** `vod-long`: the 5-minute VOD `npm run fixtures -- long` makes (not committed). */
export type StreamKind = 'live' | 'vod' | 'vod-long';

export interface SwarmBenchOptions {
  viewers: number;
  stream: StreamKind;
  player: PlayerName;
  /** Viewers join at seeded random instants within this span (the first at 0). */
  joinSpreadMs: number;
  /** Per-connection origin body rate in kilobits/s (0 = unthrottled). */
  originKbps: number;
  /** Origin delay before response headers. */
  originLatencyMs: number;
  /**
   * The origin gzips playlists and MPDs for browsers that ask (they all do), as CDNs do; the meter counts the
   * bytes sent. Playlist reloads are the same in both passes and no peer serves them: uncompressed they weigh
   * on offload beyond what a real deployment pays.
   */
  originGzip: boolean;
  /** Wall seconds every viewer plays at least (all stop together, `joinSpreadMs` after the first would). */
  durationSec: number;
  /** Up to this many viewers are real players; the rest are virtual. */
  realMax: number;
  /** Every viewer virtual. */
  virtual: boolean;
  /** Virtual viewers per Chromium page. */
  virtualPerPage: number;
  /** Live: seconds behind the live edge every viewer plays at (baseline too); undefined: each player's own default. */
  liveDelaySec: number | undefined;
  /** Live: segments in the simulator's sliding window. */
  liveWindowSegments: number;
  /**
   * Whether players cap their rendition to their element's size (hls.js `capLevelToPlayerSize`, VHS
   * `limitRenditionByPlayerDimensions`, Shaka `abr.restrictToElementSize`); undefined: each player's own default
   * (VHS caps, hls.js and Shaka do not). The bench's element is 320 px wide, to keep ten pages affordable on two
   * cores, so by default VHS plays the lowest rendition and hls.js the one its bandwidth estimate picks.
   */
  capToPlayerSize: boolean | undefined;
  /** Seed of everything random the bench owns. */
  seed: number;
  /**
   * Run the baseline and P2P passes at the same time (separate origins, meters and trackers; the same join
   * instants) instead of one after the other, so background load on a shared machine hits both alike.
   */
  concurrentPasses: boolean;
  /** Engine setting overrides (`--set key=value`), the same in both passes; validated by the engine's mergeSettings. */
  engineSettings: Record<string, number | boolean>;
  /** The engine's `integrity` setting in the P2P pass (the baseline takes nothing from peers, so checks nothing). */
  integrity: IntegrityMode;
  /**
   * The origin publishes `segments-sha256.json` next to the manifests; `false` serves the same media under the
   * origin's `/nolist/` prefix, where every hash list is missing (404), so `auto` falls back to the spot check.
   */
  hashLists: boolean;
  /** After stop, wait this long so in-flight P2P transfers land before the byte counters are read. */
  settleMs: number;
  /**
   * A third pass with P2P Media Loader 2.3.1 for hls.js (same viewers, a fresh origin and tracker of its own). hls.js
   * only, real players only: on by default there, off (and refused if asked for) elsewhere.
   */
  p2pml: boolean;
  /** Runs (each a baseline and a P2P pass) with the same options and seed; see repeat.ts. */
  repeat: number;
  json: boolean;
  /** Also write that JSON object to this file (the table still prints): per-viewer traces beside the table. */
  jsonOut: string | undefined;
}

export const SWARM_BENCH_DEFAULTS: Readonly<SwarmBenchOptions> = {
  viewers: 10,
  stream: 'live',
  player: 'hlsjs',
  joinSpreadMs: 20000,
  originKbps: 2000,
  originLatencyMs: 20,
  originGzip: true,
  durationSec: 100,
  realMax: 10,
  virtual: false,
  virtualPerPage: 10,
  // As the hls.js e2e: with a 30 s window, 22 s behind the edge gives peers time to pass each new segment on.
  liveDelaySec: 22,
  liveWindowSegments: 15,
  capToPlayerSize: undefined,
  seed: 1,
  settleMs: 2500,
  repeat: 1,
  concurrentPasses: false,
  engineSettings: {},
  integrity: 'auto',
  hashLists: true,
  p2pml: true,
  json: false,
  jsonOut: undefined,
};

/** Manifest (relative to test/fixtures; live ones under the origin's `/live/`) per player and stream kind. */
export const MANIFESTS: Record<PlayerName, Record<StreamKind, string>> = {
  hlsjs: { vod: 'hls-ts/master.m3u8', live: 'live/hls-ts/master.m3u8', 'vod-long': 'hls-ts/master.m3u8' },
  videojs: { vod: 'hls-ts/master.m3u8', live: 'live/hls-ts/master.m3u8', 'vod-long': 'hls-ts/master.m3u8' },
  // Shaka's own stream format: DASH SegmentTemplate (the live simulator serves it as a dynamic MPD).
  shaka: { vod: 'cmaf/manifest.mpd', live: 'live/cmaf/manifest.mpd', 'vod-long': '' },
};

/**
 * `--profile defaults`: what users run. A CDN edge next to the viewer (origin not throttled), each player at its
 * own default live point, ten viewers about a second apart, every engine setting at its default. Options given
 * on the command line override the profile's.
 */
export const PROFILES = {
  defaults: { originKbps: 0, liveDelaySec: undefined, viewers: 10, joinSpreadMs: 10_000 },
} as const satisfies Record<string, Partial<SwarmBenchOptions>>;

export const USAGE = `npm run bench:swarm -- [options]
  --viewers N               viewers (default ${SWARM_BENCH_DEFAULTS.viewers})
  --profile defaults        what users run: --origin-kbps 0 --live-delay-sec default --viewers 10
                            --join-spread-ms 10000 (options given override it)
  --stream live|vod|vod-long  vod-long: 5-minute VOD made by \`npm run fixtures -- long\` (default ${SWARM_BENCH_DEFAULTS.stream})
  --player hlsjs|videojs|shaka  (default ${SWARM_BENCH_DEFAULTS.player})
  --join-spread-ms T        viewers join at seeded random instants within T ms (default ${SWARM_BENCH_DEFAULTS.joinSpreadMs})
  --origin-kbps K           origin rate per connection, kbit/s, 0 = unthrottled (default ${SWARM_BENCH_DEFAULTS.originKbps})
  --origin-latency-ms MS    origin delay before headers (default ${SWARM_BENCH_DEFAULTS.originLatencyMs})
  --origin-gzip yes|no      origin gzips playlists and MPDs, as CDNs do (default yes)
  --duration-sec S          wall seconds each viewer plays at least (default ${SWARM_BENCH_DEFAULTS.durationSec})
  --real-max N              at most N real players, the rest virtual viewers (default ${SWARM_BENCH_DEFAULTS.realMax})
  --virtual                 every viewer virtual
  --virtual-per-page N      virtual viewers per Chromium page (default ${SWARM_BENCH_DEFAULTS.virtualPerPage})
  --live-delay-sec S|default  live: seconds behind the edge, every viewer; default: each player's own
                            (default ${SWARM_BENCH_DEFAULTS.liveDelaySec})
  --live-window-segments N  live: sliding window length (default ${SWARM_BENCH_DEFAULTS.liveWindowSegments})
  --cap-to-player-size yes|no  players cap their rendition to the 320 px element (default: each player's own:
                            VHS yes, hls.js and Shaka no)
  --seed N                  seed of join order/times and engine randomness (default ${SWARM_BENCH_DEFAULTS.seed})
  --settle-ms MS            wait after stop before reading counters (default ${SWARM_BENCH_DEFAULTS.settleMs})
  --concurrent-passes       run the baseline and P2P passes at the same time (fairer on a busy machine)
  --repeat N                run everything N times (same seed) and print the median and range (default ${SWARM_BENCH_DEFAULTS.repeat})
  --integrity MODE          auto|hash-list|spot-check|off: the engine's integrity setting (default ${SWARM_BENCH_DEFAULTS.integrity})
  --hash-lists yes|no       the origin publishes segments-sha256.json (no: every list 404s, auto spot-checks; default yes)
  --set key=value           engine setting for both passes (repeatable), e.g. --set p2pJoinWhenPlayable=true
  --p2pml yes|no            a third pass with P2P Media Loader 2.3.1 at its defaults (hls.js, real players only;
                            default yes there, no for other players)
  --json                    print one JSON object instead of the table
  --json-out FILE           also write that JSON object (per-viewer traces included) to FILE`;

export class OptionsError extends Error {}

const INTEGRITY_MODES: readonly IntegrityMode[] = ['auto', 'hash-list', 'spot-check', 'off'];

const NUMERIC = {
  viewers: ['viewers', 1],
  joinSpreadMs: ['join-spread-ms', 0],
  originKbps: ['origin-kbps', 0],
  originLatencyMs: ['origin-latency-ms', 0],
  durationSec: ['duration-sec', 1],
  realMax: ['real-max', 0],
  virtualPerPage: ['virtual-per-page', 1],
  liveWindowSegments: ['live-window-segments', 1],
  seed: ['seed', 0],
  settleMs: ['settle-ms', 0],
  repeat: ['repeat', 1],
} as const satisfies Partial<Record<keyof SwarmBenchOptions, readonly [string, number]>>;

const INTEGER_KEYS = new Set(['viewers', 'realMax', 'virtualPerPage', 'liveWindowSegments', 'seed', 'repeat']);

/** Parses argv (without node and script); throws OptionsError with a readable message. */
export function parseOptions(argv: string[]): SwarmBenchOptions | 'help' {
  const stringOption = { type: 'string' } as const;
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(Object.values(NUMERIC).map(([flag]) => [flag, stringOption])),
        stream: stringOption,
        profile: stringOption,
        'live-delay-sec': stringOption,
        player: stringOption,
        virtual: { type: 'boolean' },
        'concurrent-passes': { type: 'boolean' },
        'cap-to-player-size': stringOption,
        'origin-gzip': stringOption,
        integrity: stringOption,
        'hash-lists': stringOption,
        set: { type: 'string', multiple: true },
        p2pml: stringOption,
        json: { type: 'boolean' },
        'json-out': stringOption,
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new OptionsError(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
  }
  if (values.help) return 'help';
  const out: SwarmBenchOptions = { ...SWARM_BENCH_DEFAULTS };
  if (values.profile !== undefined) {
    const profile = PROFILES[values.profile as keyof typeof PROFILES] as Partial<SwarmBenchOptions> | undefined;
    if (typeof values.profile !== 'string' || !Object.hasOwn(PROFILES, values.profile) || !profile)
      throw new OptionsError(
        `--profile must be one of ${Object.keys(PROFILES).join(', ')}, got "${String(values.profile)}"`,
      );
    Object.assign(out, profile);
  }
  for (const [key, [flag, min]] of Object.entries(NUMERIC) as [keyof typeof NUMERIC, readonly [string, number]][]) {
    const raw = values[flag];
    if (typeof raw !== 'string') continue;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n < min || (INTEGER_KEYS.has(key) && !Number.isInteger(n)))
      throw new OptionsError(
        `--${flag} must be ${INTEGER_KEYS.has(key) ? 'an integer' : 'a number'} ≥ ${min}, got "${raw}"`,
      );
    out[key] = n;
  }
  const delay = values['live-delay-sec'];
  if (typeof delay === 'string') {
    const n = Number(delay);
    if (delay === 'default') out.liveDelaySec = undefined;
    else if (delay.trim() === '' || !Number.isFinite(n) || n < 0)
      throw new OptionsError(`--live-delay-sec must be a number ≥ 0 or "default", got "${delay}"`);
    else out.liveDelaySec = n;
  }
  if (values.stream !== undefined) {
    if (values.stream !== 'live' && values.stream !== 'vod' && values.stream !== 'vod-long')
      throw new OptionsError(`--stream must be live, vod or vod-long, got "${String(values.stream)}"`);
    out.stream = values.stream;
  }
  if (values.player !== undefined) {
    if (!(typeof values.player === 'string' && values.player in MANIFESTS))
      throw new OptionsError(
        `--player must be one of ${Object.keys(MANIFESTS).join(', ')}, got "${String(values.player)}"`,
      );
    out.player = values.player as PlayerName;
  }
  out.virtual = values.virtual === true;
  out.concurrentPasses = values['concurrent-passes'] === true;
  out.capToPlayerSize = yesNo(values, 'cap-to-player-size') ?? out.capToPlayerSize;
  out.originGzip = yesNo(values, 'origin-gzip') ?? out.originGzip;
  out.hashLists = yesNo(values, 'hash-lists') ?? out.hashLists;
  if (values.integrity !== undefined) {
    if (!(typeof values.integrity === 'string' && INTEGRITY_MODES.includes(values.integrity as IntegrityMode)))
      throw new OptionsError(
        `--integrity must be one of ${INTEGRITY_MODES.join(', ')}, got "${String(values.integrity)}"`,
      );
    out.integrity = values.integrity as IntegrityMode;
  }
  out.json = values.json === true;
  const jsonOut = values['json-out'];
  if (jsonOut !== undefined) {
    if (typeof jsonOut !== 'string' || jsonOut.trim() === '')
      throw new OptionsError(`--json-out must be a file path, got "${String(jsonOut)}"`);
    out.jsonOut = jsonOut;
  }
  out.engineSettings = parseEngineSettings(Array.isArray(values.set) ? values.set : []);
  if (MANIFESTS[out.player][out.stream] === '')
    throw new OptionsError(`--stream ${out.stream} is HLS only; --player ${out.player} plays DASH`);
  if (virtualCount(out) > 0 && MANIFESTS[out.player][out.stream].endsWith('.mpd'))
    throw new OptionsError(
      `virtual viewers read HLS only; --player ${out.player} plays DASH: use --viewers ≤ --real-max without --virtual`,
    );
  out.p2pml = p2pmlPass(out, yesNo(values, 'p2pml'));
  return out;
}

/** Whether the P2P Media Loader pass runs: asked for where it cannot, a readable refusal. */
function p2pmlPass(o: SwarmBenchOptions, asked: boolean | undefined): boolean {
  const why =
    o.player !== 'hlsjs'
      ? `P2P Media Loader's pass is for hls.js only (it has no ${o.player} integration here); --player ${o.player} runs without it`
      : virtualCount(o) > 0
        ? "P2P Media Loader's pass runs real players only; virtual viewers are swarmcast engines: use --viewers ≤ --real-max without --virtual"
        : undefined;
  if (why !== undefined && asked === true) throw new OptionsError(`--p2pml yes: ${why}`);
  return why === undefined && asked !== false;
}

/** A `yes|no` flag: undefined when absent. */
function yesNo(values: Record<string, string | boolean | string[] | undefined>, flag: string): boolean | undefined {
  const v = values[flag];
  if (v === undefined) return undefined;
  if (v !== 'yes' && v !== 'no') throw new OptionsError(`--${flag} must be yes or no, got "${String(v)}"`);
  return v === 'yes';
}

function parseEngineSettings(pairs: readonly string[]): Record<string, number | boolean> {
  try {
    const { overrides } = settingOverrides(pairs);
    if ('p2pEnabled' in overrides)
      throw new Error('--set p2pEnabled: the bench sets it (off in the baseline, on in the P2P pass)');
    return overrides;
  } catch (e) {
    throw new OptionsError(e instanceof Error ? e.message : String(e));
  }
}

export function virtualCount(o: SwarmBenchOptions): number {
  return o.virtual ? o.viewers : Math.max(0, o.viewers - o.realMax);
}
