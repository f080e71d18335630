/** Entry of js/swarmcast-wp.js: runs once, after the swarmcast bundles the plugin enqueued (see glue.ts). */
import { run, type GlueWindow } from './glue.js';

const win = window as unknown as GlueWindow & { swarmcastWpStarted?: string[] };
// Which players got P2P on this page, for support questions ("is swarmcast running here?").
win.swarmcastWpStarted = run(win);
