/** The tracker `npm start` embeds: bittorrent-tracker 10.0.12's server until swarmcast's own tracker lands. */
import { startTestTracker } from '../test/support/test-tracker.js';

export interface DemoTracker {
  url: string;
  kind: string;
  close(): Promise<void>;
}

export async function startDemoTracker(port: number): Promise<DemoTracker> {
  const tracker = await startTestTracker({ port });
  return { url: tracker.url, kind: 'bittorrent-tracker 10.0.12', close: () => tracker.close() };
}
