/** hls.js as a page global (UMD script tag), as the demo, samples and e2e pages load it. */
import type Hls from 'hls.js';

declare global {
  interface Window {
    Hls: typeof Hls;
  }
}
