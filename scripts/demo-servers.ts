/**
 * The servers behind the demo dashboard, shared by `npm start` and the demo's e2e test: the origin on the
 * fixtures (with its live simulator), the embedded tracker, and a static server rooted at the repo for
 * samples/, dist/ and the players in node_modules/. Port 0 = any free port; a busy preferred port falls back
 * to a free one.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOrigin, type Origin } from '../test/support/origin/index.js';
import { startDemoTracker, type DemoTracker } from './demo-tracker.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface DemoPorts {
  originPort: number;
  trackerPort: number;
  pagesPort: number;
}

export const DEFAULT_DEMO_PORTS: DemoPorts = { originPort: 8080, trackerPort: 8000, pagesPort: 8081 };

export interface Demo {
  readonly origin: Origin;
  readonly tracker: DemoTracker;
  readonly pages: Origin;
  /** The dashboard's URL, with the origin and tracker in the query (plus `extra` parameters). */
  pageUrl(extra?: Record<string, string>): string;
  close(): Promise<void>;
}

async function withFallbackPort<T>(preferred: number, start: (port: number) => Promise<T>): Promise<T> {
  try {
    return await start(preferred);
  } catch (err) {
    if (preferred === 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    console.warn(`port ${preferred} is busy; using a free port instead`);
    return start(0);
  }
}

export async function startDemo(ports: DemoPorts = DEFAULT_DEMO_PORTS): Promise<Demo> {
  const origin = await withFallbackPort(ports.originPort, (port) => startOrigin({ port }));
  const tracker = await withFallbackPort(ports.trackerPort, (port) => startDemoTracker(port));
  const pages = await withFallbackPort(ports.pagesPort, (port) => startOrigin({ root: ROOT, port }));
  return {
    origin,
    tracker,
    pages,
    pageUrl(extra = {}) {
      const query = new URLSearchParams({ origin: origin.url, tracker: tracker.url, ...extra });
      return `${pages.url}/samples/index.html?${query.toString()}`;
    },
    async close() {
      await Promise.all([origin.close(), tracker.close(), pages.close()]);
    },
  };
}
