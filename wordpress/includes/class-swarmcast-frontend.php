<?php
/**
 * Front end: HLS sources in WordPress's own video shortcode and Video block, and the swarmcast bundles enqueued
 * after the script of each player found on the page, with the configuration passed by wp_add_inline_script().
 *
 * @package Swarmcast
 */

defined( 'ABSPATH' ) || exit;

/**
 * Player detection and script enqueueing.
 */
final class Swarmcast_Frontend {

	/** MIME type of HLS playlists, as MediaElement.js's hls.js renderer expects it. */
	const HLS_MIME = 'application/x-mpegurl';

	/** Script handles. */
	const HANDLE_HLS  = 'swarmcast-hls';
	const HANDLE_GLUE = 'swarmcast-wp';

	/**
	 * MediaElement.js tries its renderers in registration order, `html5` first: a browser that plays HLS itself
	 * (Safari, Chromium since 2025) would play the playlist natively, without hls.js, so without P2P (and Chromium
	 * fails on some streams). `native_hls` (hls.js) takes only HLS types, so moving it first changes nothing for
	 * other sources. The order array itself is edited, not a `renderers` option, so renderers registered later
	 * (Vimeo's) still count.
	 */
	const PREFER_HLSJS = "(function(o){if(!Array.isArray(o))return;var i=o.indexOf('native_hls');if(i>0){o.splice(i,1);o.unshift('native_hls');}})(window.mejs&&window.mejs.Renderers&&window.mejs.Renderers.order);";

	/** Script file names that identify a player whose handle is not in the settings. */
	const PLAYER_SCRIPT_PATTERNS = array(
		'videojs'    => '#/video(?:\.min)?\.js$#',
		'flowplayer' => '#/(?:freedomplayer|flowplayer)(?:\.min)?\.js$#',
	);

	/**
	 * A video shortcode with an HLS source was rendered on this page.
	 *
	 * @var bool
	 */
	private bool $hls_rendered = false;

	/**
	 * The HLS MIME type is added for the shortcode being rendered.
	 *
	 * @var bool
	 */
	private bool $mime_added = false;

	/**
	 * Hooks.
	 */
	public function register(): void {
		add_filter( 'wp_video_extensions', array( $this, 'video_extensions' ) );
		// Last, so another plugin's override (which replaces the whole shortcode) is seen.
		add_filter( 'wp_video_shortcode_override', array( $this, 'before_video_shortcode' ), PHP_INT_MAX, 2 );
		add_filter( 'wp_video_shortcode', array( $this, 'after_video_shortcode' ), 10, 2 );
		add_filter( 'render_block_core/video', array( $this, 'render_video_block' ), 10, 2 );
		// Before _wp_footer_scripts (priority 10): by then every shortcode and block has enqueued its player.
		add_action( 'wp_print_footer_scripts', array( $this, 'enqueue' ), 1 );
	}

	/**
	 * Whether a URL is an HLS playlist (path ending in .m3u8, whatever the query).
	 *
	 * @param mixed $url URL.
	 */
	public static function is_hls_url( $url ): bool {
		$path = wp_parse_url( (string) $url, PHP_URL_PATH );
		return is_string( $path ) && 1 === preg_match( '/\.m3u8$/i', $path );
	}

	/**
	 * Lets the shortcode accept .m3u8 sources (`src` and an `m3u8` attribute), and the video embed handler
	 * turn a pasted .m3u8 URL into a player.
	 *
	 * @param string[] $extensions Video file extensions.
	 * @return string[]
	 */
	public function video_extensions( array $extensions ): array {
		if ( ! in_array( 'm3u8', $extensions, true ) ) {
			$extensions[] = 'm3u8';
		}
		return $extensions;
	}

	/**
	 * Before the shortcode renders an HLS source: make .m3u8 a known type for this shortcode only (the shortcode
	 * checks sources with wp_check_filetype()). Added here and removed after, so .m3u8 never becomes an
	 * uploadable type.
	 *
	 * @param string               $override Output of another plugin replacing the shortcode, or ''.
	 * @param array<string, mixed> $attr     Shortcode attributes.
	 */
	public function before_video_shortcode( $override, $attr ) {
		if ( '' !== $override || ! is_array( $attr ) ) {
			return $override;
		}
		if ( self::is_hls_url( $attr['src'] ?? '' ) || self::is_hls_url( $attr['m3u8'] ?? '' ) ) {
			add_filter( 'mime_types', array( $this, 'hls_mime_type' ) );
			$this->mime_added = true;
		}
		return $override;
	}

	/**
	 * After the shortcode: remove the type again and remember that the page has an HLS video.
	 *
	 * @param string               $output Shortcode HTML.
	 * @param array<string, mixed> $atts   Shortcode attributes after defaults.
	 * @return string
	 */
	public function after_video_shortcode( $output, $atts ) {
		if ( $this->mime_added ) {
			remove_filter( 'mime_types', array( $this, 'hls_mime_type' ) );
			$this->mime_added = false;
		}
		if ( is_array( $atts ) && ( self::is_hls_url( $atts['src'] ?? '' ) || self::is_hls_url( $atts['m3u8'] ?? '' ) ) ) {
			$this->hls_rendered = true;
		}
		return $output;
	}

	/**
	 * The HLS playlist type.
	 *
	 * @param array<string, string> $mimes Extension pattern → MIME type.
	 * @return array<string, string>
	 */
	public function hls_mime_type( array $mimes ): array {
		$mimes['m3u8'] = self::HLS_MIME;
		return $mimes;
	}

