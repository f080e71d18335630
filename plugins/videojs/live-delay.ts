/**
 * The plugin's opt-in `liveDelaySec`, applied where VHS decides where a live stream starts. VHS keeps a live edge
 * delay from the end of each live playlist (DASH `suggestedPresentationDelay`, else HLS `HOLD-BACK`, else three
 * target durations); that delay grows by ours as each playlist is parsed, so VHS's first request, which probes
 * the stream's timing before any seekable range exists, and everything after it start at the delayed point.
 * Seeking back after the first frame instead cost every newcomer the two segments VHS had already loaded at its
 * own live point: near the edge, where the swarm holds few copies yet, so over HTTP (bench:swarm, Video.js: 12 of
 * 29 repeated HTTP downloads in a run). Wanted side effect: the seekable range ends at the delayed point, so
 * Video.js's LIVE button returns there, not to the edge.
 */
import {
  withPlaylistLoader,
  type PlayerLike,
  type VhsHandler,
  type VideojsLike,
} from '../../integrations/vhs/internal.js';

/** `playlistparsecomplete` comes right before `loadedplaylist`, whose VHS handler starts loading segments. */
const PARSED = ['playlistparsecomplete', 'loadedplaylist'];

export class LiveDelay {
  private vhs: VhsHandler | undefined;
  /**
   * Playlists (and DASH mains) we delayed, with the value they had (undefined: none of their own). Weak: a live
   * stream parses a new playlist object on every refresh.
   */
  private delayed = new WeakMap<object, number | undefined>();

  constructor(
    private readonly player: PlayerLike,
    private readonly delaySec: number,
    private readonly videojs: VideojsLike,
  ) {
    player.on('xhr-hooks-ready', this.bind);
    this.bind();
  }

  /** VHS started (or will start) at the delayed point by itself: the current playlist carries our delay. */
  get applied(): boolean {
    const media = this.vhs?.playlists?.media();
    return media !== undefined && this.delayed.has(media);
  }

  destroy(): void {
    this.player.off('xhr-hooks-ready', this.bind);
    this.unbind();
  }

  /** A new VHS handler comes with each source. */
  private readonly bind = (): void => {
    const vhs = this.player.tech({ IWillNotUseThisInPlugins: true })?.vhs;
    if (vhs === this.vhs) return;
    this.unbind();
    this.vhs = vhs;
    if (!vhs) return;
    withPlaylistLoader(vhs, (loader) => {
      if (this.vhs !== vhs) return; // unbound or rebound meanwhile
      for (const type of PARSED) loader.on(type, this.apply);
      this.apply();
    });
  };

  private unbind(): void {
    const loader = this.vhs?.playlists;
    for (const type of PARSED) loader?.off(type, this.apply);
    // Leave VHS as it was (older playlist objects are gone with the next refresh anyway).
    const media = loader?.media();
    if (media?.serverControl && this.delayed.has(media)) {
      const ownSec = this.delayed.get(media);
      if (ownSec === undefined) delete media.serverControl.holdBack;
      else media.serverControl.holdBack = ownSec;
    }
    const main = loader?.main;
    if (main && this.delayed.has(main)) main.suggestedPresentationDelay = this.delayed.get(main);
    this.delayed = new WeakMap();
    this.vhs = undefined;
  }

  /** Every playlist load parses a new object (a live refresh too): each gets the delay once. */
  private readonly apply = (): void => {
    const loader = this.vhs?.playlists;
    const media = loader?.media();
    if (!loader || !media || media.endList === true || this.delayed.has(media)) return;
    const vhsPlaylist = this.videojs.Vhs?.Playlist;
    // Without a suggestedPresentationDelay, VHS goes by the hold-back (own, or 3 target durations).
    const ownSec = vhsPlaylist?.liveEdgeDelay
      ? vhsPlaylist.liveEdgeDelay(null, media)
      : 3 * (media.targetDuration ?? 0);
    if (!(ownSec > 0)) return;
    this.delayed.set(media, media.serverControl?.holdBack);
    media.serverControl = { ...media.serverControl, holdBack: ownSec + this.delaySec };
    // A DASH manifest's own suggestedPresentationDelay trumps any hold-back: it grows instead.
    const main = loader.main;
    if (main?.suggestedPresentationDelay !== undefined && !this.delayed.has(main)) {
      this.delayed.set(main, main.suggestedPresentationDelay);
      main.suggestedPresentationDelay += this.delaySec;
    }
  };
}
