<?php
/**
 * Short-lived storage in a private directory under the system temp dir, so a
 * signed request (nonce replay cache, probe ledger) never writes the database
 * and never writes inside the docroot.
 *
 * One file per name. A file's modification time is its expiry, so expired
 * entries are recognised (and swept) without reading them.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * File backend of WP401_Store.
 */
final class WP401_File_Store implements WP401_Store_Backend {

	/** Values above this size are refused. */
	const MAX_VALUE_BYTES = 65536;
	/** Seconds between two sweeps of expired files. */
	const SWEEP_EVERY = 60;

	/** @var string */
	private $dir;
	/** @var bool|null */
	private $ready = null;

	/**
	 * @param string $dir Absolute path of the private directory (created on first write).
	 */
	public function __construct( string $dir ) {
		$this->dir = rtrim( $dir, '/\\' );
	}

	/**
	 * Where this install keeps its files: a directory under the temp dir named
	 * from a hash of ABSPATH and the install's salts, or null when the only
	 * temp dir available lies inside the WordPress tree.
	 */
	public static function default_dir(): ?string {
		$bases = array();
		if ( function_exists( 'get_temp_dir' ) ) {
			$bases[] = (string) get_temp_dir();
		}
		$bases[] = (string) sys_get_temp_dir();
		$salt    = '';
		foreach ( array( 'AUTH_SALT', 'SECURE_AUTH_SALT', 'NONCE_SALT' ) as $constant ) {
			if ( defined( $constant ) ) {
				$salt .= '|' . (string) constant( $constant );
			}
		}
		$name = 'wp401-' . substr( hash( 'sha256', 'wp401-store|' . ABSPATH . $salt ), 0, 32 );
		foreach ( $bases as $base ) {
			$real = '' !== $base ? realpath( $base ) : false;
			if ( false === $real || ! is_dir( $real ) || self::inside_site( $real ) ) {
				continue;
			}
			return rtrim( $real, '/\\' ) . '/' . $name;
		}
		return null;
	}

	/** A temp dir inside ABSPATH or wp-content would be served by the web server. */
	private static function inside_site( string $real ): bool {
		$roots = array( ABSPATH );
		if ( defined( 'WP_CONTENT_DIR' ) ) {
			$roots[] = (string) WP_CONTENT_DIR;
		}
		foreach ( $roots as $root ) {
			$root = realpath( $root );
			if ( false !== $root && ( $real === $root || 0 === strpos( $real . '/', rtrim( $root, '/' ) . '/' ) ) ) {
				return true;
			}
		}
		return false;
	}

	public function dir(): string {
		return $this->dir;
	}

	/**
	 * The directory exists (or was just created), is a real directory (not a
	 * symlink), belongs to this process's user and is private.
	 */
	public function usable(): bool {
		$this->ready = $this->check();
		return $this->ready;
	}

	/** Writes go through here: the directory is checked once per request. */
	private function ready(): bool {
		return null === $this->ready ? $this->usable() : $this->ready;
	}

	private function check(): bool {
		clearstatcache( true, $this->dir );
		if ( ! is_dir( $this->dir ) ) {
			$old = umask( 0077 );
			$ok  = @mkdir( $this->dir, 0700 ); // phpcs:ignore -- a race with another request is fine.
			umask( $old );
			if ( ! $ok && ! is_dir( $this->dir ) ) {
				return false;
			}
		}
		if ( is_link( $this->dir ) ) {
			return false;
		}
		if ( function_exists( 'posix_geteuid' ) && fileowner( $this->dir ) !== posix_geteuid() ) {
			return false;
		}
		if ( 0 !== ( fileperms( $this->dir ) & 0077 ) ) {
			@chmod( $this->dir, 0700 ); // phpcs:ignore
			clearstatcache( true, $this->dir );
			if ( 0 !== ( fileperms( $this->dir ) & 0077 ) ) {
				return false;
			}
		}
		return is_writable( $this->dir );
	}

	private function path( string $name, string $ext ): string {
		return $this->dir . '/' . substr( hash( 'sha256', $name ), 0, 40 ) . '.' . $ext;
	}

	public function add( string $name, int $ttl ): bool {
		if ( ! $this->ready() ) {
			return false;
		}
		$this->maybe_sweep();
		$path = $this->path( $name, 'n' );
		for ( $attempt = 0; $attempt < 2; $attempt++ ) {
			$handle = @fopen( $path, 'x' ); // phpcs:ignore -- exclusive create is the atomic "seen before?" test.
			if ( false !== $handle ) {
				fwrite( $handle, '1' );
				fclose( $handle );
				@chmod( $path, 0600 ); // phpcs:ignore
				touch( $path, time() + max( 1, $ttl ) );
				return true;
			}
			clearstatcache( true, $path );
			$expires = @filemtime( $path ); // phpcs:ignore
			if ( false === $expires || $expires >= time() ) {
				return false; // Seen and still alive (or unreadable: refuse).
			}
			@unlink( $path ); // phpcs:ignore -- expired: forget it and try once more.
		}
		return false;
	}

	public function has( string $name ): bool {
		$path = $this->path( $name, 'n' );
		clearstatcache( true, $path );
		$expires = @filemtime( $path ); // phpcs:ignore
		return false !== $expires && $expires >= time();
	}

