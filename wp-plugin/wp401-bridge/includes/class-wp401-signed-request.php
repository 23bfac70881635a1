<?php
/**
 * What a request says about itself, read from a $_SERVER-like array.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Immutable view of the parts of an HTTP request that the signature covers.
 * Values are kept raw (they are what was signed); callers validate before use.
 */
final class WP401_Signed_Request {

	/** Bodies larger than this are never verified (and never hashed). */
	const MAX_BODY_BYTES = 1048576;

	/** Header values longer than this are treated as absent garbage. */
	const MAX_HEADER_BYTES = 4096;

	/** @var string */
	public $method;
	/** @var string Host header as sent. */
	public $host;
	/** @var string */
	public $path;
	/** @var string */
	public $query;
	/** @var string */
	public $timestamp;
	/** @var string */
	public $nonce;
	/** @var string */
	public $signature;
	/** @var string */
	public $probe;
	/** @var string */
	public $troubleshoot;
	/** @var string|null Lowercase hex SHA-256 of the body; null when the body is unusable. */
	public $body_sha256;
	/** @var bool The request announces a body (a non-zero Content-Length, or any Transfer-Encoding). */
	public $has_body = false;

	/**
	 * @param array<string,mixed> $server       A $_SERVER-like array.
	 * @param callable|null       $read_body    Returns the raw body; called only when needed.
	 */
	public static function from_server( array $server, ?callable $read_body = null ): self {
		$r         = new self();
		$r->method = self::header( $server, 'REQUEST_METHOD' );
		$r->host   = self::header( $server, 'HTTP_HOST' );
		$uri       = self::header( $server, 'REQUEST_URI' );
		// Absolute-form request targets: keep only path and query.
		if ( 1 === preg_match( '#^[a-z][a-z0-9+.-]*://[^/?]*#i', $uri, $m ) ) {
			$uri = (string) substr( $uri, strlen( $m[0] ) );
		}
		$hash = strpos( $uri, '#' );
		if ( false !== $hash ) {
			$uri = (string) substr( $uri, 0, $hash );
		}
		$q               = strpos( $uri, '?' );
		$r->path         = false === $q ? $uri : (string) substr( $uri, 0, $q );
		$r->query        = false === $q ? '' : (string) substr( $uri, $q + 1 );
		$r->timestamp    = self::header( $server, 'HTTP_X_WP401_TIMESTAMP' );
		$r->nonce        = self::header( $server, 'HTTP_X_WP401_NONCE' );
		$r->signature    = self::header( $server, 'HTTP_X_WP401_SIGNATURE' );
		$r->probe        = self::header( $server, 'HTTP_X_WP401_PROBE' );
		$r->troubleshoot = self::header( $server, 'HTTP_X_WP401_TROUBLESHOOT' );
		$r->body_sha256  = null;

		$type     = strtolower( self::header( $server, 'CONTENT_TYPE' ) );
		$length   = self::header( $server, 'CONTENT_LENGTH' );
		$encoding = isset( $server['HTTP_TRANSFER_ENCODING'] ) && is_string( $server['HTTP_TRANSFER_ENCODING'] ) && '' !== trim( $server['HTTP_TRANSFER_ENCODING'] );
		if ( '' !== $length && ( 1 !== preg_match( '/^[0-9]{1,12}$/', $length ) || (int) $length > self::MAX_BODY_BYTES ) ) {
			return $r; // Unusable length: never verified.
		}
		$r->has_body = $encoding || ( '' !== $length && 0 !== (int) $length );
		if ( ! $r->has_body ) {
			$r->body_sha256 = hash( 'sha256', '' );
			return $r;
		}
		if ( 0 === strpos( $type, 'multipart/form-data' ) || null === $read_body ) {
			// PHP consumes multipart bodies itself (php://input is empty for them): there
			// are no exact bytes to hash, so such a request can never verify.
			return $r;
		}
		// Chunked bodies have no Content-Length: the bytes PHP read are what counts.
		$body           = (string) call_user_func( $read_body );
		$r->body_sha256 = strlen( $body ) > self::MAX_BODY_BYTES ? null : hash( 'sha256', $body );
		return $r;
	}

	/** Whether the request carries any of the signature headers. */
	public function claims_signature(): bool {
		return '' !== $this->signature || '' !== $this->nonce || '' !== $this->timestamp;
	}

	/**
	 * A trimmed string value, or "" when absent, not a string, too long or
	 * containing control characters (those would break the line format).
	 *
	 * @param array<string,mixed> $server A $_SERVER-like array.
	 * @param string              $name   Key.
	 */
	private static function header( array $server, string $name ): string {
		if ( ! isset( $server[ $name ] ) || ! is_string( $server[ $name ] ) ) {
			return '';
		}
		$value = trim( $server[ $name ], " \t" );
		if ( strlen( $value ) > self::MAX_HEADER_BYTES && 'REQUEST_URI' !== $name ) {
			return '';
		}
		if ( 1 === preg_match( '/[\x00-\x1f\x7f]/', $value ) ) {
			return '';
		}
		return $value;
	}
}
