<?php
/**
 * The bridge key: a wp-config.php constant or a random value stored network-wide.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Key storage. The option is not autoloaded so it never travels with
 * every page load's alloptions.
 */
final class WP401_Key {

	const OPTION = 'wp401_bridge_key';

	/** The effective key, or "" when none is usable. */
	public static function get(): string {
		if ( self::from_constant() ) {
			return (string) constant( 'WP401_BRIDGE_KEY' );
		}
		$stored = get_site_option( self::OPTION, '' );
		return is_string( $stored ) ? $stored : '';
	}

	public static function from_constant(): bool {
		return defined( 'WP401_BRIDGE_KEY' ) && is_string( constant( 'WP401_BRIDGE_KEY' ) ) && '' !== constant( 'WP401_BRIDGE_KEY' );
	}

	/** Create the stored key if there is none yet. */
	public static function ensure(): void {
		$stored = get_site_option( self::OPTION, '' );
		if ( ! is_string( $stored ) || strlen( $stored ) < WP401_Verifier::MIN_KEY_LENGTH ) {
			self::regenerate();
		}
	}

	/** Replace the stored key with 32 fresh random bytes, hex encoded. */
	public static function regenerate(): string {
		$key = bin2hex( random_bytes( 32 ) );
		delete_site_option( self::OPTION );
		add_site_option( self::OPTION, $key );
		return $key;
	}

	public static function delete(): void {
		delete_site_option( self::OPTION );
	}
}
