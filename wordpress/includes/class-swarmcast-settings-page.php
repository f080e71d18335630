<?php
/**
 * Settings → swarmcast P2P: the settings page, through the Settings API (options.php checks the nonce made by
 * settings_fields() and the manage_options capability before our sanitize callback runs).
 *
 * @package Swarmcast
 */

defined( 'ABSPATH' ) || exit;

/**
 * The settings page.
 */
final class Swarmcast_Settings_Page {

	const SLUG  = 'swarmcast';
	const GROUP = 'swarmcast';

	/**
	 * Hooks the page, the setting and the plugins-list link.
	 */
	public function register(): void {
		add_action( 'admin_init', array( $this, 'register_setting' ) );
		add_action( 'admin_menu', array( $this, 'add_page' ) );
		add_filter( 'plugin_action_links_' . plugin_basename( SWARMCAST_FILE ), array( $this, 'action_links' ) );
	}

	/**
	 * The option, its sanitizer and the page's sections and fields.
	 */
	public function register_setting(): void {
		register_setting(
			self::GROUP,
			Swarmcast_Options::OPTION,
			array(
				'type'              => 'array',
				'sanitize_callback' => array( Swarmcast_Options::class, 'sanitize' ),
				'default'           => Swarmcast_Options::defaults(),
				'show_in_rest'      => false,
			)
		);

		add_settings_section( 'swarmcast_network', __( 'Peers', 'swarmcast' ), array( $this, 'network_intro' ), self::SLUG );
		$this->field( 'tracker_urls', __( 'Tracker URLs', 'swarmcast' ), 'swarmcast_network' );
		$this->field( 'stun_urls', __( 'STUN servers', 'swarmcast' ), 'swarmcast_network' );
		$this->field( 'turn_urls', __( 'TURN servers', 'swarmcast' ), 'swarmcast_network' );
		$this->field( 'turn_username', __( 'TURN username', 'swarmcast' ), 'swarmcast_network' );
		$this->field( 'turn_credential', __( 'TURN credential', 'swarmcast' ), 'swarmcast_network' );

		add_settings_section( 'swarmcast_sharing', __( 'Sharing', 'swarmcast' ), '__return_null', self::SLUG );
		$this->field( 'upload_enabled', __( 'Upload to other viewers', 'swarmcast' ), 'swarmcast_sharing' );
		$this->field( 'upload_cap_kbps', __( 'Upload cap', 'swarmcast' ), 'swarmcast_sharing' );
		$this->field( 'integrity', __( 'Integrity checks', 'swarmcast' ), 'swarmcast_sharing' );
		$this->field( 'live_delay_sec', __( 'Live delay', 'swarmcast' ), 'swarmcast_sharing' );

		add_settings_section( 'swarmcast_players', __( 'Players', 'swarmcast' ), '__return_null', self::SLUG );
		$this->field( 'players', __( 'P2P for', 'swarmcast' ), 'swarmcast_players' );
		$this->field( 'videojs_handles', __( 'Video.js script handles', 'swarmcast' ), 'swarmcast_players' );
		$this->field( 'flowplayer_handles', __( 'FV Player / Flowplayer script handles', 'swarmcast' ), 'swarmcast_players' );
	}

	/**
	 * Settings → swarmcast P2P.
	 */
	public function add_page(): void {
		add_options_page(
			__( 'swarmcast P2P', 'swarmcast' ),
			__( 'swarmcast P2P', 'swarmcast' ),
			'manage_options',
			self::SLUG,
			array( $this, 'render' )
		);
	}

	/**
	 * "Settings" next to Deactivate on the plugins list.
	 *
	 * @param string[] $links Existing links.
	 * @return string[]
	 */
	public function action_links( array $links ): array {
		$url = admin_url( 'options-general.php?page=' . self::SLUG );
		array_unshift( $links, '<a href="' . esc_url( $url ) . '">' . esc_html__( 'Settings', 'swarmcast' ) . '</a>' );
		return $links;
	}

