<?php
/**
 * The wp401_diagnose capability: administrators on a single site, super
 * admins on a network (the key is network-wide there).
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Maps wp401_diagnose onto a core capability.
 */
final class WP401_Capability {

	const CAP = 'wp401_diagnose';

	public static function register(): void {
		add_filter( 'map_meta_cap', array( __CLASS__, 'map_meta_cap' ), 10, 2 );
	}

	public static function unregister(): void {
		remove_filter( 'map_meta_cap', array( __CLASS__, 'map_meta_cap' ), 10 );
	}

	/**
	 * @param string[] $caps Primitive caps.
	 * @param string   $cap  Requested cap.
	 * @return string[]
	 */
	public static function map_meta_cap( $caps, $cap ) {
		if ( self::CAP !== $cap ) {
			return $caps;
		}
		return array( is_multisite() ? 'manage_network_options' : 'manage_options' );
	}
}
