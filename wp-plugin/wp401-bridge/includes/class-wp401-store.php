<?php
/**
 * Short-lived, size-capped storage on network-wide transients: the replay
 * cache and the probe ledger. Everything lives under the "wp401_" prefix so
 * deactivation and uninstall can sweep it.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Transient helpers with a per-bucket counter as the size cap.
 */
final class WP401_Store {

	const PREFIX = 'wp401_';

	/**
	 * Count one write in the current time bucket; false once the cap is reached.
	 *
	 * @param string $kind   Counter name.
	 * @param int    $cap    Maximum writes per bucket.
	 * @param int    $bucket Bucket length in seconds.
	 */
	public static function take_slot( string $kind, int $cap, int $bucket ): bool {
		$name  = self::PREFIX . 'c_' . $kind . '_' . (int) floor( time() / $bucket );
		$count = (int) get_site_transient( $name );
		if ( $count >= $cap ) {
			return false;
		}
		set_site_transient( $name, $count + 1, 2 * $bucket );
		return true;
	}

	/**
	 * @param string $name  Name without prefix.
	 * @param mixed  $value Value.
	 * @param int    $ttl   Seconds.
	 */
	public static function set( string $name, $value, int $ttl ): void {
		set_site_transient( self::PREFIX . $name, $value, $ttl );
	}

	/** @return mixed */
	public static function get( string $name ) {
		return get_site_transient( self::PREFIX . $name );
	}

	/** Delete every wp401_ transient (single site and network). */
	public static function sweep(): void {
		global $wpdb;
		$like = array(
			$wpdb->esc_like( '_transient_' . self::PREFIX ) . '%',
			$wpdb->esc_like( '_transient_timeout_' . self::PREFIX ) . '%',
			$wpdb->esc_like( '_site_transient_' . self::PREFIX ) . '%',
			$wpdb->esc_like( '_site_transient_timeout_' . self::PREFIX ) . '%',
		);
		foreach ( $like as $pattern ) {
			$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s", $pattern ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			if ( is_multisite() ) {
				$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->sitemeta} WHERE meta_key LIKE %s", $pattern ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			}
		}
		if ( function_exists( 'wp_cache_flush_group' ) && wp_using_ext_object_cache() ) {
			wp_cache_flush_group( 'site-transient' );
		}
	}
}

/**
 * Replay cache on transients: one entry per nonce hash, capped per window.
 */
final class WP401_Replay_Cache_Transient implements WP401_Replay_Cache {

	const CAP = 20000;

	public function remember( string $nonce, int $ttl ): bool {
		$name = 'n_' . substr( hash( 'sha256', $nonce ), 0, 40 );
		if ( false !== WP401_Store::get( $name ) ) {
			return false;
		}
		if ( ! WP401_Store::take_slot( 'nonce', self::CAP, 2 * WP401_Verifier::WINDOW ) ) {
			return false;
		}
		WP401_Store::set( $name, 1, $ttl );
		return true;
	}
}