	/** @param mixed $value JSON-encodable value. */
	public function set( string $name, $value, int $ttl ): bool {
		$json = json_encode( $value );
		if ( false === $json || strlen( $json ) > self::MAX_VALUE_BYTES ) {
			return false;
		}
		if ( ! $this->ready() ) {
			return false;
		}
		$this->maybe_sweep();
		$path = $this->path( $name, 'v' );
		$temp = $path . '.tmp-' . bin2hex( random_bytes( 6 ) );
		if ( false === @file_put_contents( $temp, $json, LOCK_EX ) ) { // phpcs:ignore
			return false;
		}
		@chmod( $temp, 0600 ); // phpcs:ignore
		touch( $temp, time() + max( 1, $ttl ) );
		if ( ! @rename( $temp, $path ) ) { // phpcs:ignore
			@unlink( $temp ); // phpcs:ignore
			return false;
		}
		return true;
	}

	/** @return mixed The value, or null when absent or expired. */
	public function get( string $name ) {
		$path = $this->path( $name, 'v' );
		clearstatcache( true, $path );
		$expires = @filemtime( $path ); // phpcs:ignore
		if ( false === $expires ) {
			return null;
		}
		if ( $expires < time() ) {
			@unlink( $path ); // phpcs:ignore
			return null;
		}
		$json = @file_get_contents( $path, false, null, 0, self::MAX_VALUE_BYTES + 1 ); // phpcs:ignore
		if ( false === $json ) {
			return null;
		}
		$value = json_decode( $json, true );
		return null === $value ? null : $value;
	}

	public function take_slot( string $kind, int $cap, int $bucket ): bool {
		if ( ! $this->ready() ) {
			return false;
		}
		$now      = time();
		$index    = (int) floor( $now / $bucket );
		$previous = $this->count_of( $this->path( 'c_' . $kind . '_' . ( $index - 1 ), 'c' ) );
		$path     = $this->path( 'c_' . $kind . '_' . $index, 'c' );
		$handle   = @fopen( $path, 'c+' ); // phpcs:ignore
		if ( false === $handle ) {
			return false;
		}
		$ok = false;
		if ( flock( $handle, LOCK_EX ) ) {
			$count = (int) stream_get_contents( $handle );
			if ( WP401_Store::window_estimate( $previous, $count, $bucket, $now ) < $cap ) {
				ftruncate( $handle, 0 );
				rewind( $handle );
				fwrite( $handle, (string) ( $count + 1 ) );
				fflush( $handle );
				$ok = true;
			}
			flock( $handle, LOCK_UN );
		}
		fclose( $handle );
		@chmod( $path, 0600 ); // phpcs:ignore
		touch( $path, $now + 2 * $bucket );
		return $ok;
	}

	/** A counter file's value (0 when absent or expired). */
	private function count_of( string $path ): int {
		clearstatcache( true, $path );
		$expires = @filemtime( $path ); // phpcs:ignore
		if ( false === $expires || $expires < time() ) {
			return 0;
		}
		return (int) @file_get_contents( $path, false, null, 0, 32 ); // phpcs:ignore
	}

	/** Sweep expired files at most once a minute (or now, when the directory is full). */
	private function maybe_sweep(): void {
		$mark = $this->dir . '/.swept';
		clearstatcache( true, $mark );
		$last = @filemtime( $mark ); // phpcs:ignore
		if ( false !== $last && time() - $last < self::SWEEP_EVERY ) {
			return;
		}
		@touch( $mark ); // phpcs:ignore
		@chmod( $mark, 0600 ); // phpcs:ignore
		$this->sweep_expired();
	}

	/** Delete expired entries (a temp file left by a crashed write expires too); returns how many are left. */
	public function sweep_expired(): int {
		$now  = time();
		$left = 0;
		foreach ( $this->files() as $file ) {
			clearstatcache( true, $file );
			$expires = @filemtime( $file ); // phpcs:ignore
			if ( false !== $expires && $expires < $now ) {
				@unlink( $file ); // phpcs:ignore
			} else {
				++$left;
			}
		}
		return $left;
	}

	/** @return string[] The store's own files (never anything else). */
	public function files(): array {
		if ( ! is_dir( $this->dir ) || is_link( $this->dir ) ) {
			return array();
		}
		$names = @scandir( $this->dir ); // phpcs:ignore
		$files = array();
		foreach ( is_array( $names ) ? $names : array() as $name ) {
			if ( 1 === preg_match( '/^[0-9a-f]{40}\.[nvc](\.tmp-[0-9a-f]{12})?$/', $name ) ) {
				$files[] = $this->dir . '/' . $name;
			}
		}
		return $files;
	}

	/** Remove every file of the store and the directory itself. */
	public function destroy(): void {
		foreach ( $this->files() as $file ) {
			@unlink( $file ); // phpcs:ignore
		}
		if ( is_dir( $this->dir ) && ! is_link( $this->dir ) ) {
			@unlink( $this->dir . '/.swept' ); // phpcs:ignore
			@rmdir( $this->dir ); // phpcs:ignore
		}
		$this->ready = null;
	}
}
