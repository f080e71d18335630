/**
 * The `vjs-p2p` overlay: P2P share and peer count, refreshed on a timer. Plain DOM inside the player element
 * (not a Video.js Component) so it works with whatever Video.js copy the page has and needs no registration.
 */
import type { EngineStats } from '../../core/index.js';

export interface OverlayStats {
  stats: EngineStats;
  /** False when P2P is off (native playback, disabled). */
  active: boolean;
}

export class P2POverlay {
  readonly el: HTMLDivElement;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    parent: Element,
    private readonly read: () => OverlayStats,
    intervalMs: number,
  ) {
    this.el = document.createElement('div');
    this.el.className = 'vjs-p2p';
    this.el.setAttribute('aria-live', 'off');
    // Inline so the overlay needs no stylesheet (WordPress drop-in); sites restyle `.vjs-p2p` with !important.
    Object.assign(this.el.style, {
      position: 'absolute',
      top: '0.5em',
      right: '0.5em',
      padding: '0.2em 0.5em',
      font: '11px/1.4 sans-serif',
      color: '#fff',
      background: 'rgba(0,0,0,0.55)',
      borderRadius: '3px',
      pointerEvents: 'none',
      zIndex: '2',
    });
    parent.appendChild(this.el);
    this.update();
    this.timer = setInterval(() => this.update(), intervalMs);
  }

  update(): void {
    const { stats, active } = this.read();
    const total = stats.httpBytes + stats.p2pBytes;
    const share = total > 0 ? Math.round((100 * stats.p2pBytes) / total) : 0;
    // The same viewer is in one swarm per rendition (video, audio): the largest swarm is the viewer count.
    const peers = Math.max(0, ...Object.values(stats.peersBySwarm));
    this.el.dataset.p2pShare = String(share);
    this.el.dataset.peers = String(peers);
    this.el.textContent = active ? `P2P ${share}% · ${peers} peer${peers === 1 ? '' : 's'}` : 'P2P off';
  }

  destroy(): void {
    clearInterval(this.timer);
    this.el.remove();
  }
}
