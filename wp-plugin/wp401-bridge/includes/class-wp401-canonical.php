<?php
/**
 * The v1 string to sign, built from plain values. No WordPress needed, so the
 * same code is exercised by PHPUnit and by the test-vector script.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Builds the canonical request and its HMAC as described in PROTOCOL.md.
 */
final class WP401_Canonical {

	const VERSION_TAG = 'wp401-v1';

	/**
	 * Canonical query: decode each pair ("+" is a space), re-encode per RFC 3986,
	 * sort by encoded key then encoded value (byte order), join with "&".
	 *
	 * @param string $raw_query Query string as sent, without the leading "?".
	 */
	public static function query( string $raw_query ): string {
		if ( '' === $raw_query ) {
			return '';
		}
		$pairs = array();
		foreach ( explode( '&', $raw_query ) as $piece ) {
			if ( '' === $piece ) {
				continue;
			}
			$eq    = strpos( $piece, '=' );
			$key   = false === $eq ? $piece : substr( $piece, 0, $eq );
			$value = false === $eq ? '' : substr( $piece, $eq + 1 );
			$pairs[] = array(
				rawurlencode( rawurldecode( str_replace( '+', ' ', $key ) ) ),
				rawurlencode( rawurldecode( str_replace( '+', ' ', $value ) ) ),
			);
		}
		usort(
			$pairs,
			static function ( array $a, array $b ): int {
				$by_key = strcmp( $a[0], $b[0] );
				return 0 !== $by_key ? $by_key : strcmp( $a[1], $b[1] );
			}
		);
		$out = array();
		foreach ( $pairs as $pair ) {
			$out[] = $pair[0] . '=' . $pair[1];
		}
		return implode( '&', $out );
	}

	/**
	 * The string to sign, lines joined by "\n".
	 *
	 * @param string $method       HTTP method.
	 * @param string $path         Raw path as sent, no query.
	 * @param string $raw_query    Raw query as sent, no "?".
	 * @param string $timestamp    Unix seconds, as sent.
	 * @param string $nonce        Nonce, as sent.
	 * @param string $body_sha256  Lowercase hex SHA-256 of the body.
	 * @param string $probe        X-WP401-Probe value or "".
	 * @param string $troubleshoot X-WP401-Troubleshoot value or "".
	 */
	public static function string_to_sign( string $method, string $path, string $raw_query, string $timestamp, string $nonce, string $body_sha256, string $probe, string $troubleshoot ): string {
		return implode(
			"\n",
			array(
				self::VERSION_TAG,
				strtoupper( $method ),
				$path,
				self::query( $raw_query ),
				$timestamp,
				$nonce,
				strtolower( $body_sha256 ),
				$probe,
				$troubleshoot,
			)
		);
	}

	/**
	 * Signature header value: "v1=" + lowercase hex HMAC-SHA256.
	 *
	 * @param string $key            The bridge key, used as given (its UTF-8 bytes).
	 * @param string $string_to_sign From string_to_sign().
	 */
	public static function signature( string $key, string $string_to_sign ): string {
		return 'v1=' . hash_hmac( 'sha256', $string_to_sign, $key );
	}
}
