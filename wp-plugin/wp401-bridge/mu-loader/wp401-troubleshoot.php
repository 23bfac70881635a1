<?php
/**
 * Plugin Name: wp401 troubleshooting loader
 * Description: Installed by the wp401 Bridge plugin. For a request signed with the bridge key it can leave named plugins out of that one request. Removed when the bridge is deactivated.
 * Version: 0.1.0
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
		WP401_Ledger::maybe_start();
		WP401_Troubleshoot::boot();
	}
	unset( $wp401_loader_target, $wp401_loader_active );
}
