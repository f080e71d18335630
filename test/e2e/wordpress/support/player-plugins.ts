/**
 * What the WordPress e2e installs next to swarmcast and checks on its pages: two player plugins as sites run them
 * (a Video.js one, and Flowplayer 7 under FV Player's script handles), and the page checks the tests share.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { WpPageReport } from '../probe-entry.js';
import type { WpViewer } from './viewers.js';

export const VIDEOJS_PLUGIN = 'e2e-videojs-player/e2e-videojs-player.php';
/** A Video.js player plugin as many sites run one: it renders the `[video]` shortcode with Video.js. */
const VIDEOJS_PLAYER_PHP = `<?php
/**
 * Plugin Name: e2e Video.js player
 * Description: Renders the [video] shortcode with Video.js (handle "videojs"), as Video.js player plugins do.
 */
add_filter(
	'wp_video_shortcode_override',
	static function ( $html, $attr ) {
		wp_enqueue_script( 'videojs', plugins_url( 'video.min.js', __FILE__ ), array(), '8', true );
		wp_enqueue_style( 'videojs', plugins_url( 'video-js.min.css', __FILE__ ), array(), '8' );
		return sprintf(
			'<video-js class="video-js" controls preload="auto" width="640" height="360" data-setup="{}"><source src="%s" type="application/x-mpegURL"></video-js>',
			esc_url( $attr['src'] ?? '' )
		);
	},
	10,
	2
);
`;

export const FV_PLUGIN = 'e2e-fv-player/e2e-fv-player.php';
/**
 * FV Player itself is on WordPress.org only (not reachable here): this stand-in registers Flowplayer 7.2.7 and
 * hls.js under FV Player's own script handles ("flowplayer", "flowplayer-hlsjs") and, like FV Player, creates its
 * players at DOM ready from the markup it prints.
 */
const FV_PLAYER_PHP = `<?php
/**
 * Plugin Name: e2e FV Player stand-in
 * Description: Flowplayer 7 under FV Player's script handles, rendering the [video] shortcode.
 */
add_filter(
	'wp_video_shortcode_override',
	static function ( $html, $attr ) {
		wp_enqueue_style( 'flowplayer', plugins_url( 'skin/skin.css', __FILE__ ), array(), '7.2.7' );
		wp_enqueue_script( 'flowplayer', plugins_url( 'flowplayer.min.js', __FILE__ ), array(), '7.2.7', true );
		wp_enqueue_script( 'flowplayer-hlsjs', plugins_url( 'hls.min.js', __FILE__ ), array( 'flowplayer' ), '1', true );
		wp_enqueue_script( 'e2e-fv-init', plugins_url( 'init.js', __FILE__ ), array( 'flowplayer-hlsjs' ), '1', true );
		return sprintf( '<div class="e2e-fv" style="width:640px;height:360px" data-src="%s"></div>', esc_url( $attr['src'] ?? '' ) );
	},
	10,
	2
);
`;
const FV_INIT_JS = `document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('.e2e-fv').forEach(function (el) {
    // FV Player turns Flowplayer's Chromecast off (it would load Google's cast_sender.js).
    flowplayer(el, {
      chromecast: false,
      clip: { sources: [{ type: 'application/x-mpegurl', src: el.getAttribute('data-src') }] },
    });
  });
});
`;

/**
 * Console errors of a Flowplayer 7 page, less those of the free build's branding logo (an <img> from Flowplayer's
 * CDN, which the test browser cannot resolve: nothing leaves 127.0.0.1). FV Player's own build has no such logo.
 */
export function withoutFlowplayerLogo(v: WpViewer): string[] {
  let logos = v.failed.filter((f) => f.url.endsWith('.cloudfront.net/logo.png')).length;
  return v.errors.filter((e) => !(e === 'Failed to load resource: net::ERR_NAME_NOT_RESOLVED' && logos-- > 0));
}

/**
 * Stalls a viewer could see: at least one frame long. Video.js can report a `waiting` that ends within a
 * millisecond with seconds of buffer ahead, which no one sees; anything a frame or longer still fails the test.
 */
const FRAME_MS = 40;
export function visibleStalls(r: WpPageReport): unknown[] {
  return (r.playback?.stalls ?? []).filter((s) => s.durationMs >= FRAME_MS);
}

export function pluginScripts(r: WpPageReport): string[] {
  return r.scripts.filter((src) => src.includes('/wp-content/plugins/swarmcast/'));
}

/** Index of the first script whose URL contains `part`, asserting it is on the page. */
export function scriptIndex(r: WpPageReport, part: string): number {
  const i = r.scripts.findIndex((src) => src.includes(part));
  assert.ok(i >= 0, `no script ${part} on the page: ${r.scripts.join(', ')}`);
  return i;
}

/** The two player plugins' folders (copied into wp-content/plugins, not activated), from the checkout's packages. */
export function playerPlugins(root: string): Record<string, Record<string, string | Buffer>> {
  const vjs = (file: string): Buffer => readFileSync(path.join(root, 'node_modules/video.js/dist', file));
  const fp = (file: string): Buffer => readFileSync(path.join(root, 'node_modules/flowplayer/dist', file));
  return {
    'e2e-videojs-player': {
      'e2e-videojs-player.php': VIDEOJS_PLAYER_PHP,
      'video.min.js': vjs('video.min.js'),
      'video-js.min.css': vjs('video-js.min.css'),
    },
    'e2e-fv-player': {
      'e2e-fv-player.php': FV_PLAYER_PHP,
      'init.js': FV_INIT_JS,
      'flowplayer.min.js': fp('flowplayer.min.js'),
      'hls.min.js': readFileSync(path.join(root, 'node_modules/hls.js/dist/hls.min.js')),
      'skin/skin.css': fp('skin/skin.css'),
      ...Object.fromEntries(
        ['ttf', 'svg', 'woff', 'woff2', 'eot'].map((ext) => [
          `skin/icons/flowplayer.${ext}`,
          fp(`skin/icons/flowplayer.${ext}`),
        ]),
      ),
    },
  };
}
