<?php
/**
 * Random headers and bodies: the verifier never throws, never accepts
 * garbage, and stays fast.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

final class FuzzTest extends TestCase {

	private static function junk( int $max ): string {
		$len = random_int( 1, $max );
		$pool = array( random_bytes( $len ), str_repeat( 'a', $len ), 'v2=' . bin2hex( random_bytes( 32 ) ), (string) random_int( -99999999, PHP_INT_MAX ), "\n\r\0", '%' . bin2hex( random_bytes( 3 ) ) );
		return $pool[ random_int( 0, count( $pool ) - 1 ) ];
	}

	public function test_random_requests_never_throw_or_pass(): void {
		$verifier = new WP401_Verifier( str_repeat( 'k', 64 ), new WP401_Replay_Cache_Memory() );
		$started  = microtime( true );
		for ( $i = 0; $i < 3000; $i++ ) {
			$server = array();
			foreach ( array( 'REQUEST_METHOD', 'REQUEST_URI', 'HTTP_HOST', 'CONTENT_TYPE', 'CONTENT_LENGTH', 'HTTP_TRANSFER_ENCODING', 'HTTP_X_WP401_TIMESTAMP', 'HTTP_X_WP401_NONCE', 'HTTP_X_WP401_SIGNATURE', 'HTTP_X_WP401_PROBE', 'HTTP_X_WP401_TROUBLESHOOT' ) as $field ) {
				if ( random_int( 0, 4 ) > 0 ) {
					$server[ $field ] = self::junk( 300 );
				}
			}
			if ( 0 === random_int( 0, 10 ) ) {
				$server['HTTP_X_WP401_NONCE'] = array( 'not', 'a', 'string' );
			}
			$body    = self::junk( 5000 );
			$request = WP401_Signed_Request::from_server(
				$server,
				static function () use ( $body ): string {
					return $body;
				}
			);
			$result = $verifier->verify( $request, 1700000000 );
			$this->assertNotSame( WP401_Verifier::OK, $result );
			WP401_Canonical::query( (string) ( $server['REQUEST_URI'] ?? '' ) );
			WP401_Troubleshoot_List::parse( (string) ( $server['HTTP_X_WP401_TROUBLESHOOT'] ?? '' ), 'wp401-bridge/wp401-bridge.php' );
			WP401_Htaccess_Reader::parse( $body );
		}
		$this->assertLessThan( 10.0, microtime( true ) - $started );
	}
}
