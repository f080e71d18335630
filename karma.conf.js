// Karma configuration for the browser suite (test/browser/**): Mocha + Chai in headless Debian Chromium and
// Debian Firefox ESR, one after the other. Run it through `npm test -- browser`: scripts/test.ts starts a real
// origin, a real tracker and a control server first and hands their URLs to the page as
// `__karma__.config.swarmcast` (see test/browser/env.ts). Firefox gathers no ICE candidate on loopback alone, so
// with Firefox in the run the whole suite (Karma, servers, both browsers) runs in a network namespace the runner
// makes (test/support/netns.ts).
import { FIREFOX_PREFS } from './test/support/firefox-prefs.js';

const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  // In the namespace Chromium sees a non-loopback address too; its host candidates must be that address, not
  // mDNS names (which nothing resolves there). Firefox's profile turns its own obfuscation off likewise.
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

/** Karma launcher names by the names `SWARMCAST_BROWSERS` (scripts/test.ts) takes. */
export const KARMA_BROWSERS = { chromium: 'ChromiumHeadlessDebian', firefox: 'FirefoxHeadlessDebian' };

/** @param {{ set(config: Record<string, unknown>): void }} config */
export default function karmaConfig(config) {
  config.set({
    frameworks: ['mocha'],
    files: [{ pattern: 'test/browser/**/*.test.ts', watched: false }],
    preprocessors: { 'test/browser/**/*.ts': ['esbuild'] },
    esbuild: {
      target: 'es2022',
      sourcemap: 'inline',
      // Each test file is its own bundle so one broken import fails one file, not the whole suite.
      singleBundle: false,
    },
    plugins: [
      'karma-mocha',
      'karma-esbuild',
      'karma-chrome-launcher',
      'karma-firefox-launcher',
      'karma-mocha-reporter',
    ],
    reporters: ['mocha'],
    mochaReporter: { output: 'minimal' },
    browsers: Object.values(KARMA_BROWSERS),
    customLaunchers: {
      ChromiumHeadlessDebian: { base: 'ChromeHeadless', flags: CHROMIUM_FLAGS },
      // Not the launcher's FirefoxHeadless: that one also opens a debugger server on fixed port 6000.
      // FIREFOX_BIN (set by scripts/test.ts) points it at Debian's firefox-esr.
      FirefoxHeadlessDebian: { base: 'Firefox', flags: ['-headless'], prefs: FIREFOX_PREFS },
    },
    client: { mocha: { timeout: 60000, reporter: 'html' }, captureConsole: true },
    browserConsoleLogOptions: { level: 'warn', terminal: true },
    singleRun: true,
    autoWatch: false,
    concurrency: 1,
    captureTimeout: 120000,
    browserNoActivityTimeout: 300000,
    browserDisconnectTimeout: 30000,
    browserDisconnectTolerance: 0,
    hostname: '127.0.0.1',
    listenAddress: '127.0.0.1',
  });
}
