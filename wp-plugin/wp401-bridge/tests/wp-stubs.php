<?php
/**
 * For tests that run the ledger and troubleshooting code on WordPress's real
 * hook API (wp-includes/plugin.php) without a database: in-memory options and
 * transients and the few formatting helpers those classes call.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

$GLOBALS['wp401_test_store']   = array();
$GLOBALS['wp401_test_options'] = array();

if ( ! defined( 'WP_CONTENT_DIR' ) ) {
	define( 'WP_CONTENT_DIR', ABSPATH . 'wp-content' );
	define( 'WP_PLUGIN_DIR', WP_CONTENT_DIR . '/plugins' );
	define( 'WPMU_PLUGIN_DIR', WP_CONTENT_DIR . '/mu-plugins' );
}

function get_site_transient( $name ) {
	return $GLOBALS['wp401_test_store'][ $name ] ?? false;
}
function set_site_transient( $name, $value, $ttl = 0 ) {
	$GLOBALS['wp401_test_store'][ $name ] = $value;
	return true;
}
function get_site_option( $name, $default = false ) {
	return $GLOBALS['wp401_test_options'][ $name ] ?? $default;
}
function get_option( $name, $default = false ) {
	return $GLOBALS['wp401_test_options'][ $name ] ?? $default;
}
function wp_json_encode( $data ) {
	return json_encode( $data );
}
function wp_strip_all_tags( $text ) {
	return trim( strip_tags( (string) $text ) );
}
if ( ! function_exists( 'wp_parse_url' ) ) {
	function wp_parse_url( $url, $component = -1 ) {
		return parse_url( $url, $component ); // phpcs:ignore WordPress.WP.AlternativeFunctions.parse_url_parse_url -- the stub of wp_parse_url() itself.
	}
}
