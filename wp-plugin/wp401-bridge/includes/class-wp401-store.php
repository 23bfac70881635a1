<?php
/**
 * Short-lived, size-capped storage for the replay cache and the probe ledger.
 *
 * A signed request must leave the database untouched (the scanner changes
 * nothing on the site), so the store is the persistent object cache when the
 * site has one, else a private directory under the temp dir
 * (WP401_File_Store). When neither is usable there is no store: nonces cannot
 * be remembered, so every signed request is refused (the Tools page says so).
 * Nothing is ever written to the options table.
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

	/**
	 * Count one event in a sliding window of $bucket seconds (the current
	 * bucket plus the previous one, weighted by how much of it still overlaps
	 * the window); false, and nothing counted, once $cap is reached.
	 */
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
		return new WP401_No_Store();
	}

	/** Whether signed requests can be verified at all (a store for nonces exists). */
	public static function available(): bool {
		return ! ( self::backend() instanceof WP401_No_Store );
	}

	/**
	 * Sliding-window estimate: events of the previous bucket still inside the
	 * window, plus the current bucket's.
	 *
	 * @param int $previous Count of the previous bucket.
	 * @param int $current  Count of the current bucket.
	 * @param int $bucket   Bucket length, seconds.
	 * @param int $now      Unix seconds.
	 */
	public static function window_estimate( int $previous, int $current, int $bucket, int $now ): int {
		$elapsed = $now - (int) floor( $now / $bucket ) * $bucket;
		return (int) floor( $previous * ( $bucket - $elapsed ) / $bucket ) + $current;
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

	/**
	 * Deactivation and uninstall: empty every backend, whichever was in use,
	 * and delete wp401_ transients an older version (0.1.0) may have left.
	 */
	public static function sweep(): void {
		$dir = WP401_File_Store::default_dir();
		if ( null !== $dir ) {
			( new WP401_File_Store( $dir ) )->destroy();
		}
		( new WP401_Cache_Store() )->destroy();
		WP401_Legacy_Transients::delete();
		self::$backend = null;
	}
}

/**
 * No usable store: nothing is remembered, so no nonce can be spent and every
 * signed request is refused.
 */
final class WP401_No_Store implements WP401_Store_Backend {
	public function add( string $name, int $ttl ): bool {
		return false;
	}

	public function has( string $name ): bool {
		return false;
	}

	/** @param mixed $value Ignored. */
	public function set( string $name, $value, int $ttl ): bool {
		return false;
	}

	/** @return null */
	public function get( string $name ) {
		return null;
	}

	public function take_slot( string $kind, int $cap, int $bucket ): bool {
		return false;
	}

	public function destroy(): void {
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
		$now      = time();
		$index    = (int) floor( $now / $bucket );
		$key      = self::key( 'c_' . $kind . '_' . $index );
		$previous = wp_cache_get( self::key( 'c_' . $kind . '_' . ( $index - 1 ) ), self::GROUP );
		$current  = wp_cache_get( $key, self::GROUP );
		if ( WP401_Store::window_estimate( (int) $previous, (int) $current, $bucket, $now ) >= $cap ) {
			return false;
		}
		wp_cache_add( $key, 0, self::GROUP, 2 * $bucket );
		return false !== wp_cache_incr( $key, 1, self::GROUP );
	}

	/**
	 * Forget everything in our own group only: flush the group where the cache
	 * supports it, and in any case move to a new generation, so old entries are
	 * unreachable (they expire on their own). Never a global flush.
	 */
	public function destroy(): void {
		if ( function_exists( 'wp_cache_supports' ) && function_exists( 'wp_cache_flush_group' ) && wp_cache_supports( 'flush_group' ) ) {
			wp_cache_flush_group( self::GROUP );
		}
		if ( function_exists( 'wp_cache_set' ) ) {
			wp_cache_set( 'generation', bin2hex( random_bytes( 8 ) ), self::GROUP );
		}
		self::$generation = null;
	}

	/** @var string|null */
	private static $generation = null;

	private static function key( string $name ): string {
		if ( null === self::$generation ) {
			$gen              = function_exists( 'wp_cache_get' ) ? wp_cache_get( 'generation', self::GROUP ) : false;
			self::$generation = is_string( $gen ) ? $gen : '';
		}
		return substr( hash( 'sha256', self::$generation . '|' . $name ), 0, 40 );
	}
}

/**
 * Version 0.1.0 fell back to network-wide transients when it had no private
 * directory. This version never writes them; deactivation and uninstall still
 * delete any it left, by name prefix, without flushing anybody else's cache.
 */
final class WP401_Legacy_Transients {

	public static function delete(): void {
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
	}
}

/**
 * Replay cache on the store: one entry per nonce hash. How many nonces can
 * pile up is bounded by the signed-request rate limit that runs before it.
 */
final class WP401_Replay_Cache_Store implements WP401_Replay_Cache {

	public function remember( string $nonce, int $ttl ): bool {
		return WP401_Store::add( 'n_' . hash( 'sha256', $nonce ), $ttl );
	}
}

/**
 * How many validly signed requests a key may make.
 */
interface WP401_Rate_Limit {
	/** Count one request for this key; false when the key is over its rate. */
	public function allow( string $key ): bool;
}

/**
 * Per key, sliding window: at most CAP (or WP401_BRIDGE_RATE_LIMIT) validly
 * signed requests in any WINDOW seconds. Over it, bridge routes answer 429 with Retry-After; the
 * count slides, so a key that slows down is let back in within a minute or
 * so, and a fresh key (regenerated on Tools → wp401) starts at zero.
 */
final class WP401_Store_Rate_Limit implements WP401_Rate_Limit {

	const CAP         = 20000;
	const WINDOW      = 600;
	const RETRY_AFTER = 60;

	public function allow( string $key ): bool {
		return WP401_Store::take_slot( 'sig_' . substr( hash( 'sha256', 'wp401-rate|' . $key ), 0, 16 ), self::cap(), self::WINDOW );
	}

	/** CAP, or a smaller or larger positive WP401_BRIDGE_RATE_LIMIT from wp-config.php. */
	public static function cap(): int {
		if ( defined( 'WP401_BRIDGE_RATE_LIMIT' ) && is_int( constant( 'WP401_BRIDGE_RATE_LIMIT' ) ) && constant( 'WP401_BRIDGE_RATE_LIMIT' ) > 0 ) {
			return (int) constant( 'WP401_BRIDGE_RATE_LIMIT' );
		}
		return self::CAP;
	}
}
