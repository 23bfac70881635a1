<?php
/**
 * The v2 string to sign, built from plain values. No WordPress needed, so the
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

	const VERSION_TAG = 'wp401-v2';

	/** Prefix of the X-WP401-Signature value. */
	const SIGNATURE_PREFIX = 'v2=';

	/**
	 * Canonical query: decode each pair ("+" is a space), re-encode per RFC 3986
	 * and join with "&" **in the order sent**. The order is signed because PHP
	 * resolves a repeated key (and keys it mangles into one, "a.b" / "a_b") to
	 * the last one: a canonical form that sorted pairs would let a reordered
	 * query — same signature — mean something else to the server.
	 *
	 * @param string $raw_query Query string as sent, without the leading "?".
	 */
	public static function query( string $raw_query ): string {
		if ( '' === $raw_query ) {
			return '';
		}
		$out = array();
		foreach ( explode( '&', $raw_query ) as $piece ) {
			if ( '' === $piece ) {
				continue;
			}
			$eq    = strpos( $piece, '=' );
			$key   = false === $eq ? $piece : substr( $piece, 0, $eq );
			$value = false === $eq ? '' : substr( $piece, $eq + 1 );
			$out[] = rawurlencode( rawurldecode( str_replace( '+', ' ', $key ) ) ) . '=' . rawurlencode( rawurldecode( str_replace( '+', ' ', $value ) ) );
		}
		return implode( '&', $out );
	}

	/**
	 * Canonical host: the Host header lower-cased, without a default port
	 * (":80", ":443"), so clients that do and do not send it agree.
	 *
	 * @param string $host Host header value as sent.
	 */
	public static function host( string $host ): string {
		$host = strtolower( trim( $host ) );
		return (string) preg_replace( '/:(80|443)$/', '', $host );
	}

	/**
	 * The string to sign, lines joined by "\n".
	 *
	 * @param string $method       HTTP method.
	 * @param string $host         Host header as sent.
	 * @param string $path         Raw path as sent, no query.
	 * @param string $raw_query    Raw query as sent, no "?".
	 * @param string $timestamp    Unix seconds, as sent.
	 * @param string $nonce        Nonce, as sent.
	 * @param string $body_sha256  Lowercase hex SHA-256 of the body.
	 * @param string $probe        X-WP401-Probe value or "".
	 * @param string $troubleshoot X-WP401-Troubleshoot value or "".
	 */
	public static function string_to_sign( string $method, string $host, string $path, string $raw_query, string $timestamp, string $nonce, string $body_sha256, string $probe, string $troubleshoot ): string {
		return implode(
			"\n",
			array(
				self::VERSION_TAG,
				strtoupper( $method ),
				self::host( $host ),
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
	 * Signature header value: "v2=" + lowercase hex HMAC-SHA256.
	 *
	 * @param string $key            The bridge key, used as given (its UTF-8 bytes).
	 * @param string $string_to_sign From string_to_sign().
	 */
	public static function signature( string $key, string $string_to_sign ): string {
		return self::SIGNATURE_PREFIX . hash_hmac( 'sha256', $string_to_sign, $key );
	}

	/**
	 * X-WP401-Answer: proves an answer came from the bridge (not a cache, a
	 * proxy or another site) and belongs to the request with this nonce.
	 *
	 * @param string $key   The bridge key.
	 * @param string $nonce The request's nonce, as sent.
	 * @param int    $status HTTP status of the answer.
	 * @param string $body  The exact answer body.
	 */
	public static function answer_signature( string $key, string $nonce, int $status, string $body ): string {
		return self::SIGNATURE_PREFIX . hash_hmac( 'sha256', implode( "\n", array( 'wp401-v2-answer', $nonce, (string) $status, hash( 'sha256', $body ) ) ), $key );
	}
}
