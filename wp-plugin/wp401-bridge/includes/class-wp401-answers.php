<?php
/**
 * What the bridge answers, whichever door the request came through (the
 * must-use loader's early door or the REST routes): route name in, status
 * and data out, plus the headers every answer carries.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Door-independent answers: env, time, ledger.
 */
final class WP401_Answers {

	const ROUTES   = array( 'env', 'time', 'ledger' );
	const PROBE_ID = '/^[A-Za-z0-9_-]{1,64}$/';
	const MAX_IDS  = 200;

	/**
	 * Whether the verdict lets this route answer: every route needs a valid
	 * signature, except /time, which also answers an authentic request whose
	 * clock is outside the window (so the scanner can learn the server's).
	 *
	 * @param string                $route Route name.
	 * @param array<string,mixed>   $gate  WP401_Gate::current().
	 */
	public static function allowed( string $route, array $gate ): bool {
		if ( $gate['valid'] ) {
			return true;
		}
		return 'time' === $route && $gate['authentic'] && WP401_Verifier::EXPIRED === $gate['reason'];
	}

	/**
	 * The answer for an authentic request. Refusals are spelled out (the client
	 * holds the key, so it may know why); nobody else ever gets here.
	 *
	 * @param string              $route  Route name.
	 * @param array<string,mixed> $gate   WP401_Gate::current().
	 * @param string              $probes Raw "probe" parameter (ledger).
	 * @param string              $door   "early" or "rest".
	 * @return array{0:int,1:array<string,mixed>}
	 */
	public static function answer( string $route, array $gate, string $probes, string $door ): array {
		if ( WP401_Verifier::RATE_LIMITED === $gate['reason'] ) {
			return array(
				429,
				array(
					'code'    => 'wp401_rate_limited',
					'message' => sprintf(
						/* translators: %d: seconds. */
						__( 'Too many signed requests with this key. Retry after %d seconds.', 'wp401-bridge' ),
						WP401_Store_Rate_Limit::RETRY_AFTER
					),
					'data'    => array(
						'status'     => 429,
						'retryAfter' => WP401_Store_Rate_Limit::RETRY_AFTER,
					),
				),
			);
		}
		if ( ! self::allowed( $route, $gate ) ) {
			return array(
				401,
				array(
					'code'    => 'wp401_signature_refused',
					'message' => __( 'The signature was refused.', 'wp401-bridge' ),
					'data'    => array(
						'status' => 401,
						'reason' => (string) $gate['reason'],
					),
				),
			);
		}
		if ( 'time' === $route ) {
			$now = microtime( true );
			return array(
				200,
				array(
					'unix'   => (int) floor( $now ),
					'unixMs' => (int) floor( $now * 1000 ),
					'iso'    => gmdate( 'c', (int) $now ),
				),
			);
		}
		if ( 'ledger' === $route ) {
			$ids = self::probe_ids( $probes );
			if ( null === $ids ) {
				return array(
					400,
					array(
						'code'    => 'rest_invalid_param',
						'message' => __( 'Invalid probe ids.', 'wp401-bridge' ),
						'data'    => array( 'status' => 400 ),
					),
				);
			}
			return array( 200, array( 'entries' => WP401_Ledger::read( $ids ) ) );
		}
		$report                           = WP401_Environment::report();
		$report['bridge']['door']         = $door;
		$report['bridge']['hooksComplete'] = did_action( 'plugins_loaded' ) > 0;
		return array( 200, $report );
	}

	/**
	 * Comma-separated probe ids, validated; null when invalid.
	 *
	 * @param string $value Raw parameter.
	 * @return string[]|null
	 */
	public static function probe_ids( string $value ): ?array {
		$ids = explode( ',', $value );
		if ( '' === $value || count( $ids ) > self::MAX_IDS ) {
			return null;
		}
		$out = array();
		foreach ( $ids as $id ) {
			if ( 1 !== preg_match( self::PROBE_ID, $id ) ) {
				return null;
			}
			$out[ $id ] = true;
		}
		return array_keys( $out );
	}

	/**
	 * Headers for every bridge answer: never cached, never shared, and signed
	 * so the scanner knows it came from the bridge for its own request.
	 *
	 * @param array<string,mixed> $gate   WP401_Gate::current().
	 * @param int                 $status HTTP status.
	 * @param string              $body   The exact body.
	 * @return array<string,string>
	 */
	public static function headers( array $gate, int $status, string $body ): array {
		$headers = array(
			'Cache-Control' => 'no-store, private',
			'Vary'          => 'X-WP401-Signature, X-WP401-Nonce, X-WP401-Timestamp',
			'X-WP401-Answer' => WP401_Canonical::answer_signature( WP401_Key::get(), (string) $gate['nonce'], $status, $body ),
		);
		if ( 429 === $status ) {
			$headers['Retry-After'] = (string) WP401_Store_Rate_Limit::RETRY_AFTER;
		}
		return $headers;
	}
}
