/** The parts of karma@6's public API that scripts/test.ts uses (karma ships no types). */
declare module 'karma' {
  export interface KarmaResults {
    success: number;
    failed: number;
    skipped?: number;
    error: boolean;
    exitCode: number;
  }
  export class Server {
    constructor(config: unknown, done?: (exitCode: number) => void);
    on(event: 'run_complete', cb: (browsers: unknown, results: KarmaResults) => void): this;
    on(event: 'browser_error', cb: (browser: unknown, error: unknown) => void): this;
    start(): Promise<void>;
  }
  export const config: {
    parseConfig(
      path: string | null,
      cliOptions: Record<string, unknown>,
      options: { promiseConfig: true; throwErrors: true },
    ): Promise<unknown>;
  };
}
