<?php
/**
 * Plugin Name:       swarmcast P2P
 * Description:       Viewers of the same video share its segments over WebRTC, so your server sends fewer bytes; playback never waits for them. Works with WordPress's own video player (and makes it play HLS .m3u8 sources), Video.js-based players and FV Player.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      8.2
 * Author:            swarmcast
 * License:           Apache-2.0
 * License URI:       https://www.apache.org/licenses/LICENSE-2.0
 * Text Domain:       swarmcast
 *
 * @package Swarmcast
 */

defined( 'ABSPATH' ) || exit;

define( 'SWARMCAST_VERSION', '0.1.0' );
define( 'SWARMCAST_FILE', __FILE__ );

// Written by the build: versions of the files it copied into js/.
if ( is_readable( __DIR__ . '/includes/build-info.php' ) ) {
	require_once __DIR__ . '/includes/build-info.php';
}
if ( ! defined( 'SWARMCAST_HLSJS_VERSION' ) ) {
	define( 'SWARMCAST_HLSJS_VERSION', SWARMCAST_VERSION );
}

require_once __DIR__ . '/includes/class-swarmcast-options.php';
require_once __DIR__ . '/includes/class-swarmcast-settings-page.php';
require_once __DIR__ . '/includes/class-swarmcast-meta-box.php';
require_once __DIR__ . '/includes/class-swarmcast-frontend.php';

( new Swarmcast_Settings_Page() )->register();
( new Swarmcast_Meta_Box() )->register();
( new Swarmcast_Frontend() )->register();
