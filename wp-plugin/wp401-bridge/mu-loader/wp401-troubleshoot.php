<?php
/**
 * Plugin Name: wp401 bridge loader
 * Description: Installed by the wp401 Bridge plugin. Answers requests signed with the bridge key before other plugins run, and can leave named plugins out of one signed request. Removed when the bridge is deactivated.
 * Version: 0.2.0
 * WP401 Loader: 1
 * License: GPL-2.0-or-later
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

// Nothing to do unless the request claims a wp401 signature: ordinary visitors pay one isset().
if ( ! empty( $_SERVER['HTTP_X_WP401_SIGNATURE'] ) && defined( 'WP_PLUGIN_DIR' ) ) {
	$wp401_loader_target = WP_PLUGIN_DIR . '/wp401-bridge/includes/load.php';
	$wp401_loader_active = (array) get_option( 'active_plugins', array() );
	if ( is_multisite() ) {
		$wp401_loader_active = array_merge( $wp401_loader_active, array_keys( (array) get_site_option( 'active_sitewide_plugins', array() ) ) );
	}
	if ( is_readable( $wp401_loader_target ) && in_array( 'wp401-bridge/wp401-bridge.php', $wp401_loader_active, true ) ) {
		require_once $wp401_loader_target;
		WP401_Early_Door::register();
		WP401_Ledger::maybe_start();
		WP401_Troubleshoot::boot();
	}
	unset( $wp401_loader_target, $wp401_loader_active );
}

/**
 * The bridge left the active list without its deactivation hook (a "silent"
 * deactivation): clean up exactly as a normal deactivation does.
 *
 * @param mixed $old_value Previous active_plugins.
 * @param mixed $value     New active_plugins.
 */
function wp401_loader_watch_site( $old_value, $value ): void {
	$load = defined( 'WP_PLUGIN_DIR' ) ? WP_PLUGIN_DIR . '/wp401-bridge/includes/load.php' : '';
	if ( '' !== $load && is_readable( $load ) ) {
		require_once $load;
		WP401_Lifecycle::watch_site( $old_value, $value );
	}
}

/**
 * Same for a network deactivation.
 *
 * @param mixed $option    Option name.
 * @param mixed $value     New active_sitewide_plugins.
 * @param mixed $old_value Previous active_sitewide_plugins.
 */
function wp401_loader_watch_network( $option, $value, $old_value ): void {
	wp401_loader_watch_site( $old_value, $value );
}
add_action( 'update_option_active_plugins', 'wp401_loader_watch_site', 10, 2 );
add_action( 'update_site_option_active_sitewide_plugins', 'wp401_loader_watch_network', 10, 3 );
