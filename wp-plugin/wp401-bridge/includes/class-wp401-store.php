<?php
/**
 * Short-lived, size-capped storage for the replay cache and the probe ledger.
 *
 * A signed request must leave the database untouched (the scanner changes
 * nothing on the site), so the store is, in order of preference: the
 * persistent object cache when the site has one, else a private directory
 * under the temp dir (WP401_File_Store), else — only when no temp dir outside
 * the WordPress tree is usable — network-wide transients.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * What a storage backend offers.
 */
interface WP401_Store_Backend {
	/** Remember a name; false when it is already remembered (atomic where the backend allows). */
	public function add( string $name, int $ttl ): bool;

	/** Is a name remembered by add() (and not expired)? */
	public function has( string $name ): bool;

	/** @param mixed $value JSON-encodable value. */
	public function set( string $name, $value, int $ttl ): bool;

	/** @return mixed The value, or null when absent or expired. */
	public function get( string $name );

	/** Count one write in the current time bucket; false once the cap is reached. */
	public function take_slot( string $kind, int $cap, int $bucket ): bool;

	/** Remove everything this backend holds. */
	public function destroy(): void;
}

/**
 * The facade the rest of the bridge uses.
 */
final class WP401_Store {

	const PREFIX = 'wp401_';

	/** @var WP401_Store_Backend|null */
	private static $backend = null;

	public static function backend(): WP401_Store_Backend {
		if ( null === self::$backend ) {
			self::$backend = self::choose();
		}
		return self::$backend;
	}

	/** For tests: use this backend (null: choose again on next use). */
	public static function use_backend( ?WP401_Store_Backend $backend ): void {
		self::$backend = $backend;
	}

	private static function choose(): WP401_Store_Backend {
		if ( function_exists( 'wp_using_ext_object_cache' ) && wp_using_ext_object_cache() ) {
			return new WP401_Cache_Store();
		}
		$dir = WP401_File_Store::default_dir();
		if ( null !== $dir ) {
			$files = new WP401_File_Store( $dir );
			if ( $files->usable() ) {
				return $files;
			}
		}
		return new WP401_Transient_Store();
	}

	public static function take_slot( string $kind, int $cap, int $bucket ): bool {
		return self::backend()->take_slot( $kind, $cap, $bucket );
	}

	public static function add( string $name, int $ttl ): bool {
		return self::backend()->add( $name, $ttl );
	}

	public static function has( string $name ): bool {
		return self::backend()->has( $name );
	}

	/** @param mixed $value JSON-encodable value. */
	public static function set( string $name, $value, int $ttl ): void {
		self::backend()->set( $name, $value, $ttl );
	}

	/** @return mixed The value, or null. */
	public static function get( string $name ) {
		return self::backend()->get( $name );
	}

	/** Deactivation and uninstall: empty every backend, whichever was in use. */
	public static function sweep(): void {
		$dir = WP401_File_Store::default_dir();
		if ( null !== $dir ) {
			( new WP401_File_Store( $dir ) )->destroy();
		}
		( new WP401_Cache_Store() )->destroy();
		( new WP401_Transient_Store() )->destroy();
		self::$backend = null;
	}
}

/**
 * Persistent object cache backend (Redis, Memcached…): nothing touches disk or database.
 */
final class WP401_Cache_Store implements WP401_Store_Backend {

	const GROUP = 'wp401';

	public function __construct() {
		if ( function_exists( 'wp_cache_add_global_groups' ) ) {
			wp_cache_add_global_groups( array( self::GROUP ) );
		}
	}

	public function add( string $name, int $ttl ): bool {
		return (bool) wp_cache_add( self::key( $name ), 1, self::GROUP, max( 1, $ttl ) );
	}

	public function has( string $name ): bool {
		$found = false;
		wp_cache_get( self::key( $name ), self::GROUP, false, $found );
		return (bool) $found;
	}

	/** @param mixed $value JSON-encodable value. */
	public function set( string $name, $value, int $ttl ): bool {
		return (bool) wp_cache_set( self::key( $name ), $value, self::GROUP, max( 1, $ttl ) );
	}

