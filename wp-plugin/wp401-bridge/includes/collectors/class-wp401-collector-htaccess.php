<?php
/**
 * Authentication directives in the .htaccess files Apache reads for the
 * front end and for wp-admin.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * .htaccess files → directives (never password file contents).
 */
final class WP401_Collector_Htaccess {

	/** @return array<int,array<string,mixed>> */
	public function collect(): array {
		$files = array(
			'.htaccess'          => ABSPATH . '.htaccess',
			'wp-admin/.htaccess' => ABSPATH . 'wp-admin/.htaccess',
		);
		if ( function_exists( 'get_home_path' ) ) {
			$home = get_home_path();
			if ( rtrim( $home, '/' ) !== rtrim( ABSPATH, '/' ) ) {
				$files['home:.htaccess'] = trailingslashit( $home ) . '.htaccess';
			}
		}
		$out = array();
		foreach ( $files as $label => $path ) {
			$exists   = @is_file( $path ); // phpcs:ignore -- open_basedir may forbid the check.
			$readable = $exists && @is_readable( $path ); // phpcs:ignore
			$contents = $readable ? (string) @file_get_contents( $path, false, null, 0, WP401_Htaccess_Reader::MAX_BYTES ) : ''; // phpcs:ignore
			$out[]    = array(
				'file'       => $label,
				'exists'     => $exists,
				'readable'   => $readable,
				'directives' => WP401_Htaccess_Reader::parse( $contents ),
			);
		}
		return $out;
	}
}
