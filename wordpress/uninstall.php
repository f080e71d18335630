<?php
/**
 * Deleting the plugin (not deactivating it) removes everything it stored: its settings and the per-post
 * opt-out meta, on every site of a network.
 *
 * @package Swarmcast
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

/**
 * Removes the plugin's data from the current site.
 */
function swarmcast_uninstall_site(): void {
	delete_option( 'swarmcast_options' );
	delete_post_meta_by_key( '_swarmcast_disabled' );
}

if ( is_multisite() ) {
	$swarmcast_site_ids = get_sites(
		array(
			'fields' => 'ids',
			'number' => 0,
		)
	);
	foreach ( $swarmcast_site_ids as $swarmcast_site_id ) {
		switch_to_blog( (int) $swarmcast_site_id );
		swarmcast_uninstall_site();
		restore_current_blog();
	}
} else {
	swarmcast_uninstall_site();
}
