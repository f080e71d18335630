/**
 * wp-admin as a site owner uses it, through its own forms in Chromium: log in, upload and activate a plugin zip,
 * fill in the swarmcast settings page, tick the per-post box in the block editor, deactivate and delete.
 * Posts are published through the REST API with the logged-in user's cookie and REST nonce.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { WordPressSite } from './site.js';

export const PLUGIN_FILE = 'swarmcast/swarmcast.php';

export async function logIn(context: BrowserContext, site: WordPressSite): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${site.url}/wp-login.php`);
  await page.fill('#user_login', site.admin.user);
  await page.fill('#user_pass', site.admin.password);
  await Promise.all([page.waitForURL(/\/wp-admin\/?$/), page.click('#wp-submit')]);
  return page;
}

/** Plugins → Add New → Upload Plugin → Install Now → Activate Plugin. Returns the success messages seen. */
export async function uploadAndActivate(page: Page, site: WordPressSite, zip: string): Promise<string> {
  await page.goto(`${site.url}/wp-admin/plugin-install.php?tab=upload`);
  await page.setInputFiles('#pluginzip', zip);
  await Promise.all([page.waitForURL(/update\.php\?action=upload-plugin/), page.click('#install-plugin-submit')]);
  const installed = (await page.textContent('.wrap')) ?? '';
  if (!installed.includes('Plugin installed successfully')) throw new Error(`install failed: ${installed.trim()}`);
  await Promise.all([page.waitForURL(/plugins\.php/), page.click('a:has-text("Activate Plugin")')]);
  return `${installed.trim()} / ${((await page.textContent('#message')) ?? '').trim()}`;
}

async function pluginAction(
  page: Page,
  site: WordPressSite,
  file: string,
  action: 'activate' | 'deactivate',
): Promise<void> {
  await page.goto(`${site.url}/wp-admin/plugins.php`);
  const link = page.locator(`tr[data-plugin="${file}"] .${action} a`);
  await Promise.all([page.waitForURL(/plugins\.php\?.*(activate|deactivate)=true/), link.click()]);
}

export const activatePlugin = (page: Page, site: WordPressSite, file: string): Promise<void> =>
  pluginAction(page, site, file, 'activate');
export const deactivatePlugin = (page: Page, site: WordPressSite, file: string): Promise<void> =>
  pluginAction(page, site, file, 'deactivate');

/** Plugins → Delete (an inactive plugin): WordPress asks for confirmation, then deletes it (running uninstall.php). */
export async function deletePlugin(page: Page, site: WordPressSite, file: string): Promise<void> {
  await page.goto(`${site.url}/wp-admin/plugins.php`);
  page.once('dialog', (d) => void d.accept());
  await page.locator(`tr[data-plugin="${file}"] .delete a`).click();
  await page.waitForSelector(`tr[data-plugin="${file}"].deleted, .plugin-deleted-tr`, { timeout: 30000 });
}

export interface SettingsForm {
  trackerUrls: string[];
  stunUrls: string[];
  uploadEnabled: boolean;
  uploadCapKbps: number;
  integrity: 'auto' | 'hash-list' | 'spot-check' | 'off';
  liveDelaySec: number;
  players: ('mediaelement' | 'videojs' | 'flowplayer')[];
}

/** Settings → swarmcast P2P, filled in and saved; returns the notice WordPress shows after the save. */
export async function saveSettings(page: Page, site: WordPressSite, s: SettingsForm): Promise<string> {
  await openSettings(page, site);
  await page.fill('#swarmcast_tracker_urls', s.trackerUrls.join('\n'));
  await page.fill('#swarmcast_stun_urls', s.stunUrls.join('\n'));
  await page.setChecked('#swarmcast_upload_enabled', s.uploadEnabled);
  await page.fill('#swarmcast_upload_cap_kbps', String(s.uploadCapKbps));
  await page.selectOption('#swarmcast_integrity', s.integrity);
  await page.fill('#swarmcast_live_delay_sec', String(s.liveDelaySec));
  for (const player of ['mediaelement', 'videojs', 'flowplayer'] as const) {
    await page.setChecked(`input[name="swarmcast_options[players][${player}]"]`, s.players.includes(player));
  }
  await Promise.all([
    page.waitForURL(/options-general\.php\?page=swarmcast&settings-updated=true/),
    page.click('#submit'),
  ]);
  return ((await page.textContent('#setting-error-settings_updated, .notice')) ?? '').trim();
}

export async function openSettings(page: Page, site: WordPressSite): Promise<void> {
  await page.goto(`${site.url}/wp-admin/options-general.php?page=swarmcast`);
  await page.waitForSelector('#swarmcast_tracker_urls');
}

/** Publishes a post through the REST API as the logged-in admin; returns its id and URL. */
export async function publishPost(
  page: Page,
  site: WordPressSite,
  title: string,
  content: string,
): Promise<{ id: number; link: string }> {
  const request = page.context().request;
  const nonce = await (await request.get(`${site.url}/wp-admin/admin-ajax.php?action=rest-nonce`)).text();
  const res = await request.post(`${site.url}/?rest_route=/wp/v2/posts`, {
    headers: { 'X-WP-Nonce': nonce },
    data: { title, content, status: 'publish' },
  });
  if (!res.ok()) throw new Error(`publishing failed: ${res.status()} ${await res.text()}`);
  const post = (await res.json()) as { id: number; link: string };
  return { id: post.id, link: post.link };
}

/**
 * Block editor: ticks "No P2P on this post" in the swarmcast box and clicks Update; resolves once the editor has
 * saved the meta boxes (their own POST to post.php, nonce included).
 */
export async function optOutInEditor(page: Page, site: WordPressSite, postId: number): Promise<void> {
  await page.goto(`${site.url}/wp-admin/post.php?post=${postId}&action=edit`);
  // First visit: the welcome guide (a modal) covers the editor. Turn it off as its own close button would.
  await page.waitForFunction(() => {
    const wp = (window as unknown as { wp?: { data?: { select(s: string): unknown } } }).wp;
    return wp?.data?.select('core/edit-post') !== undefined;
  });
  await page.evaluate(() => {
    interface EditPost {
      isFeatureActive(f: string): boolean;
    }
    const data = (
      window as unknown as {
        wp: { data: { select(s: string): EditPost; dispatch(s: string): { toggleFeature(f: string): void } } };
      }
    ).wp.data;
    if (data.select('core/edit-post').isFeatureActive('welcomeGuide')) {
      data.dispatch('core/edit-post').toggleFeature('welcomeGuide');
    }
  });
  await page.locator('.components-modal__screen-overlay').waitFor({ state: 'detached', timeout: 10000 });
  const box = page.locator('#swarmcast_disabled');
  if (!(await box.isVisible())) {
    // Side meta boxes live at the bottom of the Post settings sidebar, in a collapsed panel on small screens.
    await page
      .locator('button:has-text("swarmcast P2P")')
      .first()
      .click()
      .catch(() => undefined);
  }
  await box.check();
  const saved = page.waitForResponse((r) => r.url().includes('meta-box-loader=1') && r.request().method() === 'POST', {
    timeout: 30000,
  });
  await page.locator('.editor-post-publish-button, button.editor-post-publish-button__button').first().click();
  const res = await saved;
  // post.php answers the meta box save with a redirect, as after any classic save.
  if (res.status() >= 400) throw new Error(`meta box save failed: ${res.status()}`);
}
