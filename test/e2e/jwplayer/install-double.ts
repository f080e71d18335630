/** Makes the contract double the page's `window.jwplayer` before the plugin module loads (as a script tag would). */
import { jwplayer } from './jw-double.js';

(window as unknown as { jwplayer: typeof jwplayer }).jwplayer = jwplayer;
