/**
 * A real WordPress for the e2e, from Debian's `wordpress` package: a temp copy of /usr/share/wordpress (Debian's
 * wp-config.php reads /etc/wordpress, so the copy gets its own), PHP's built-in server on 127.0.0.1, MariaDB from
 * mariadb.ts, and the installer run through its own form (no WP-CLI in Debian, nothing fetched from outside).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { MariaDb } from './mariadb.js';

export const DEBIAN_WORDPRESS = '/usr/share/wordpress';

export interface WordPressSite {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** The copy's ABSPATH. */
  readonly root: string;
  readonly version: string;
  readonly admin: { user: string; password: string };
  /** PHP notices, warnings and errors logged by WordPress (WP_DEBUG_LOG) so far. */
  debugLog(): string;
  close(): Promise<void>;
}

export interface SiteOptions {
  /** Work folder (the copy, logs). */
  dir: string;
  db: MariaDb;
  /** Extra plugin folders copied into wp-content/plugins (not activated) and must-use plugins (always on). */
  plugins?: Record<string, Record<string, string | Buffer>>;
  muPlugins?: Record<string, string>;
}

/** Installed WordPress version of the Debian package, from wp-includes/version.php. */
export function debianWordPressVersion(): string | undefined {
  const file = path.join(DEBIAN_WORDPRESS, 'wp-includes/version.php');
  if (!existsSync(file)) return undefined;
  return /\$wp_version\s*=\s*'([^']+)'/.exec(readFileSync(file, 'utf8'))?.[1];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function wpConfig(root: string, db: MariaDb, dbPassword: string, logFile: string): string {
  const salt = (): string => randomBytes(32).toString('hex');
  const keys = ['AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY']
    .flatMap((k) => [k, k.replace('KEY', 'SALT')])
    .map((k) => `define( '${k}', '${salt()}' );`)
    .join('\n');
  return `<?php
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp' );
define( 'DB_PASSWORD', '${dbPassword}' );
define( 'DB_HOST', 'localhost:${db.socket}' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
${keys}
$table_prefix = 'wp_';
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_DISPLAY', false );
define( 'WP_DEBUG_LOG', '${logFile}' );
// Nothing leaves the machine: no update checks, no cron loopbacks, no outgoing HTTP at all.
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_AUTO_UPDATE_CORE', false );
define( 'DISABLE_WP_CRON', true );
define( 'FS_METHOD', 'direct' );
define( 'ABSPATH', '${root}/' );
require_once ABSPATH . 'wp-settings.php';
`;
}

/**
 * Keeps the pages of the test site off the network: no emoji CDN script, no Gravatar images (admin bar,
 * comments). A real site would load them; the test machine must not.
 */
const OFFLINE_MU_PLUGIN = `<?php
/**
 * Plugin Name: e2e offline
 */
remove_action( 'wp_head', 'print_emoji_detection_script', 7 );
remove_action( 'admin_print_scripts', 'print_emoji_detection_script' );
add_filter( 'pre_option_show_avatars', '__return_zero' );
add_filter( 'get_avatar_url', static fn() => includes_url( 'images/blank.gif' ) );
`;

/**
 * php -S router doing what WordPress's .htaccess does under Apache: existing files as they are, every other path
 * to index.php (so /favicon.ico, feeds and pretty permalinks reach WordPress instead of a bare 404).
 */
function router(root: string): string {
  return `<?php
$swarmcast_path = (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
if ( '/' !== $swarmcast_path && file_exists( '${root}' . $swarmcast_path ) ) {
	return false;
}
require '${root}/index.php';
`;
}

function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, body] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, body);
  }
}

async function waitForHttp(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 20000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`php -S exited (${server.exitCode}): ${log()}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`php -S not answering at ${url}: ${log()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

/** Copies, configures, serves and installs WordPress; the site is ready for an admin login when this resolves. */
export async function startWordPress(o: SiteOptions): Promise<WordPressSite> {
  const version = debianWordPressVersion();
  if (!version) throw new Error(`${DEBIAN_WORDPRESS} missing: apt-get install wordpress`);
  const root = path.join(o.dir, 'wordpress');
  const logFile = path.join(o.dir, 'wp-debug.log');
  const dbPassword = randomBytes(12).toString('hex');
  await o.db.sql(
    `CREATE DATABASE wordpress; CREATE USER 'wp'@'localhost' IDENTIFIED BY '${dbPassword}'; ` +
      `GRANT ALL ON wordpress.* TO 'wp'@'localhost';`,
  );
  // Debian's tree has symlinks into /usr/share/javascript and /etc/wordpress: copy what they point to.
  cpSync(DEBIAN_WORDPRESS, root, {
    recursive: true,
    dereference: true,
    filter: (src) => path.basename(src) !== '.htaccess',
  });
  writeFileSync(path.join(root, 'wp-config.php'), wpConfig(root, o.db, dbPassword, logFile));
  const routerFile = path.join(o.dir, 'router.php');
  writeFileSync(routerFile, router(root));
  writeTree(path.join(root, 'wp-content/mu-plugins'), { 'e2e-offline.php': OFFLINE_MU_PLUGIN, ...o.muPlugins });
  for (const [name, files] of Object.entries(o.plugins ?? {}))
    writeTree(path.join(root, 'wp-content/plugins', name), files);

  let server: ChildProcess | undefined;
  let url = '';
  let serverLog = '';
  for (let attempt = 0; attempt < 3 && !url; attempt++) {
    const port = await freePort();
    serverLog = '';
    server = spawn(
      'php',
      [
        '-d',
        'upload_max_filesize=16M',
        '-d',
        'post_max_size=16M',
        '-d',
        'memory_limit=256M',
        '-S',
        `127.0.0.1:${port}`,
        routerFile,
      ],
      // Several workers: two viewers and their page assets load at once.
      // Own process group: the workers are its children, stopped with it.
      {
        cwd: root,
        env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    const append = (chunk: Buffer): void => {
      serverLog = (serverLog + chunk.toString()).slice(-4000);
    };
    server.stdout?.on('data', append);
    server.stderr?.on('data', append);
    try {
      await waitForHttp(`http://127.0.0.1:${port}/readme.html`, server, () => serverLog);
      url = `http://127.0.0.1:${port}`;
    } catch (e) {
      killGroup(server, 'SIGKILL');
      if (attempt === 2) throw e;
    }
  }
  const php = server!;
  const admin = { user: 'e2e-admin', password: randomBytes(12).toString('base64url') };
  const install = await fetch(`${url}/wp-admin/install.php?step=2`, {
    method: 'POST',
    body: new URLSearchParams({
      weblog_title: 'swarmcast e2e',
      user_name: admin.user,
      admin_password: admin.password,
      admin_password2: admin.password,
      pw_weak: 'on',
      admin_email: 'e2e@example.com',
      blog_public: '0',
    }),
  });
  const page = await install.text();
  if (!install.ok || !page.includes('wp-login.php')) {
    throw new Error(`WordPress install failed (${install.status}): ${page.slice(0, 500)}`);
  }
  return {
    url,
    root,
    version,
    admin,
    debugLog: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
    async close() {
      if (php.exitCode === null) {
        const gone = new Promise<void>((resolve) => php.once('exit', () => resolve()));
        killGroup(php, 'SIGTERM');
        await gone;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}
