/** The tracker `npm start` embeds: swarmcast's own, in-process (one process needs nothing else). */
import { createTracker } from '../tracker/index.js';

export interface DemoTracker {
  url: string;
  kind: string;
  close(): Promise<void>;
}

export async function startDemoTracker(port: number): Promise<DemoTracker> {
  const tracker = await createTracker({ port, host: '127.0.0.1' });
  return { url: tracker.url, kind: 'swarmcast tracker', close: () => tracker.close() };
}
