<?php
/**
 * Maps a PHP source file to what it belongs to: a plugin, a must-use plugin,
 * a drop-in, a theme or WordPress core. Pure: all directories are injected.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * File → owner.
 */
final class WP401_File_Owner {

	/** @var array<string,string[]> type => list of root directories (normalised, trailing slash). */
	private $roots = array();
	/** @var string[] */
	private $dropin_names;
	/** @var string[] Known plugin basenames (slug/file.php) to resolve a slug to its main file. */
	private $plugin_basenames;

	/**
	 * @param array{plugins?:string,mu_plugins?:string,content?:string,themes?:string[],abspath?:string} $dirs Directories.
	 * @param string[] $dropin_names     Drop-in file names (advanced-cache.php…).
	 * @param string[] $plugin_basenames Known plugin basenames.
	 */
	public function __construct( array $dirs, array $dropin_names = array(), array $plugin_basenames = array() ) {
		$this->roots['mu-plugin'] = self::variants( $dirs['mu_plugins'] ?? '' );
		$this->roots['plugin']    = self::variants( $dirs['plugins'] ?? '' );
		$themes                   = array();
		foreach ( $dirs['themes'] ?? array() as $theme_root ) {
			$themes = array_merge( $themes, self::variants( $theme_root ) );
		}
		$this->roots['theme']   = $themes;
		$this->roots['drop-in'] = self::variants( $dirs['content'] ?? '' );
		$this->roots['core']    = self::variants( $dirs['abspath'] ?? '' );
		$this->dropin_names     = $dropin_names;
		$this->plugin_basenames = $plugin_basenames;
	}

	/**
	 * @param string|null $file Absolute path, as Reflection reports it.
	 * @return array{type:string,slug:?string,file:?string,plugin:?string}
	 *   type: plugin|mu-plugin|drop-in|theme|core|php|unknown; file is relative to its root.
	 */
	public function owner( ?string $file ): array {
		if ( null === $file || '' === $file ) {
			return array( 'type' => 'php', 'slug' => null, 'file' => null, 'plugin' => null );
		}
		foreach ( self::variants( $file, false ) as $candidate ) {
			// Most specific first: plugin/mu/theme directories usually sit inside ABSPATH.
			foreach ( array( 'mu-plugin', 'plugin', 'theme', 'drop-in', 'core' ) as $type ) {
				foreach ( $this->roots[ $type ] as $root ) {
					if ( '' === $root || 0 !== strpos( $candidate, $root ) ) {
						continue;
					}
					$relative = (string) substr( $candidate, strlen( $root ) );
					$result   = $this->classify( $type, $relative );
					if ( null !== $result ) {
						return $result;
					}
				}
			}
		}
		return array( 'type' => 'unknown', 'slug' => null, 'file' => basename( $file ), 'plugin' => null );
	}

	/**
	 * @return array{type:string,slug:?string,file:?string,plugin:?string}|null
	 */
	private function classify( string $type, string $relative ): ?array {
		$first = strstr( $relative, '/', true );
		$slug  = false === $first ? preg_replace( '/\.php$/', '', $relative ) : $first;
		switch ( $type ) {
			case 'plugin':
				return array( 'type' => 'plugin', 'slug' => $slug, 'file' => $relative, 'plugin' => $this->basename_for( $slug, $relative, false === $first ) );
			case 'mu-plugin':
				return array( 'type' => 'mu-plugin', 'slug' => $slug, 'file' => $relative, 'plugin' => null );
			case 'theme':
				return array( 'type' => 'theme', 'slug' => $slug, 'file' => $relative, 'plugin' => null );
			case 'drop-in':
				if ( false === $first && in_array( $relative, $this->dropin_names, true ) ) {
					return array( 'type' => 'drop-in', 'slug' => $relative, 'file' => $relative, 'plugin' => null );
				}
				return null;
			case 'core':
				if ( 0 === strpos( $relative, 'wp-includes/' ) || 0 === strpos( $relative, 'wp-admin/' ) || ( false === $first && 0 === strpos( $relative, 'wp-' ) ) ) {
					return array( 'type' => 'core', 'slug' => null, 'file' => $relative, 'plugin' => null );
				}
				return null;
		}
		return null;
	}

	private function basename_for( string $slug, string $relative, bool $single_file ): ?string {
		if ( $single_file ) {
			return $relative;
		}
		foreach ( $this->plugin_basenames as $basename ) {
			if ( 0 === strpos( $basename, $slug . '/' ) ) {
				return $basename;
			}
		}
		return null;
	}

	/**
	 * A path as given and as resolved (symlinks), with forward slashes.
	 *
	 * @return string[]
	 */
	private static function variants( string $path, bool $is_dir = true ): array {
		if ( '' === $path ) {
			return array();
		}
		$out  = array();
		$real = @realpath( $path ); // phpcs:ignore -- a missing path is an expected case.
		foreach ( array( $path, false === $real ? '' : $real ) as $p ) {
			if ( '' === $p ) {
				continue;
			}
			$p = str_replace( '\\', '/', $p );
			if ( $is_dir ) {
				$p = rtrim( $p, '/' ) . '/';
			}
			$out[] = $p;
		}
		return array_values( array_unique( $out ) );
	}
}
