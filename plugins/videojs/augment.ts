/// <reference types="video.js" preserve="true" />
/**
 * `player.p2p(...)` typed for TypeScript users of Video.js: importing `swarmcast/videojs` (for
 * `registerP2PPlugin(videojs)`) brings this augmentation of video.js's own `Player` declaration with it.
 * Type-only: nothing here exists at runtime. The reference above brings video.js's declarations into the program
 * even where nothing else imports video.js (else TS2664), and `preserve` keeps it in the emitted .d.ts. The `.js`
 * specifier resolves under `bundler`, `node16` and `nodenext`.
 */
import type { P2PPluginInstance } from './plugin.js';
import type { VideojsP2POptions } from './options.js';

/** What `player.p2p({...})` and `plugins: { p2p: {...} }` accept: any of the options, the rest default. */
export type VideojsP2PInput = Partial<VideojsP2POptions>;

// video.js declares `Player` as a default-exported class: only a default-exported interface merges with it.
declare module 'video.js/dist/types/player.js' {
  export default interface Player {
    /**
     * swarmcast's `p2p` plugin: the first call (with options) starts P2P for this player; later calls return the
     * same instance (stats, `setP2PEnabled`, events). Register it once with `registerP2PPlugin(videojs)`.
     */
    p2p(options?: VideojsP2PInput): P2PPluginInstance;
  }
}
