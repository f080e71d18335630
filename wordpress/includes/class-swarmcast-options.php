<?php
/**
 * The plugin's settings: one schema (type, default, label, help), read, sanitized and turned into the
 * configuration the browser bundles take. Everything else reads settings through this class.
 *
 * @package Swarmcast
 */

defined( 'ABSPATH' ) || exit;

/**
 * Settings schema, sanitizing and the player configuration built from it.
 */
final class Swarmcast_Options {

	/** Name of the single option row holding every setting. */
	const OPTION = 'swarmcast_options';

	/** Integrity modes, in the order the settings page lists them (the engine setting `integrity`). */
	const INTEGRITY_MODES = array( 'auto', 'hash-list', 'spot-check', 'off' );

	/** Players P2P can be turned on for. */
	const PLAYERS = array( 'mediaelement', 'videojs', 'flowplayer' );

	/** Longest list kept for any URL or handle field (a settings page is no place for thousands). */
	const MAX_LIST = 20;

	/**
	 * Defaults. The trackers and STUN servers are the engine's own defaults: public services, fine to try the
	 * plugin, to be replaced by your own tracker in production.
	 *
	 * @return array<string, mixed>
	 */
	public static function defaults(): array {
		return array(
			'tracker_urls'       => array(
				'wss://tracker.novage.com.ua',
				'wss://tracker.openwebtorrent.com',
				'wss://tracker.webtorrent.dev',
			),
			'stun_urls'          => array( 'stun:stun.l.google.com:19302', 'stun:global.stun.twilio.com:3478' ),
			'turn_urls'          => array(),
			'turn_username'      => '',
			'turn_credential'    => '',
			'upload_enabled'     => true,
			'upload_cap_kbps'    => 0,
			'integrity'          => 'auto',
			'players'            => self::PLAYERS,
			'live_delay_sec'     => 0,
			'videojs_handles'    => array( 'videojs', 'video-js', 'vjs' ),
			'flowplayer_handles' => array( 'flowplayer', 'freedomplayer' ),
		);
	}

	/**
	 * Current settings, defaults filled in for keys never saved.
	 *
	 * @return array<string, mixed>
	 */
	public static function get(): array {
		$saved = get_option( self::OPTION, array() );
		return array_merge( self::defaults(), is_array( $saved ) ? $saved : array() );
	}

	/**
	 * Settings API sanitize callback: every field is checked against the schema; a bad field keeps its previous
	 * value and says why on the settings page, the others are saved.
	 *
	 * @param mixed $input Raw `swarmcast_options` array from the form.
	 * @return array<string, mixed>
	 */
	public static function sanitize( $input ): array {
		$previous = self::get();
		if ( ! is_array( $input ) ) {
			return $previous;
		}
		$input = wp_unslash( $input );
		$out   = $previous;

		$trackers = self::url_list( $input['tracker_urls'] ?? '', array( 'wss', 'ws' ), 'tracker_urls', __( 'Tracker URLs', 'swarmcast' ) );
		if ( null !== $trackers ) {
			if ( array() === $trackers ) {
				self::error( 'tracker_urls', __( 'At least one tracker URL is needed: viewers find each other through it. The previous trackers were kept.', 'swarmcast' ) );
			} else {
				$out['tracker_urls'] = $trackers;
			}
		}
		$stun = self::url_list( $input['stun_urls'] ?? '', array( 'stun', 'stuns' ), 'stun_urls', __( 'STUN servers', 'swarmcast' ) );
		if ( null !== $stun ) {
			$out['stun_urls'] = $stun;
		}
		$turn = self::url_list( $input['turn_urls'] ?? '', array( 'turn', 'turns' ), 'turn_urls', __( 'TURN servers', 'swarmcast' ) );
		if ( null !== $turn ) {
			$out['turn_urls'] = $turn;
		}
		$out['turn_username']   = sanitize_text_field( (string) ( $input['turn_username'] ?? '' ) );
		$out['turn_credential'] = sanitize_text_field( (string) ( $input['turn_credential'] ?? '' ) );

		$out['upload_enabled'] = ! empty( $input['upload_enabled'] );
		$cap                   = self::int_in_range( $input['upload_cap_kbps'] ?? 0, 0, 1000000 );
		if ( null === $cap ) {
			self::error( 'upload_cap_kbps', __( 'The upload cap must be a whole number of kbit/s from 0 (no cap) to 1000000.', 'swarmcast' ) );
		} else {
			$out['upload_cap_kbps'] = $cap;
		}
		$delay = self::int_in_range( $input['live_delay_sec'] ?? 0, 0, 120 );
		if ( null === $delay ) {
			self::error( 'live_delay_sec', __( 'The live delay must be a whole number of seconds from 0 to 120.', 'swarmcast' ) );
		} else {
			$out['live_delay_sec'] = $delay;
		}

		$integrity = (string) ( $input['integrity'] ?? 'auto' );
		if ( in_array( $integrity, self::INTEGRITY_MODES, true ) ) {
			$out['integrity'] = $integrity;
		} else {
			self::error( 'integrity', __( 'Unknown integrity mode; the previous one was kept.', 'swarmcast' ) );
		}

		$out['players'] = self::player_list( $input['players'] ?? array() );

		$out['videojs_handles']    = self::handle_list( $input['videojs_handles'] ?? '' );
		$out['flowplayer_handles'] = self::handle_list( $input['flowplayer_handles'] ?? '' );
		return $out;
	}

