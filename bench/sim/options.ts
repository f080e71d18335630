import { parseArgs } from 'node:util';
import type { EngineSettings } from '../../core/settings.js';
import { mergeSettings } from '../../core/settings.js';
import { settingOverrides, settingValue, splitPair } from '../shared/setting-value.js';

/**
 * Every knob of the simulated world, with its default and the assumption behind it. Bandwidths are what a
 * viewer's browser can use for this tab, drawn once per viewer from a log-normal (measured access speeds have a
 * long right tail). Medians are deliberately on the conservative side of public speed-test figures (Ookla /
 * M-Lab publish fixed-broadband upload medians of roughly 10–50 Mbit/s depending on country and access type;
 * mobile uploads sit around 10 Mbit/s), so "realistic upload" here means a 10 Mbit/s median.
 */
export interface SimOptions {
  viewers: number;
  stream: 'live' | 'vod';
  /** Virtual seconds simulated. */
  durationSec: number;
  seed: number;
  /** Average media bitrate of the one simulated rendition; each segment's size varies ±20 % around it (VBR). */
  bitrateKbps: number;
  segmentSec: number;
  /** Live playlist length (hls.js-like sliding window); 15, as bench:swarm's live origin. */
  liveWindowSegments: number;
  /**
   * Live start point behind the edge, like hls.js `liveSyncDurationCount`. 11 × 2 s = 22 s, bench:swarm's live
   * delay: a P2P live deployment sits well back from the edge (P2P Media Loader: Shaka 25 s, hls.js up to 120 s)
   * so a new segment has time to spread. `--live-sync-segments 3` is hls.js's default, 6 s.
   */
  liveSyncSegments: number;
  vodDurationSec: number;
  /** The player asks for the next segment while less than this is buffered ahead (hls.js `maxBufferLength`). */
  bufferGoalSec: number;
  /** Viewers leaving per minute, % of the audience; each is replaced by a newcomer at once (constant audience). */
  churnPerMinPct: number;
  /** The initial audience joins uniformly over this period. */
  rampSec: number;
  uploadMedianMbps: number;
  uploadSigma: number;
  downloadMedianMbps: number;
  downloadSigma: number;
  /** Viewers behind symmetric NAT: two of them cannot connect to each other (no TURN relay). */
  symmetricNatShare: number;
  /** Viewers whose upload is unusable (saturated by other traffic): they download from peers but serve nothing. */
  zeroUploadShare: number;
  /** One-way latency of each viewer's access path; a peer link's latency is the sum of both ends. */
  accessLatencyMedianMs: number;
  /** CDN time to first byte (edge hit), per request. */
  cdnTtfbMedianMs: number;
  /** Tracker offer/answer relay + ICE + DTLS + SCTP before a data channel is usable. */
  connectSetupMedianMs: number;
  /** Also run an HTTP-only pass (P2P off) with the same seed for the stall comparison. */
  baseline: boolean;
}

export const DEFAULT_SIM_OPTIONS: Readonly<SimOptions> = {
  viewers: 200,
  stream: 'live',
  durationSec: 180,
  seed: 1,
  bitrateKbps: 2500,
  segmentSec: 2,
  liveWindowSegments: 15,
  liveSyncSegments: 11,
  vodDurationSec: 600,
  bufferGoalSec: 30,
  churnPerMinPct: 5,
  rampSec: 30,
  uploadMedianMbps: 10,
  uploadSigma: 0.9,
  downloadMedianMbps: 50,
  downloadSigma: 0.8,
  symmetricNatShare: 0.1,
  zeroUploadShare: 0,
  accessLatencyMedianMs: 20,
  cdnTtfbMedianMs: 60,
  connectSetupMedianMs: 1500,
  baseline: true,
};

export interface Cli {
  options: SimOptions;
  /** Engine settings after `--set` overrides (validated by the engine's own mergeSettings). */
  settings: EngineSettings;
  overrides: Partial<EngineSettings>;
  sweep: { key: keyof EngineSettings; values: (number | boolean)[] } | undefined;
  json: boolean;
}

