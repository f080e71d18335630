/**
 * Debian's Firefox ESR and the preferences every test profile gets (Karma's launcher and puppeteer-core alike).
 * Plain data, no imports: karma.conf.js loads it too.
 */
export const FIREFOX_PATH = process.env.FIREFOX_BIN ?? '/usr/bin/firefox-esr';

export const FIREFOX_PREFS: Readonly<Record<string, string | number | boolean>> = {
  // Muted autoplay without a gesture, as Chromium's --autoplay-policy=no-user-gesture-required.
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  // Several viewers are tabs of one window: a tab that is not selected must still start and play media, and
  // keep its timers at full rate (players and the engine's scheduler run on timers).
  'media.block-autoplay-until-in-foreground': false,
  'media.suspend-background-video.enabled': false,
  'dom.min_background_timeout_value': 4,
  'dom.min_background_timeout_value_without_budget_throttling': 4,
  'dom.timeout.enable_budget_timer_throttling': false,
  'dom.suspend_inactive.enabled': false,
  'dom.max_script_run_time': 0,
  // Plain host candidates (the namespace's own address), not mDNS names that other browsers cannot resolve;
  // Chromium viewers get the same with WebRtcHideLocalIpsWithMdns off.
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  // No background traffic (the namespace routes nowhere anyway; this keeps logs and CPU quiet).
  'app.update.auto': false,
  'app.update.enabled': false,
  'browser.shell.checkDefaultBrowser': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'toolkit.telemetry.enabled': false,
  'extensions.update.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.http.speculative-parallel-limit': 0,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.aboutwelcome.enabled': false,
  'services.settings.server': 'http://127.0.0.1:9/',
};