	/**
	 * The Video block renders a bare <video>, which no browser but Safari plays from an .m3u8: such a block is
	 * rendered with the video shortcode's player instead (same attributes, caption kept).
	 *
	 * @param string               $content Block HTML.
	 * @param array<string, mixed> $block   Parsed block.
	 * @return string
	 */
	public function render_video_block( $content, $block ) {
		unset( $block );
		if ( ! is_string( $content ) || 1 !== preg_match( '#<video\b([^>]*)>.*?</video>#is', $content, $m, PREG_OFFSET_CAPTURE ) ) {
			return $content;
		}
		$attrs = array();
		foreach ( wp_kses_hair( $m[1][0], wp_allowed_protocols() ) as $name => $attr ) {
			$attrs[ strtolower( $name ) ] = $attr['value'];
		}
		if ( ! self::is_hls_url( $attrs['src'] ?? '' ) ) {
			return $content;
		}
		$shortcode = array( 'src' => $attrs['src'] );
		foreach ( array( 'poster', 'preload' ) as $name ) {
			if ( isset( $attrs[ $name ] ) ) {
				$shortcode[ $name ] = $attrs[ $name ];
			}
		}
		foreach ( array( 'autoplay', 'loop', 'muted' ) as $name ) {
			if ( isset( $attrs[ $name ] ) ) {
				$shortcode[ $name ] = 'true';
			}
		}
		$player = wp_video_shortcode( $shortcode );
		return substr_replace( $content, (string) $player, $m[0][1], strlen( $m[0][0] ) );
	}

	/**
	 * Enqueues, for each player on this page, our bundle after the player's own script, then the page script that
	 * starts P2P with the settings.
	 */
	public function enqueue(): void {
		if ( is_admin() ) {
			return;
		}
		$o           = Swarmcast_Options::get();
		$p2p_allowed = ! ( is_singular() && Swarmcast_Meta_Box::is_disabled( (int) get_queried_object_id() ) );
		$players     = $p2p_allowed ? (array) $o['players'] : array();
		$bundles     = array();

		if ( $this->hls_rendered ) {
			// Ours, never a CDN: MediaElement.js loads hls.js from jsDelivr when the page has no window.Hls.
			wp_register_script( self::HANDLE_HLS, self::asset( 'hls.min.js' ), array( 'mediaelement-core' ), SWARMCAST_HLSJS_VERSION, true );
			wp_add_inline_script( self::HANDLE_HLS, self::PREFER_HLSJS, 'after' );
			if ( in_array( 'mediaelement', $players, true ) ) {
				$bundles[] = $this->bundle( 'mediaelement', array( 'mediaelement-core', self::HANDLE_HLS ) );
			} else {
				wp_enqueue_script( self::HANDLE_HLS );
			}
		}
		foreach ( array( 'videojs', 'flowplayer' ) as $player ) {
			if ( ! in_array( $player, $players, true ) ) {
				continue;
			}
			$handle = $this->player_handle( (array) $o[ $player . '_handles' ], self::PLAYER_SCRIPT_PATTERNS[ $player ] );
			if ( null !== $handle ) {
				$bundles[] = $this->bundle( $player, array( $handle ) );
			}
		}
		if ( array() === $bundles ) {
			return;
		}
		wp_enqueue_script( self::HANDLE_GLUE, self::asset( 'swarmcast-wp.js' ), $bundles, SWARMCAST_VERSION, true );
		$config = array(
			'core'         => Swarmcast_Options::engine_settings( $o ),
			'liveDelaySec' => (int) $o['live_delay_sec'],
		);
		wp_add_inline_script(
			self::HANDLE_GLUE,
			'window.swarmcastWp = ' . wp_json_encode( $config, JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_SLASHES ) . ';',
			'before'
		);
	}

	/**
	 * Enqueues dist/umd/swarmcast-<player>.min.js after $deps.
	 *
	 * @param string   $player Player name.
	 * @param string[] $deps   Script handles it must follow.
	 * @return string Its handle.
	 */
	private function bundle( string $player, array $deps ): string {
		$handle = 'swarmcast-' . $player;
		wp_enqueue_script( $handle, self::asset( $handle . '.min.js' ), $deps, SWARMCAST_VERSION, true );
		return $handle;
	}

	/**
	 * The handle of a player's script on this page: a configured handle that is enqueued (or already printed),
	 * else an enqueued script whose file name is the player's.
	 *
	 * @param string[] $handles Configured handles.
	 * @param string   $pattern Player script file name pattern.
	 */
	private function player_handle( array $handles, string $pattern ): ?string {
		$scripts = wp_scripts();
		$on_page = static fn( $h ) => wp_script_is( $h, 'enqueued' ) || wp_script_is( $h, 'done' );
		foreach ( $handles as $handle ) {
			if ( $on_page( $handle ) ) {
				return $handle;
			}
		}
		foreach ( $scripts->registered as $handle => $script ) {
			$src = is_string( $script->src ) ? (string) wp_parse_url( $script->src, PHP_URL_PATH ) : '';
			if ( '' !== $src && 1 === preg_match( $pattern, $src ) && $on_page( $handle ) ) {
				return $handle;
			}
		}
		return null;
	}

	/**
	 * URL of a file in the plugin's js/ folder.
	 *
	 * @param string $file File name.
	 */
	private static function asset( string $file ): string {
		return plugins_url( 'js/' . $file, SWARMCAST_FILE );
	}
}