export const USAGE = `npm run bench:sim -- [options]
  --viewers N              audience size (default ${DEFAULT_SIM_OPTIONS.viewers})
  --stream live|vod        (default live)
  --duration-sec S         virtual seconds (default ${DEFAULT_SIM_OPTIONS.durationSec})
  --seed N                 PRNG seed (default ${DEFAULT_SIM_OPTIONS.seed}); same seed, same result
  --bitrate-kbps N         rendition bitrate (default ${DEFAULT_SIM_OPTIONS.bitrateKbps})
  --churn-per-min PCT      % of viewers leaving (and replaced) per minute (default ${DEFAULT_SIM_OPTIONS.churnPerMinPct})
  --upload-median-mbps X   median viewer upload (default ${DEFAULT_SIM_OPTIONS.uploadMedianMbps})
  --download-median-mbps X median viewer download (default ${DEFAULT_SIM_OPTIONS.downloadMedianMbps})
  --symmetric-nat-share X  share of viewers behind symmetric NAT (default ${DEFAULT_SIM_OPTIONS.symmetricNatShare})
  --zero-upload-share X    share of viewers with no usable upload (default ${DEFAULT_SIM_OPTIONS.zeroUploadShare})
  --vod-duration-sec S     VOD length (default ${DEFAULT_SIM_OPTIONS.vodDurationSec})
  --live-sync-segments N   live start point, segments behind the edge (default ${DEFAULT_SIM_OPTIONS.liveSyncSegments})
  --live-window-segments N segments in the live playlist (default ${DEFAULT_SIM_OPTIONS.liveWindowSegments})
  --ramp-sec S             initial joins spread over S seconds (default ${DEFAULT_SIM_OPTIONS.rampSec})
  --baseline on|off        HTTP-only pass with the same seed (default on)
  --set key=value          engine setting override (repeatable), e.g. --set p2pSafetyFactor=1.2
  --sweep key=v1,v2,...    one P2P run per value of an engine setting
  --json                   print one JSON object`;

const FLAG_TO_OPTION = {
  viewers: 'viewers',
  'duration-sec': 'durationSec',
  seed: 'seed',
  'bitrate-kbps': 'bitrateKbps',
  'churn-per-min': 'churnPerMinPct',
  'upload-median-mbps': 'uploadMedianMbps',
  'download-median-mbps': 'downloadMedianMbps',
  'symmetric-nat-share': 'symmetricNatShare',
  'zero-upload-share': 'zeroUploadShare',
  'vod-duration-sec': 'vodDurationSec',
  'ramp-sec': 'rampSec',
  'live-sync-segments': 'liveSyncSegments',
  'live-window-segments': 'liveWindowSegments',
} as const satisfies Record<string, keyof SimOptions>;

export function parseCli(argv: readonly string[]): Cli {
  const numberFlags = Object.fromEntries(Object.keys(FLAG_TO_OPTION).map((k) => [k, { type: 'string' as const }]));
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      ...numberFlags,
      stream: { type: 'string' },
      baseline: { type: 'string' },
      set: { type: 'string', multiple: true },
      sweep: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) throw new Error(USAGE);
  const options: SimOptions = { ...DEFAULT_SIM_OPTIONS };
  for (const [flag, key] of Object.entries(FLAG_TO_OPTION)) {
    const raw = (values as Record<string, unknown>)[flag];
    if (typeof raw !== 'string') continue;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n) || n < 0)
      throw new Error(`--${flag} expects a number ≥ 0, got "${raw}"`);
    options[key] = n;
  }
  if (!Number.isInteger(options.viewers) || options.viewers < 2) throw new Error('--viewers must be an integer ≥ 2');
  if (!(options.durationSec > 0)) throw new Error('--duration-sec must be > 0');
  if (!Number.isInteger(options.liveSyncSegments) || options.liveSyncSegments < 1)
    throw new Error('--live-sync-segments must be an integer ≥ 1');
  if (options.liveSyncSegments > options.liveWindowSegments)
    throw new Error(`--live-sync-segments must be ≤ the playlist window (${options.liveWindowSegments})`);
  if (options.symmetricNatShare > 1) throw new Error('--symmetric-nat-share must be in [0, 1]');
  if (options.zeroUploadShare > 1) throw new Error('--zero-upload-share must be in [0, 1]');
  if (values.stream !== undefined) {
    if (values.stream !== 'live' && values.stream !== 'vod') throw new Error(`--stream must be live or vod`);
    options.stream = values.stream;
  }
  if (values.baseline !== undefined) {
    if (values.baseline !== 'on' && values.baseline !== 'off') throw new Error('--baseline must be on or off');
    options.baseline = values.baseline === 'on';
  }
  const { overrides, settings } = settingOverrides(values.set ?? []);
  let sweep: Cli['sweep'];
  if (values.sweep !== undefined) {
    const [key, list] = splitPair('--sweep', values.sweep);
    const parsed = list.split(',').map((v) => settingValue(key, v));
    for (const v of parsed) mergeSettings({ ...overrides, [key]: v });
    sweep = { key: key as keyof EngineSettings, values: parsed };
  }
  return { options, settings, overrides: overrides, sweep, json: values.json };
}
