/**
 * One call to start what every test, benchmark and the demo need: the origin serving the fixtures (with its
 * byte meter, throttle and live simulator), a real WebTorrent tracker on 127.0.0.1, and a control server.
 */
import { startOrigin, type Origin, type OriginOptions } from './origin/index.js';
import { startTestTracker, type TestTracker } from './test-tracker.js';
import { startControlServer, type ControlServer } from './control.js';

export interface StackOptions {
  origin?: OriginOptions;
  /** Start a tracker (default true). */
  tracker?: boolean;
  /** Start the control server (default true). */
  control?: boolean;
}

export interface Stack {
  readonly origin: Origin;
  readonly originUrl: string;
  readonly tracker: TestTracker | undefined;
  readonly trackerUrl: string;
  readonly controlUrl: string;
  /** What browser code needs to reach the servers. */
  env(): StackEnv;
  close(): Promise<void>;
}

export interface StackEnv {
  originUrl: string;
  trackerUrl: string;
  controlUrl: string;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const origin = await startOrigin(options.origin);
  const tracker = options.tracker === false ? undefined : await startTestTracker();
  const control: ControlServer | undefined = options.control === false ? undefined : await startControlServer(tracker);
  const env: StackEnv = { originUrl: origin.url, trackerUrl: tracker?.url ?? '', controlUrl: control?.url ?? '' };
  return {
    origin,
    originUrl: env.originUrl,
    tracker,
    trackerUrl: env.trackerUrl,
    controlUrl: env.controlUrl,
    env: () => ({ ...env }),
    async close() {
      await Promise.all([origin.close(), tracker?.close(), control?.close()]);
    },
  };
}
