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

	/** @var array{valid:bool,authentic:bool,reason:string,probe:?string,troubleshoot:string,nonce:string,method:string,path:string,query:string,has_body:bool}|null */
	private static $result = null;

	/**
	 * The verdict for this request. `valid`: signed, in the clock window, not
	 * replayed, not over the rate; `authentic`: signed with the key, whatever
	 * the clock (only /time may answer such a request); `reason`: the
	 * verifier's code, never shown to the client except as 429 for a key over
	 * its rate.
	 *
	 * @return array{valid:bool,authentic:bool,reason:string,probe:?string,troubleshoot:string,nonce:string,method:string,path:string,query:string,has_body:bool}
	 */
	public static function current(): array {
		if ( null !== self::$result ) {
			return self::$result;
		}
		// phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- validated field by field in WP401_Signed_Request / WP401_Verifier.
		$request = WP401_Signed_Request::from_server(
			$_SERVER,
			static function (): string {
				return (string) file_get_contents( 'php://input', false, null, 0, WP401_Signed_Request::MAX_BODY_BYTES + 1 );
			}
		);
		$reason    = WP401_Verifier::UNSIGNED;
		$authentic = false;
		if ( $request->claims_signature() ) {
			$verifier  = new WP401_Verifier( WP401_Key::get(), new WP401_Replay_Cache_Store(), WP401_Verifier::WINDOW, new WP401_Store_Rate_Limit() );
			$reason    = $verifier->verify( $request, time() );
			$authentic = $verifier->authentic();
		}
		$valid        = WP401_Verifier::OK === $reason;
		$probe        = $valid && 1 === preg_match( '/^[A-Za-z0-9_-]{1,64}$/', $request->probe ) ? $request->probe : null;
		self::$result = array(
			'valid'        => $valid,
			'authentic'    => $authentic,
			'reason'       => $reason,
			'probe'        => $probe,
			'troubleshoot' => $valid ? $request->troubleshoot : '',
			'nonce'        => $authentic ? $request->nonce : '',
			'method'       => strtoupper( $request->method ),
			'path'         => $request->path,
			'query'        => $request->query,
			'has_body'     => $request->has_body,
		);
		return self::$result;
	}

	/** For tests of code that reads the verdict: forget it. */
	public static function reset(): void {
		self::$result = null;
	}

	/** Cheap pre-check: does the request even try to be signed? */
	public static function claims_signature(): bool {
		return ! empty( $_SERVER['HTTP_X_WP401_SIGNATURE'] );
	}
}
