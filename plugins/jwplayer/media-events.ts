/**
 * `<video>` events → JW provider events, following JW's own `video-listener-mixin` (the player's model only
 * follows the provider through these): `playing` → state playing + `providerFirstFrame`, `waiting` → stalled,
 * `timeupdate` → `time` (while playing or seeking), `canplay` → `bufferFull`, `progress` → `bufferChange`,
 * `ended` → `complete`, `error` → `mediaError`.
 */
export interface MediaHost {
  readonly video: HTMLVideoElement;
  state: string;
  seeking: boolean;
  stallTime: number;
  setState(state: string): void;
  trigger(type: string, data?: unknown): unknown;
  getDuration(): number;
  getCurrentTime(): number;
  getSeekRange(): { start: number; end: number };
  getLiveLatency(): number | null;
  applyPendingStart(): void;
}

export function bindMediaEvents(p: MediaHost): () => void {
  const v = p.video;
  const handlers: Record<string, () => void> = {
    loadedmetadata: () => {
      p.applyPendingStart();
      p.trigger('meta', {
        metadataType: 'media',
        duration: p.getDuration(),
        width: v.videoWidth,
        height: v.videoHeight,
        seekRange: p.getSeekRange(),
      });
    },
    canplay: () => p.trigger('bufferFull'),
    play: () => {
      p.stallTime = -1;
      if (!v.paused && p.state !== 'playing') p.setState('loading');
    },
    playing: () => {
      if (p.stallTime === -1) p.setState('playing');
      p.trigger('providerFirstFrame');
    },
    pause: () => {
      if (p.state === 'complete' || v.ended || v.error || v.currentTime === v.duration) return;
      p.setState('paused');
    },
    waiting: () => {
      if (p.seeking || v.seeking) p.setState('loading');
      else if (p.state === 'playing') {
        p.stallTime = v.currentTime;
        p.setState('stalled');
      }
    },
    timeupdate: () => {
      const duration = p.getDuration();
      if (Number.isNaN(duration)) return;
      if (
        !p.seeking &&
        !v.paused &&
        (p.state === 'stalled' || p.state === 'loading') &&
        p.stallTime !== v.currentTime
      ) {
        p.stallTime = -1;
        p.setState('playing');
        p.trigger('providerFirstFrame');
      }
      if (p.state !== 'playing' && !(p.seeking && p.state !== 'idle')) return;
      const latency = p.getLiveLatency();
      p.trigger('time', {
        position: p.getCurrentTime(),
        duration,
        currentTime: v.currentTime,
        seekRange: p.getSeekRange(),
        metadata: { currentTime: v.currentTime },
        ...(latency !== null ? { latency } : {}),
      });
    },
    progress: () => {
      const duration = p.getDuration();
      if (duration <= 0 || duration === Infinity || !v.buffered.length) return;
      const end = v.buffered.end(v.buffered.length - 1);
      p.trigger('bufferChange', {
        bufferPercent: Math.min(100, (100 * end) / duration),
        position: p.getCurrentTime(),
        duration,
        currentTime: v.currentTime,
        seekRange: p.getSeekRange(),
      });
    },
    seeking: () => {
      if (p.state !== 'idle') p.seeking = true;
    },
    seeked: () => {
      if (!p.seeking) return;
      p.seeking = false;
      p.trigger('seeked');
    },
    volumechange: () => {
      p.trigger('volume', { volume: Math.round(v.volume * 100) });
      p.trigger('mute', { mute: v.muted });
    },
    ratechange: () => p.trigger('ratechange', { playbackRate: v.playbackRate }),
    ended: () => {
      if (p.state !== 'idle' && p.state !== 'complete') p.trigger('complete');
    },
    error: () => {
      const code = v.error?.code ?? -1;
      p.setState('error');
      p.trigger('mediaError', { code: 224000 + Math.max(0, code), message: v.error?.message ?? 'media error' });
    },
  };
  for (const [type, fn] of Object.entries(handlers)) v.addEventListener(type, fn);
  return () => {
    for (const [type, fn] of Object.entries(handlers)) v.removeEventListener(type, fn);
  };
}
