<?php
/**
 * Per-post opt-out: a "swarmcast P2P" box on the edit screen of every public post type. A post that opts out is
 * shown with its players as they are without P2P (HLS sources still play through the bundled hls.js).
 *
 * @package Swarmcast
 */

defined( 'ABSPATH' ) || exit;

/**
 * The opt-out meta box and its post meta.
 */
final class Swarmcast_Meta_Box {

	/** Post meta set to '1' on posts that opted out (protected: leading underscore). */
	const META = '_swarmcast_disabled';

	const NONCE_ACTION = 'swarmcast_meta_box';
	const NONCE_NAME   = 'swarmcast_meta_nonce';

	/**
	 * Hooks.
	 */
	public function register(): void {
		add_action( 'init', array( $this, 'register_meta' ) );
		add_action( 'add_meta_boxes', array( $this, 'add' ) );
		add_action( 'save_post', array( $this, 'save' ), 10, 2 );
	}

	/**
	 * Whether P2P is off for this post.
	 *
	 * @param int $post_id Post id.
	 */
	public static function is_disabled( int $post_id ): bool {
		return '1' === get_post_meta( $post_id, self::META, true );
	}

	/**
	 * Declares the meta (type, single value, who may write it).
	 */
	public function register_meta(): void {
		register_meta(
			'post',
			self::META,
			array(
				'type'          => 'string',
				'single'        => true,
				'show_in_rest'  => false,
				'auth_callback' => static fn( $allowed, $meta_key, $post_id ) => current_user_can( 'edit_post', (int) $post_id ),
			)
		);
	}

	/**
	 * Adds the box to public post types.
	 */
	public function add(): void {
		foreach ( get_post_types( array( 'public' => true ) ) as $post_type ) {
			if ( 'attachment' === $post_type ) {
				continue;
			}
			add_meta_box( 'swarmcast', __( 'swarmcast P2P', 'swarmcast' ), array( $this, 'render' ), $post_type, 'side', 'low' );
		}
	}

	/**
	 * The box.
	 *
	 * @param WP_Post $post Post being edited.
	 */
	public function render( WP_Post $post ): void {
		wp_nonce_field( self::NONCE_ACTION, self::NONCE_NAME );
		printf(
			'<label><input type="checkbox" id="swarmcast_disabled" name="swarmcast_disabled" value="1" %1$s /> %2$s</label>',
			checked( self::is_disabled( $post->ID ), true, false ),
			esc_html__( 'No P2P on this post (videos load from your server only)', 'swarmcast' )
		);
	}

	/**
	 * Saves the box: our nonce, not an autosave or revision, and a user allowed to edit this post.
	 *
	 * @param int     $post_id Post id.
	 * @param WP_Post $post    Post.
	 */
	public function save( int $post_id, WP_Post $post ): void {
		$nonce = isset( $_POST[ self::NONCE_NAME ] ) ? sanitize_text_field( wp_unslash( $_POST[ self::NONCE_NAME ] ) ) : '';
		if ( '' === $nonce || ! wp_verify_nonce( $nonce, self::NONCE_ACTION ) ) {
			return;
		}
		if ( ( defined( 'DOING_AUTOSAVE' ) && DOING_AUTOSAVE ) || wp_is_post_revision( $post ) ) {
			return;
		}
		if ( ! current_user_can( 'edit_post', $post_id ) ) {
			return;
		}
		if ( ! empty( $_POST['swarmcast_disabled'] ) ) {
			update_post_meta( $post_id, self::META, '1' );
		} else {
			delete_post_meta( $post_id, self::META );
		}
	}
}
