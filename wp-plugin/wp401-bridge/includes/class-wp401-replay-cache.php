<?php
/**
 * Replay caches: remember each nonce until its signature could no longer pass
 * the clock window.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * A place to remember nonces.
 */
interface WP401_Replay_Cache {
	/**
	 * Remember a nonce. False when it was seen before or the cache is full.
	 *
	 * @param string $nonce Nonce as sent.
	 * @param int    $ttl   Seconds to remember it.
	 */
	public function remember( string $nonce, int $ttl ): bool;
}

/**
 * In-memory cache for tests and for a single request.
 */
final class WP401_Replay_Cache_Memory implements WP401_Replay_Cache {
	/** @var array<string,bool> */
	private $seen = array();
	/** @var int */
	private $cap;

	public function __construct( int $cap = 10000 ) {
		$this->cap = $cap;
	}

	public function remember( string $nonce, int $ttl ): bool {
		$key = hash( 'sha256', $nonce );
		if ( isset( $this->seen[ $key ] ) || count( $this->seen ) >= $this->cap ) {
			return false;
		}
		$this->seen[ $key ] = true;
		return true;
	}
}
