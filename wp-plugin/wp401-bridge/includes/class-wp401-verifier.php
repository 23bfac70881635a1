<?php
/**
 * Checks a signed request: format, clock window, HMAC, replay.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Verifies v2 signatures. The outcome is a short reason code used only
 * internally and in tests; callers must never send it to the client.
 */
final class WP401_Verifier {

	const WINDOW = 300;

	const OK            = 'ok';
	const UNSIGNED      = 'unsigned';
	const MALFORMED     = 'malformed';
	const NO_KEY        = 'no-key';
	const EXPIRED       = 'expired';
	const BAD_SIGNATURE = 'bad-signature';
	const REPLAYED      = 'replayed';
	const RATE_LIMITED  = 'rate-limited';

	/** Keys shorter than this are refused outright (a weak constant in wp-config.php). */
	const MIN_KEY_LENGTH = 32;

	/** @var string */
	private $key;
	/** @var WP401_Replay_Cache */
	private $cache;
	/** @var int */
	private $window;
	/** @var WP401_Rate_Limit|null */
	private $limit;
	/** @var bool The last request carried a correct HMAC (whatever its clock or nonce). */
	private $authentic = false;

	public function __construct( string $key, WP401_Replay_Cache $cache, int $window = self::WINDOW, ?WP401_Rate_Limit $limit = null ) {
		$this->key    = $key;
		$this->cache  = $cache;
		$this->window = $window;
		$this->limit  = $limit;
	}

	/**
	 * Whether the last verified request was signed with the key, even if its
	 * timestamp fell outside the window (only /time answers such a request,
	 * so a client with a wrong clock can learn the server's).
	 */
	public function authentic(): bool {
		return $this->authentic;
	}

	/**
	 * @param WP401_Signed_Request $r   The request.
	 * @param int                  $now Server time, unix seconds.
	 */
	public function verify( WP401_Signed_Request $r, int $now ): string {
		$this->authentic = false;
		if ( ! $r->claims_signature() ) {
			return self::UNSIGNED;
		}
		if ( 1 !== preg_match( '/^[0-9]{1,12}$/', $r->timestamp )
			|| 1 !== preg_match( '/^[A-Za-z0-9_-]{22,128}$/', $r->nonce )
			|| 1 !== preg_match( '/^v2=[0-9a-f]{64}$/', $r->signature )
			|| 1 !== preg_match( '/^[A-Z]{1,16}$/', strtoupper( $r->method ) )
			|| '' === $r->host
			|| null === $r->body_sha256 ) {
			return self::MALFORMED;
		}
		if ( strlen( $this->key ) < self::MIN_KEY_LENGTH ) {
			return self::NO_KEY;
		}
		$expected = WP401_Canonical::signature(
			$this->key,
			WP401_Canonical::string_to_sign( $r->method, $r->host, $r->path, $r->query, $r->timestamp, $r->nonce, $r->body_sha256, $r->probe, $r->troubleshoot )
		);
		if ( ! hash_equals( $expected, $r->signature ) ) {
			return self::BAD_SIGNATURE;
		}
		$this->authentic = true;
		if ( abs( $now - (int) $r->timestamp ) > $this->window ) {
			return self::EXPIRED;
		}
		if ( null !== $this->limit && ! $this->limit->allow( $this->key ) ) {
			return self::RATE_LIMITED;
		}
		// Remember until the timestamp can no longer pass the window, plus a margin.
		$ttl = max( 1, (int) $r->timestamp + $this->window - $now ) + 60;
		if ( ! $this->cache->remember( $r->nonce, $ttl ) ) {
			return self::REPLAYED;
		}
		return self::OK;
	}
}
