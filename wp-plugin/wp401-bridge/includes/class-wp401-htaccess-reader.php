<?php
/**
 * Extracts the authentication-related directives from an .htaccess file.
 * Directives only: never the contents of a password file.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * .htaccess text → list of auth directives with line and enclosing section.
 */
final class WP401_Htaccess_Reader {

	const MAX_BYTES = 262144;

	/** Directives reported whatever their arguments. */
	const ALWAYS = array( 'authtype', 'authname', 'authuserfile', 'authgroupfile', 'authbasicprovider', 'authdigestprovider', 'require', 'satisfy', 'cgipassauth', 'cgivar', 'order', 'deny', 'allow' );

	/** Directives reported only when they mention Authorization. */
	const WHEN_AUTHORIZATION = array( 'setenvif', 'setenvifnocase', 'rewriterule', 'rewritecond', 'requestheader', 'header', 'setenv' );

	/**
	 * @param string $contents File contents.
	 * @return array<int,array{line:int,directive:string,args:string,section:string}>
	 */
	public static function parse( string $contents ): array {
		$contents = substr( $contents, 0, self::MAX_BYTES );
		$lines    = preg_split( '/\r\n|\r|\n/', $contents );
		$out      = array();
		$sections = array();
		$pending  = '';
		$start    = 0;
		foreach ( false === $lines ? array() : $lines as $index => $raw ) {
			$line = trim( $raw );
			if ( '' === $pending ) {
				$start = $index + 1;
			}
			if ( '' !== $line && '\\' === substr( $line, -1 ) ) {
				$pending .= substr( $line, 0, -1 ) . ' ';
				continue;
			}
			$line    = trim( $pending . $line );
			$pending = '';
			if ( '' === $line || '#' === $line[0] ) {
				continue;
			}
			if ( 1 === preg_match( '#^</\s*([A-Za-z]+)\s*>#', $line ) ) {
				array_pop( $sections );
				continue;
			}
			if ( 1 === preg_match( '#^<\s*([A-Za-z]+)([^>]*)>#', $line, $m ) ) {
				$sections[] = '<' . $m[1] . rtrim( $m[2] ) . '>';
				continue;
			}
			$parts     = preg_split( '/\s+/', $line, 2 );
			$directive = false === $parts ? '' : (string) $parts[0];
			$args      = false === $parts ? '' : (string) ( $parts[1] ?? '' );
			$lower     = strtolower( $directive );
			$wanted    = in_array( $lower, self::ALWAYS, true )
				|| ( in_array( $lower, self::WHEN_AUTHORIZATION, true ) && false !== stripos( $args, 'authoriz' ) )
				|| ( 'header' === $lower && false !== stripos( $args, 'www-authenticate' ) )
				// Where Apache sends its 401s: a missing or WordPress-handled document turns them into 404s or redirects.
				|| ( 'errordocument' === $lower && 1 === preg_match( '/^401\s/', $args ) );
			if ( ! $wanted ) {
				continue;
			}
			$out[] = array(
				'line'      => $start,
				'directive' => $directive,
				'args'      => self::clip( $args ),
				'section'   => implode( ' ', $sections ),
			);
		}
		return $out;
	}

	private static function clip( string $args ): string {
		$args = preg_replace( '/[\x00-\x1f\x7f]/', '', $args );
		return strlen( (string) $args ) > 300 ? substr( (string) $args, 0, 300 ) . '…' : (string) $args;
	}
}
