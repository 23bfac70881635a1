<?php
/**
 * Parses the X-WP401-Troubleshoot header and filters plugin lists with it.
 * Pure functions; the must-use loader wires them to WordPress.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * "slug/file.php,other.php" → validated plugin basenames; list filtering.
 */
final class WP401_Troubleshoot_List {

	const MAX_ENTRIES = 200;

	/**
	 * @param string $header    Header value.
	 * @param string $protected Basename that is never dropped (the bridge).
	 * @return string[]
	 */
	public static function parse( string $header, string $protected ): array {
		$out = array();
		foreach ( explode( ',', $header ) as $item ) {
			$item = trim( $item );
			if ( '' === $item || $item === $protected || count( $out ) >= self::MAX_ENTRIES ) {
				continue;
			}
			if ( 1 !== preg_match( '#^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)?\.php$#', $item ) || false !== strpos( $item, '..' ) ) {
				continue;
			}
			$out[ $item ] = true;
		}
		return array_keys( $out );
	}

	/**
	 * Remove $drop from a list of basenames (active_plugins).
	 *
	 * @param mixed    $plugins Option value.
	 * @param string[] $drop    Basenames to drop.
	 * @param string[] $dropped Receives what was actually removed.
	 * @return mixed
	 */
	public static function filter_list( $plugins, array $drop, array &$dropped ) {
		if ( ! is_array( $plugins ) ) {
			return $plugins;
		}
		$kept = array();
		foreach ( $plugins as $plugin ) {
			if ( is_string( $plugin ) && in_array( $plugin, $drop, true ) ) {
				$dropped[ $plugin ] = true;
				continue;
			}
			$kept[] = $plugin;
		}
		return $kept;
	}

	/**
	 * Remove $drop from a map basename => time (active_sitewide_plugins).
	 *
	 * @param mixed    $plugins Option value.
	 * @param string[] $drop    Basenames to drop.
	 * @param string[] $dropped Receives what was actually removed.
	 * @return mixed
	 */
	public static function filter_map( $plugins, array $drop, array &$dropped ) {
		if ( ! is_array( $plugins ) ) {
			return $plugins;
		}
		foreach ( $drop as $plugin ) {
			if ( array_key_exists( $plugin, $plugins ) ) {
				unset( $plugins[ $plugin ] );
				$dropped[ $plugin ] = true;
			}
		}
		return $plugins;
	}
}
