<?php
/**
 * Per-request troubleshooting: drop the plugins named in a validly signed
 * X-WP401-Troubleshoot header from this request's plugin lists. Filters only;
 * nothing is written, so other visitors never see a difference.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Runs from the must-use loader, before regular plugins load.
 */
final class WP401_Troubleshoot {

	const BRIDGE_BASENAME = 'wp401-bridge/wp401-bridge.php';

	/** @var string[] */
	private static $drop = array();
	/** @var array<string,bool> */
	private static $dropped = array();

	public static function boot(): void {
		if ( empty( $_SERVER['HTTP_X_WP401_TROUBLESHOOT'] ) || ! WP401_Gate::claims_signature() ) {
			return;
		}
		$gate = WP401_Gate::current();
		if ( ! $gate['valid'] ) {
			return;
		}
		self::$drop = WP401_Troubleshoot_List::parse( $gate['troubleshoot'], self::BRIDGE_BASENAME );
		add_filter( 'option_active_plugins', array( __CLASS__, 'filter_site' ), PHP_INT_MAX, 1 );
		add_filter( 'site_option_active_sitewide_plugins', array( __CLASS__, 'filter_network' ), PHP_INT_MAX, 1 );
		add_action( 'plugins_loaded', array( __CLASS__, 'announce' ), PHP_INT_MIN, 0 );
		add_filter( 'rest_post_dispatch', array( __CLASS__, 'announce_rest' ), PHP_INT_MAX, 1 );
	}

	/**
	 * @param mixed $plugins active_plugins.
	 * @return mixed
	 */
	public static function filter_site( $plugins ) {
		$dropped = array();
		$plugins = WP401_Troubleshoot_List::filter_list( $plugins, self::$drop, $dropped );
		self::$dropped += $dropped;
		return $plugins;
	}

	/**
	 * @param mixed $plugins active_sitewide_plugins.
	 * @return mixed
	 */
	public static function filter_network( $plugins ) {
		$dropped = array();
		$plugins = WP401_Troubleshoot_List::filter_map( $plugins, self::$drop, $dropped );
		self::$dropped += $dropped;
		return $plugins;
	}

	/** Header value: comma-separated basenames, or "-" when nothing was dropped. */
	public static function header_value(): string {
		$list = array_keys( self::$dropped );
		sort( $list );
		return array() === $list ? '-' : implode( ',', $list );
	}

	public static function announce(): void {
		WP401_Ledger::note_dropped( array_keys( self::$dropped ) );
		if ( ! headers_sent() ) {
			header( 'X-WP401-Dropped: ' . self::header_value() );
		}
	}

	/**
	 * @param mixed $response REST response.
	 * @return mixed
	 */
	public static function announce_rest( $response ) {
		if ( $response instanceof WP_REST_Response ) {
			$response->header( 'X-WP401-Dropped', self::header_value() );
		}
		return $response;
	}
}