	/** @return mixed */
	public function get( string $name ) {
		$found = false;
		$value = wp_cache_get( self::key( $name ), self::GROUP, false, $found );
		return $found ? $value : null;
	}

	public function take_slot( string $kind, int $cap, int $bucket ): bool {
		$key = self::key( 'c_' . $kind . '_' . (int) floor( time() / $bucket ) );
		wp_cache_add( $key, 0, self::GROUP, 2 * $bucket );
		$count = wp_cache_incr( $key, 1, self::GROUP );
		return false !== $count && (int) $count <= $cap;
	}

	public function destroy(): void {
		if ( function_exists( 'wp_cache_supports' ) && function_exists( 'wp_cache_flush_group' ) && wp_cache_supports( 'flush_group' ) ) {
			wp_cache_flush_group( self::GROUP );
		}
	}

	private static function key( string $name ): string {
		return substr( hash( 'sha256', $name ), 0, 40 );
	}
}

/**
 * Last resort when no private temp dir exists: network-wide transients (this
 * writes the options table, which is why it is the last resort).
 */
final class WP401_Transient_Store implements WP401_Store_Backend {

	public function add( string $name, int $ttl ): bool {
		$key = WP401_Store::PREFIX . substr( hash( 'sha256', $name ), 0, 40 );
		if ( false !== get_site_transient( $key ) ) {
			return false;
		}
		return set_site_transient( $key, 1, max( 1, $ttl ) );
	}

	public function has( string $name ): bool {
		return false !== get_site_transient( WP401_Store::PREFIX . substr( hash( 'sha256', $name ), 0, 40 ) );
	}

	/** @param mixed $value JSON-encodable value. */
	public function set( string $name, $value, int $ttl ): bool {
		return set_site_transient( WP401_Store::PREFIX . $name, $value, max( 1, $ttl ) );
	}

	/** @return mixed */
	public function get( string $name ) {
		$value = get_site_transient( WP401_Store::PREFIX . $name );
		return false === $value ? null : $value;
	}

	public function take_slot( string $kind, int $cap, int $bucket ): bool {
		$name  = WP401_Store::PREFIX . 'c_' . $kind . '_' . (int) floor( time() / $bucket );
		$count = (int) get_site_transient( $name );
		if ( $count >= $cap ) {
			return false;
		}
		set_site_transient( $name, $count + 1, 2 * $bucket );
		return true;
	}

	/** Delete every wp401_ transient (single site and network), including ones left by older versions. */
	public function destroy(): void {
		global $wpdb;
		if ( ! isset( $wpdb ) || ! is_object( $wpdb ) ) {
			return;
		}
		$like = array(
			$wpdb->esc_like( '_transient_' . WP401_Store::PREFIX ) . '%',
			$wpdb->esc_like( '_transient_timeout_' . WP401_Store::PREFIX ) . '%',
			$wpdb->esc_like( '_site_transient_' . WP401_Store::PREFIX ) . '%',
			$wpdb->esc_like( '_site_transient_timeout_' . WP401_Store::PREFIX ) . '%',
		);
		foreach ( $like as $pattern ) {
			$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s", $pattern ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			if ( is_multisite() ) {
				$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->sitemeta} WHERE meta_key LIKE %s", $pattern ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			}
		}
		if ( function_exists( 'wp_cache_flush_group' ) && function_exists( 'wp_using_ext_object_cache' ) && wp_using_ext_object_cache() ) {
			wp_cache_flush_group( 'site-transient' );
		}
	}
}

/**
 * Replay cache on the store: one entry per nonce hash, capped per window.
 */
final class WP401_Replay_Cache_Store implements WP401_Replay_Cache {

	const CAP = 20000;

	public function remember( string $nonce, int $ttl ): bool {
		$name = 'n_' . hash( 'sha256', $nonce );
		// A replay is refused before it can spend a slot; add() below is the atomic check.
		if ( WP401_Store::has( $name ) ) {
			return false;
		}
		if ( ! WP401_Store::take_slot( 'nonce', self::CAP, 2 * WP401_Verifier::WINDOW ) ) {
			return false;
		}
		return WP401_Store::add( $name, $ttl );
	}
}
