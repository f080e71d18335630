/** `withP2P(Hls)`: an hls.js subclass that takes a `p2p` key out of its config. One line for users. */
import type Hls from 'hls.js';
import type { HlsConfig } from 'hls.js';
import type { HlsJsP2POptions } from './options.js';
import { HlsJsP2P } from './p2p.js';

export type HlsP2PConfig = Partial<HlsConfig> & { p2p?: Partial<HlsJsP2POptions> };

export interface HlsWithP2P extends Hls {
  /** The integration (and its engine) owned by this instance; destroyed with it. */
  readonly p2p: HlsJsP2P;
}

export type HlsWithP2PClass = Omit<typeof Hls, 'prototype'> & (new (config?: HlsP2PConfig) => HlsWithP2P);

/**
 * Takes the hls.js class from the caller, so it works with whichever hls.js copy a player bundles.
 * `const hls = new (withP2P(Hls))({ p2p: { core: { trackerUrls: [...] } } })`.
 */
export function withP2P(HlsClass: typeof Hls): HlsWithP2PClass {
  class HlsP2P extends HlsClass implements HlsWithP2P {
    readonly p2p: HlsJsP2P;

    constructor(config: HlsP2PConfig = {}) {
      const { p2p: options, ...hlsConfig } = config;
      // Validate before hls.js allocates anything; an options error then leaves nothing to clean up.
      const p2p = new HlsJsP2P(options);
      // The user's own fLoader/pLoader stay in force as our fallbacks (attach() records and wraps them).
      super(hlsConfig);
      this.p2p = p2p;
      p2p.attach(this);
    }

    override destroy(): void {
      super.destroy();
      this.p2p.destroy();
    }
  }
  return HlsP2P;
}
