<?php
/**
 * The one place that decides whether the current HTTP request is validly
 * signed. Verified once per request (the nonce can only be spent once), then
 * remembered, so the must-use loader, the ledger and the REST routes agree.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Per-request signature verdict.
 */
final class WP401_Gate {

	/** @var array{valid:bool,probe:?string,troubleshoot:string}|null */
	private static $result = null;

	/**
	 * @return array{valid:bool,probe:?string,troubleshoot:string}
	 */
	public static function current(): array {
		if ( null !== self::$result ) {
			return self::$result;
		}
		// phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- validated field by field in WP401_Signed_Request / WP401_Verifier.
		$request = WP401_Signed_Request::from_server(
			$_SERVER,
			static function (): string {
				return (string) file_get_contents( 'php://input' );
			}
		);
		$valid = false;
		if ( $request->claims_signature() ) {
			$verifier = new WP401_Verifier( WP401_Key::get(), new WP401_Replay_Cache_Store() );
			$valid    = WP401_Verifier::OK === $verifier->verify( $request, time() );
		}
		$probe        = $valid && 1 === preg_match( '/^[A-Za-z0-9_-]{1,64}$/', $request->probe ) ? $request->probe : null;
		self::$result = array(
			'valid'        => $valid,
			'probe'        => $probe,
			'troubleshoot' => $valid ? $request->troubleshoot : '',
		);
		return self::$result;
	}

	/** Cheap pre-check: does the request even try to be signed? */
	public static function claims_signature(): bool {
		return ! empty( $_SERVER['HTTP_X_WP401_SIGNATURE'] );
	}
}
