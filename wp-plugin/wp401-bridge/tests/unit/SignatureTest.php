<?php
/**
 * Signing and verification without WordPress.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

final class SignatureTest extends TestCase {

	const KEY = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
	const NOW = 1700000000;

	/**
	 * A $_SERVER-like array for a correctly signed request.
	 *
	 * @param array<string,string> $over Fields to change after signing.
	 * @return array{0:array<string,string>,1:string}
	 */
	private static function signed( string $method = 'GET', string $uri = '/wp-json/wp401/v1/env', string $body = '', array $extra = array(), int $ts = self::NOW, string $key = self::KEY ): array {
		$nonce = rtrim( strtr( base64_encode( random_bytes( 16 ) ), '+/', '-_' ), '=' );
		$q     = strpos( $uri, '?' );
		$path  = false === $q ? $uri : substr( $uri, 0, $q );
		$query = false === $q ? '' : substr( $uri, $q + 1 );
		$sts   = WP401_Canonical::string_to_sign( $method, $extra['HTTP_HOST'] ?? 'example.test', $path, $query, (string) $ts, $nonce, hash( 'sha256', $body ), $extra['HTTP_X_WP401_PROBE'] ?? '', $extra['HTTP_X_WP401_TROUBLESHOOT'] ?? '' );
		$server = array(
			'REQUEST_METHOD'         => $method,
			'REQUEST_URI'            => $uri,
			'HTTP_HOST'              => 'example.test',
			'CONTENT_LENGTH'         => (string) strlen( $body ),
			'HTTP_X_WP401_TIMESTAMP' => (string) $ts,
			'HTTP_X_WP401_NONCE'     => $nonce,
			'HTTP_X_WP401_SIGNATURE' => WP401_Canonical::signature( $key, $sts ),
		) + $extra;
		return array( $server, $body );
	}

	private static function verify( array $server, string $body, ?WP401_Replay_Cache $cache = null, int $now = self::NOW, string $key = self::KEY ): string {
		$request = WP401_Signed_Request::from_server(
			$server,
			static function () use ( $body ): string {
				return $body;
			}
		);
		return ( new WP401_Verifier( $key, $cache ?? new WP401_Replay_Cache_Memory() ) )->verify( $request, $now );
	}

	public function test_good_signature_passes(): void {
		list( $server, $body ) = self::signed();
		$this->assertSame( WP401_Verifier::OK, self::verify( $server, $body ) );
	}

	public function test_good_signature_with_query_body_and_probe_passes(): void {
		list( $server, $body ) = self::signed( 'POST', '/?rest_route=/wp401/v1/ledger&probe=a,b', 'x=1', array( 'HTTP_X_WP401_PROBE' => 'p-1' ) );
		$this->assertSame( WP401_Verifier::OK, self::verify( $server, $body ) );
	}

	public function test_query_order_is_signed(): void {
		// PHP keeps the last of a repeated key: a reordered query means something else.
		list( $server, $body ) = self::signed( 'GET', '/?rest_route=/wp401/v1/time&rest_route=/wp401/v1/env' );
		$server['REQUEST_URI'] = '/?rest_route=/wp401/v1/env&rest_route=/wp401/v1/time';
		$this->assertSame( WP401_Verifier::BAD_SIGNATURE, self::verify( $server, $body ) );
		list( $server, $body ) = self::signed( 'GET', '/?b=2&a=1' );
		$server['REQUEST_URI'] = '/?a=1&b=2';
		$this->assertSame( WP401_Verifier::BAD_SIGNATURE, self::verify( $server, $body ) );
	}

	public function test_host_is_signed_default_port_ignored(): void {
		list( $server, $body ) = self::signed();
		$server['HTTP_HOST']   = 'other.test';
		$this->assertSame( WP401_Verifier::BAD_SIGNATURE, self::verify( $server, $body ) );
		list( $server, $body ) = self::signed();
		$server['HTTP_HOST']   = 'EXAMPLE.test:80';
		$this->assertSame( WP401_Verifier::OK, self::verify( $server, $body ) );
		list( $server, $body ) = self::signed();
		unset( $server['HTTP_HOST'] );
		$this->assertSame( WP401_Verifier::MALFORMED, self::verify( $server, $body ) );
	}

	public function test_chunked_body_is_hashed_and_must_match(): void {
		list( $server ) = self::signed( 'POST', '/wp-comments-post.php', 'comment=signed' );
		unset( $server['CONTENT_LENGTH'] );
		$server['HTTP_TRANSFER_ENCODING'] = 'chunked';
		$this->assertSame( WP401_Verifier::OK, self::verify( $server, 'comment=signed' ) );
		list( $server ) = self::signed( 'POST', '/wp-comments-post.php', '' );
		unset( $server['CONTENT_LENGTH'] );
		$server['HTTP_TRANSFER_ENCODING'] = 'chunked';
		$this->assertSame( WP401_Verifier::BAD_SIGNATURE, self::verify( $server, 'comment=substituted' ) );
	}

	public function test_multipart_body_never_verifies(): void {
		list( $server ) = self::signed( 'POST', '/wp-comments-post.php', '' );
		$server['CONTENT_TYPE']   = 'multipart/form-data; boundary=x';
		$server['CONTENT_LENGTH'] = '120';
		$this->assertSame( WP401_Verifier::MALFORMED, self::verify( $server, '' ) );
	}

	public function test_rate_limit_refuses_after_a_valid_signature_and_spends_no_nonce(): void {
		$limit = new class() implements WP401_Rate_Limit {
			/** @var int */
			public $left = 1;
			public function allow( string $key ): bool {
				return $this->left-- > 0;
			}
		};
		$cache = new WP401_Replay_Cache_Memory();
		list( $a, $body ) = self::signed();
		list( $b )        = self::signed();
		$verify = static function ( array $server ) use ( $body, $cache, $limit ): string {
			$request = WP401_Signed_Request::from_server(
				$server,
				static function () use ( $body ): string {
					return $body;
				}
			);
			return ( new WP401_Verifier( self::KEY, $cache, WP401_Verifier::WINDOW, $limit ) )->verify( $request, self::NOW );
		};
		$this->assertSame( WP401_Verifier::OK, $verify( $a ) );
		$this->assertSame( WP401_Verifier::RATE_LIMITED, $verify( $b ) );
	}

	public function test_expired_but_authentic_is_told_apart_from_forged(): void {
		list( $server, $body ) = self::signed( 'GET', '/?wp401_bridge=time', '', array(), self::NOW - 86400 );
		$request               = WP401_Signed_Request::from_server(
			$server,
			static function () use ( $body ): string {
				return $body;
			}
		);
		$verifier = new WP401_Verifier( self::KEY, new WP401_Replay_Cache_Memory() );
		$this->assertSame( WP401_Verifier::EXPIRED, $verifier->verify( $request, self::NOW ) );
		$this->assertTrue( $verifier->authentic() );
		list( $server, $body ) = self::signed( 'GET', '/?wp401_bridge=time', '', array(), self::NOW - 86400, str_repeat( 'z', 64 ) );
		$request               = WP401_Signed_Request::from_server( $server, null );
		$this->assertSame( WP401_Verifier::BAD_SIGNATURE, $verifier->verify( $request, self::NOW ) );
		$this->assertFalse( $verifier->authentic() );
	}

	public function test_unsigned_request(): void {
		$this->assertSame( WP401_Verifier::UNSIGNED, self::verify( array( 'REQUEST_METHOD' => 'GET', 'REQUEST_URI' => '/' ), '' ) );
	}

	public function test_wrong_key(): void {
		list( $server, $body ) = self::signed( 'GET', '/wp-json/wp401/v1/env', '', array(), self::NOW, str_repeat( 'x', 64 ) );
		$this->assertSame( WP401_Verifier::BAD_SIGNATURE, self::verify( $server, $body ) );
	}

	public function test_short_key_refused_even_if_signature_matches(): void {
		list( $server, $body ) = self::signed( 'GET', '/', '', array(), self::NOW, 'short' );
		$this->assertSame( WP401_Verifier::NO_KEY, self::verify( $server, $body, null, self::NOW, 'short' ) );
	}

	/** @return array<string,array{0:string,1:string}> */
	public function tampering(): array {
		return array(
			'method'       => array( 'REQUEST_METHOD', 'POST' ),
			'path'         => array( 'REQUEST_URI', '/wp-json/wp401/v1/ledger' ),
			'query added'  => array( 'REQUEST_URI', '/wp-json/wp401/v1/env?x=1' ),
			'probe added'  => array( 'HTTP_X_WP401_PROBE', 'other' ),
			'troubleshoot' => array( 'HTTP_X_WP401_TROUBLESHOOT', 'acme/acme.php' ),
			'timestamp'    => array( 'HTTP_X_WP401_TIMESTAMP', (string) ( self::NOW + 1 ) ),
			'nonce'        => array( 'HTTP_X_WP401_NONCE', 'BBBBBBBBBBBBBBBBBBBBBB' ),
		);
	}

	/** @dataProvider tampering */
	public function test_tampered_field_fails( string $field, string $value ): void {
		list( $server, $body ) = self::signed();
		$server[ $field ]      = $value;
		$this->assertSame( WP401_Verifier::BAD_SIGNATURE, self::verify( $server, $body ) );
	}

	public function test_tampered_query_value_fails(): void {
		list( $server, $body ) = self::signed( 'GET', '/?rest_route=/wp401/v1/ledger&probe=a' );
		$server['REQUEST_URI'] = '/?rest_route=/wp401/v1/ledger&probe=b';
		$this->assertSame( WP401_Verifier::BAD_SIGNATURE, self::verify( $server, $body ) );
	}

	public function test_tampered_body_fails(): void {
		list( $server ) = self::signed( 'POST', '/wp-login.php', 'log=a&pwd=b' );
		$this->assertSame( WP401_Verifier::BAD_SIGNATURE, self::verify( $server, 'log=a&pwd=c' ) );
	}

	public function test_tampered_probe_header_fails(): void {
		list( $server, $body )              = self::signed( 'GET', '/', '', array( 'HTTP_X_WP401_PROBE' => 'p1' ) );
		$server['HTTP_X_WP401_PROBE'] = 'p2';
		$this->assertSame( WP401_Verifier::BAD_SIGNATURE, self::verify( $server, $body ) );
	}

	public function test_expired_timestamp(): void {
		list( $server, $body ) = self::signed( 'GET', '/', '', array(), self::NOW - 301 );
		$this->assertSame( WP401_Verifier::EXPIRED, self::verify( $server, $body ) );
	}

	public function test_future_timestamp(): void {
		list( $server, $body ) = self::signed( 'GET', '/', '', array(), self::NOW + 301 );
		$this->assertSame( WP401_Verifier::EXPIRED, self::verify( $server, $body ) );
	}

	public function test_edge_of_window_passes(): void {
		list( $server, $body ) = self::signed( 'GET', '/', '', array(), self::NOW + 300 );
		$this->assertSame( WP401_Verifier::OK, self::verify( $server, $body ) );
	}

	public function test_replay_is_refused(): void {
		list( $server, $body ) = self::signed();
		$cache                 = new WP401_Replay_Cache_Memory();
		$this->assertSame( WP401_Verifier::OK, self::verify( $server, $body, $cache ) );
		$this->assertSame( WP401_Verifier::REPLAYED, self::verify( $server, $body, $cache ) );
	}

	public function test_bad_signature_does_not_spend_the_nonce(): void {
		list( $server, $body ) = self::signed();
		$cache                 = new WP401_Replay_Cache_Memory();
		$forged                = $server;
		$forged['HTTP_X_WP401_SIGNATURE'] = 'v2=' . str_repeat( '0', 64 );
		$this->assertSame( WP401_Verifier::BAD_SIGNATURE, self::verify( $forged, $body, $cache ) );
		$this->assertSame( WP401_Verifier::OK, self::verify( $server, $body, $cache ) );
	}

	public function test_full_cache_fails_closed(): void {
		$cache = new WP401_Replay_Cache_Memory( 1 );
		list( $a, $body ) = self::signed();
		list( $b )        = self::signed();
		$this->assertSame( WP401_Verifier::OK, self::verify( $a, $body, $cache ) );
		$this->assertSame( WP401_Verifier::REPLAYED, self::verify( $b, $body, $cache ) );
	}

	/** @return array<string,array{0:string,1:string}> */
	public function malformed(): array {
		return array(
			'uppercase hex'  => array( 'HTTP_X_WP401_SIGNATURE', 'v2=' . str_repeat( 'A', 64 ) ),
			'old version'    => array( 'HTTP_X_WP401_SIGNATURE', 'v1=' . str_repeat( 'a', 64 ) ),
			'no version'     => array( 'HTTP_X_WP401_SIGNATURE', str_repeat( 'a', 64 ) ),
			'short nonce'    => array( 'HTTP_X_WP401_NONCE', 'abc' ),
			'nonce charset'  => array( 'HTTP_X_WP401_NONCE', 'AAAAAAAAAAAAAAAAAAAAA+' ),
			'timestamp text' => array( 'HTTP_X_WP401_TIMESTAMP', '17e8' ),
			'newline'        => array( 'HTTP_X_WP401_SIGNATURE', "v2=\n" ),
			'array'          => array( 'HTTP_X_WP401_TIMESTAMP', '' ),
		);
	}

	/** @dataProvider malformed */
	public function test_malformed_headers( string $field, string $value ): void {
		list( $server, $body ) = self::signed();
		$server[ $field ]      = $value;
		$this->assertSame( WP401_Verifier::MALFORMED, self::verify( $server, $body ) );
	}

	public function test_oversized_body_is_refused(): void {
		list( $server ) = self::signed( 'POST', '/', 'x' );
		$server['CONTENT_LENGTH'] = (string) ( WP401_Signed_Request::MAX_BODY_BYTES + 1 );
		$this->assertSame( WP401_Verifier::MALFORMED, self::verify( $server, 'x' ) );
	}

	public function test_absolute_form_request_target(): void {
		list( $server, $body ) = self::signed( 'GET', '/wp-json/wp401/v1/time' );
		$server['REQUEST_URI'] = 'https://example.test/wp-json/wp401/v1/time';
		$this->assertSame( WP401_Verifier::OK, self::verify( $server, $body ) );
	}

	public function test_vectors_file_matches(): void {
		$file = dirname( __DIR__, 4 ) . '/test/fixtures/bridge/vectors.json';
		if ( ! is_file( $file ) ) {
			$this->markTestSkipped( 'vectors.json not generated' );
		}
		$data = json_decode( (string) file_get_contents( $file ), true );
		$this->assertNotEmpty( $data['vectors'] );
		foreach ( $data['vectors'] as $v ) {
			$sts = WP401_Canonical::string_to_sign( $v['method'], $v['host'], $v['path'], $v['query'], $v['timestamp'], $v['nonce'], hash( 'sha256', $v['body'] ), $v['probe'], $v['troubleshoot'] );
			$this->assertSame( $v['stringToSign'], $sts, $v['name'] );
			$this->assertSame( $v['signature'], WP401_Canonical::signature( $v['key'], $sts ), $v['name'] );
		}
	}
}