	/**
	 * The page.
	 */
	public function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		?>
		<div class="wrap">
			<h1><?php echo esc_html( get_admin_page_title() ); ?></h1>
			<p>
				<?php esc_html_e( 'Viewers watching the same HLS or DASH video fetch its segments from each other over WebRTC, and from your server whenever no peer can deliver in time: playback never waits for the swarm. The players already on your pages get it without changes to posts or themes.', 'swarmcast' ); ?>
			</p>
			<form action="options.php" method="post">
				<?php
				settings_fields( self::GROUP );
				do_settings_sections( self::SLUG );
				submit_button();
				?>
			</form>
		</div>
		<?php
	}

	/**
	 * Intro of the Peers section.
	 */
	public function network_intro(): void {
		echo '<p>' . esc_html__( 'Viewers of a video find each other through a WebTorrent tracker and connect directly (WebRTC). STUN lets browsers behind NAT connect; TURN relays the viewers that cannot connect directly (its credential is visible in your pages, as every WebRTC setting is).', 'swarmcast' ) . '</p>';
	}

	/**
	 * Registers one field rendered by render_field().
	 *
	 * @param string $key     Setting key.
	 * @param string $label   Label.
	 * @param string $section Section id.
	 */
	private function field( string $key, string $label, string $section ): void {
		add_settings_field(
			'swarmcast_' . $key,
			$label,
			array( $this, 'render_field' ),
			self::SLUG,
			$section,
			array(
				'key'       => $key,
				'label_for' => in_array( $key, array( 'upload_enabled', 'players' ), true ) ? '' : 'swarmcast_' . $key,
			)
		);
	}

	/**
	 * One field, escaped.
	 *
	 * @param array{key: string} $args Field arguments.
	 */
	public function render_field( array $args ): void {
		$o    = Swarmcast_Options::get();
		$key  = $args['key'];
		$id   = 'swarmcast_' . $key;
		$name = Swarmcast_Options::OPTION . '[' . $key . ']';
		switch ( $key ) {
			case 'tracker_urls':
			case 'stun_urls':
			case 'turn_urls':
				printf(
					'<textarea id="%1$s" name="%2$s" rows="3" cols="60" class="large-text code">%3$s</textarea>',
					esc_attr( $id ),
					esc_attr( $name ),
					esc_textarea( implode( "\n", (array) $o[ $key ] ) )
				);
				$help = array(
					'tracker_urls' => __( 'One wss:// URL per line. The defaults are public trackers, fine for a try; run your own in production.', 'swarmcast' ),
					'stun_urls'    => __( 'One stun: URL per line. Empty: only viewers on the same network connect.', 'swarmcast' ),
					'turn_urls'    => __( 'Optional, one turn: or turns: URL per line.', 'swarmcast' ),
				);
				$this->help( $help[ $key ] );
				break;
			case 'turn_username':
			case 'turn_credential':
				printf(
					'<input type="text" id="%1$s" name="%2$s" value="%3$s" class="regular-text" autocomplete="off" />',
					esc_attr( $id ),
					esc_attr( $name ),
					esc_attr( (string) $o[ $key ] )
				);
				break;
			case 'upload_enabled':
				printf(
					'<label><input type="checkbox" id="%1$s" name="%2$s" value="1" %3$s /> %4$s</label>',
					esc_attr( $id ),
					esc_attr( $name ),
					checked( (bool) $o[ $key ], true, false ),
					esc_html__( 'Viewers also send the segments they hold to other viewers (off: they only receive).', 'swarmcast' )
				);
				break;
			case 'upload_cap_kbps':
			case 'live_delay_sec':
				printf(
					'<input type="number" id="%1$s" name="%2$s" value="%3$d" min="0" max="%4$d" step="1" class="small-text" /> %5$s',
					esc_attr( $id ),
					esc_attr( $name ),
					(int) $o[ $key ],
					'upload_cap_kbps' === $key ? 1000000 : 120,
					'upload_cap_kbps' === $key ? esc_html__( 'kbit/s per video, 0 = no cap', 'swarmcast' ) : esc_html__( 'seconds', 'swarmcast' )
				);
				if ( 'live_delay_sec' === $key ) {
					$this->help( __( 'Live streams only: play this far behind the live edge so peers have time to share each new segment (more offload, more latency). 0 = the player\'s own latency.', 'swarmcast' ) );
				}
				break;
			case 'integrity':
				$labels = array(
					'auto'       => __( 'Automatic (recommended)', 'swarmcast' ),
					'hash-list'  => __( 'Hash list from the origin', 'swarmcast' ),
					'spot-check' => __( 'Spot checks against the origin', 'swarmcast' ),
					'off'        => __( 'Off (not recommended)', 'swarmcast' ),
				);
				printf( '<select id="%1$s" name="%2$s">', esc_attr( $id ), esc_attr( $name ) );
				foreach ( Swarmcast_Options::INTEGRITY_MODES as $mode ) {
					printf( '<option value="%1$s" %2$s>%3$s</option>', esc_attr( $mode ), selected( $o[ $key ], $mode, false ), esc_html( $labels[ $mode ] ) );
				}
				echo '</select>';
				$this->help( __( 'How segments received from other viewers are checked before they are played. Automatic: against the hash list your origin publishes next to the playlist, else by spot checks against your origin.', 'swarmcast' ) );
				break;
			case 'players':
				$labels = array(
					'mediaelement' => __( 'WordPress video shortcode and Video block (MediaElement.js): also plays .m3u8 (HLS) sources through hls.js, shipped with this plugin', 'swarmcast' ),
					'videojs'      => __( 'Video.js-based players', 'swarmcast' ),
					'flowplayer'   => __( 'FV Player (Flowplayer 7), HLS videos', 'swarmcast' ),
				);
				echo '<fieldset>';
				foreach ( Swarmcast_Options::PLAYERS as $player ) {
					printf(
						'<label><input type="checkbox" name="%1$s[%2$s]" value="1" %3$s /> %4$s</label><br />',
						esc_attr( $name ),
						esc_attr( $player ),
						checked( in_array( $player, (array) $o['players'], true ), true, false ),
						esc_html( $labels[ $player ] )
					);
				}
				echo '</fieldset>';
				break;
			case 'videojs_handles':
			case 'flowplayer_handles':
				printf(
					'<input type="text" id="%1$s" name="%2$s" value="%3$s" class="regular-text code" />',
					esc_attr( $id ),
					esc_attr( $name ),
					esc_attr( implode( ', ', (array) $o[ $key ] ) )
				);
				$this->help( __( 'The handle under which your player plugin enqueues its script, if not one of these; scripts named video.min.js (Video.js) or freedomplayer.min.js / flowplayer.min.js are found without it.', 'swarmcast' ) );
				break;
		}
	}

	/**
	 * Help line under a field.
	 *
	 * @param string $text Help text.
	 */
	private function help( string $text ): void {
		echo '<p class="description">' . esc_html( $text ) . '</p>';
	}
}
