<?php
/**
 * The early door: the must-use loader answers signed bridge requests at
 * `muplugins_loaded`, before any regular plugin runs and before REST, and the
 * request ends there. A site whose REST API is walled off, or locked from PHP
 * by a plugin, still answers.
 *
 * Addressed by the query parameter `wp401_bridge=env|time|ledger` on any URL
 * of the site (the scanner uses the home URL). Anything that is not an
 * authentic signed GET/HEAD is left alone: WordPress answers it as if the
 * bridge did not exist.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Answers at muplugins_loaded.
 */
final class WP401_Early_Door {

	const PARAM = 'wp401_bridge';

	public static function register(): void {
		add_action( 'muplugins_loaded', array( __CLASS__, 'maybe_answer' ), PHP_INT_MIN, 0 );
	}

	/** The route asked for, or "" when this is not an early-door request. */
	public static function route(): string {
		// phpcs:ignore WordPress.Security.NonceVerification -- access is by signature, checked before anything is answered.
		$raw = isset( $_GET[ self::PARAM ] ) && is_string( $_GET[ self::PARAM ] ) ? (string) $_GET[ self::PARAM ] : '';
		return in_array( $raw, WP401_Answers::ROUTES, true ) ? $raw : '';
	}

	public static function maybe_answer(): void {
		$route = self::route();
		if ( '' === $route || ! WP401_Gate::claims_signature() ) {
			return;
		}
		$gate = WP401_Gate::current();
		if ( ! $gate['authentic'] || ! in_array( $gate['method'], array( 'GET', 'HEAD' ), true ) || $gate['has_body'] ) {
			return; // Not ours to answer: WordPress goes on as if the bridge were not here.
		}
		// The request ends here, but the collectors read what WordPress defines right after this hook.
		if ( function_exists( 'wp_cookie_constants' ) ) {
			wp_cookie_constants();
		}
		if ( function_exists( 'wp_ssl_constants' ) ) {
			wp_ssl_constants();
		}
		if ( ! isset( $GLOBALS['wp_rewrite'] ) && class_exists( 'WP_Rewrite' ) ) {
			$GLOBALS['wp_rewrite'] = new WP_Rewrite(); // phpcs:ignore WordPress.WP.GlobalVariablesOverride -- WordPress creates the same object later in this request, which ends here.
		}
		// phpcs:ignore WordPress.Security.NonceVerification -- see above.
		$probes = isset( $_GET['probe'] ) && is_string( $_GET['probe'] ) ? (string) $_GET['probe'] : '';
		list( $status, $data ) = WP401_Answers::answer( $route, $gate, $probes, 'early' );
		$body = (string) wp_json_encode( $data );
		self::send( $gate, $status, $body );
	}

	/**
	 * @param array<string,mixed> $gate   WP401_Gate::current().
	 * @param int                 $status HTTP status.
	 * @param string              $body   JSON body.
	 */
	private static function send( array $gate, int $status, string $body ): void {
		// A page cache that honours it stores nothing (the scanner's URLs also carry a random part).
		if ( ! defined( 'DONOTCACHEPAGE' ) ) {
			define( 'DONOTCACHEPAGE', true );
		}
		if ( ! headers_sent() ) {
			status_header( $status );
			header( 'Content-Type: application/json; charset=UTF-8' );
			header( 'X-Content-Type-Options: nosniff' );
			foreach ( WP401_Answers::headers( $gate, $status, $body ) as $name => $value ) {
				header( $name . ': ' . $value );
			}
		}
		if ( 'HEAD' !== $gate['method'] ) {
			echo $body; // phpcs:ignore WordPress.Security.EscapeOutput -- JSON, served as application/json with nosniff.
		}
		exit;
	}
}