	/**
	 * Engine settings (`core`) for the browser, from the saved settings.
	 *
	 * @param array<string, mixed> $o Settings as returned by get().
	 * @return array<string, mixed>
	 */
	public static function engine_settings( array $o ): array {
		$ice = array();
		if ( ! empty( $o['stun_urls'] ) ) {
			$ice[] = array( 'urls' => array_values( $o['stun_urls'] ) );
		}
		if ( ! empty( $o['turn_urls'] ) ) {
			$ice[] = array(
				'urls'       => array_values( $o['turn_urls'] ),
				'username'   => (string) $o['turn_username'],
				'credential' => (string) $o['turn_credential'],
			);
		}
		return array(
			'trackerUrls'           => array_values( $o['tracker_urls'] ),
			'rtcConfig'             => array( 'iceServers' => $ice ),
			'uploadEnabled'         => (bool) $o['upload_enabled'],
			// kbit/s → bytes/s.
			'uploadRateBytesPerSec' => (int) $o['upload_cap_kbps'] * 125,
			'integrity'             => (string) $o['integrity'],
		);
	}

	/**
	 * Parses a textarea of URLs (one per line) whose schemes are in $schemes.
	 *
	 * @param mixed    $raw     Textarea value.
	 * @param string[] $schemes Allowed schemes.
	 * @param string   $field   Field id, for the error.
	 * @param string   $label   Field label, for the error.
	 * @return string[]|null The URLs, or null when a line is invalid (reported; previous value kept).
	 */
	private static function url_list( $raw, array $schemes, string $field, string $label ): ?array {
		$lines = is_array( $raw ) ? $raw : preg_split( '/[\r\n]+/', (string) $raw );
		$urls  = array();
		foreach ( $lines as $line ) {
			$line = trim( (string) $line );
			if ( '' === $line ) {
				continue;
			}
			$scheme = strtolower( (string) strtok( $line, ':' ) );
			$valid  = in_array( $scheme, $schemes, true ) && 1 === preg_match( '#^[a-z]+:[^\s<>"\'\\\\]+$#i', $line );
			if ( $valid && in_array( $scheme, array( 'ws', 'wss' ), true ) ) {
				// Only the browser connects to a tracker: no DNS lookup or reachability check from here.
				$valid = '' !== (string) wp_parse_url( $line, PHP_URL_HOST );
			}
			if ( ! $valid ) {
				self::error(
					$field,
					sprintf(
						/* translators: 1: field label, 2: the rejected line, 3: allowed URL schemes */
						__( '%1$s: "%2$s" is not a valid URL (allowed: %3$s). The previous value was kept.', 'swarmcast' ),
						$label,
						$line,
						implode( ', ', array_map( static fn( $s ) => $s . ':', $schemes ) )
					)
				);
				return null;
			}
			$urls[] = $line;
		}
		return array_slice( array_values( array_unique( $urls ) ), 0, self::MAX_LIST );
	}

	/**
	 * Players ticked: the form sends `players[name] = 1`; a value already sanitized (WordPress sanitizes twice
	 * when the option is first added) is the list of names.
	 *
	 * @param mixed $raw Field value.
	 * @return string[]
	 */
	private static function player_list( $raw ): array {
		if ( ! is_array( $raw ) ) {
			return array();
		}
		$names = array_is_list( $raw ) ? $raw : array_keys( array_filter( $raw ) );
		return array_values( array_intersect( self::PLAYERS, array_map( 'strval', $names ) ) );
	}

	/**
	 * Script handles, comma or space separated (or already a list).
	 *
	 * @param mixed $raw Field value.
	 * @return string[]
	 */
	private static function handle_list( $raw ): array {
		$parts = is_array( $raw ) ? $raw : preg_split( '/[\s,]+/', (string) $raw, -1, PREG_SPLIT_NO_EMPTY );
		return array_slice( array_values( array_unique( array_map( 'sanitize_key', $parts ) ) ), 0, self::MAX_LIST );
	}

	/**
	 * An integer within [$min, $max], or null.
	 *
	 * @param mixed $raw Field value.
	 * @param int   $min Smallest allowed.
	 * @param int   $max Largest allowed.
	 */
	private static function int_in_range( $raw, int $min, int $max ): ?int {
		$raw = trim( (string) $raw );
		if ( '' === $raw ) {
			return $min;
		}
		if ( 1 !== preg_match( '/^\d+$/', $raw ) ) {
			return null;
		}
		$value = (int) $raw;
		return $value >= $min && $value <= $max ? $value : null;
	}

	/**
	 * Reports a rejected field on the settings page.
	 *
	 * @param string $field   Field id.
	 * @param string $message What was wrong.
	 */
	private static function error( string $field, string $message ): void {
		add_settings_error( self::OPTION, 'swarmcast_' . $field, $message, 'error' );
	}
}
