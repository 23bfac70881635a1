<?php
/**
 * Canonical query encoding.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

final class CanonicalQueryTest extends TestCase {

	/** @return array<string,array{0:string,1:string}> */
	public function cases(): array {
		return array(
			'empty'              => array( '', '' ),
			'order kept'         => array( 'b=2&a=1', 'b=2&a=1' ),
			'repeats in order'   => array( 'a=2&a=10&a=1', 'a=2&a=10&a=1' ),
			'plus is space'      => array( 'q=a+b', 'q=a%20b' ),
			'encoded plus stays' => array( 'q=a%2Bb', 'q=a%2Bb' ),
			'reserved encoded'   => array( 'r=/wp401/v1/env', 'r=%2Fwp401%2Fv1%2Fenv' ),
			'tilde unencoded'    => array( 't=%7E', 't=~' ),
			'sub-delims'         => array( "s=!*'()", 's=%21%2A%27%28%29' ),
			'lower hex upper'    => array( 'x=%c3%a9', 'x=%C3%A9' ),
			'no value'           => array( 'flag', 'flag=' ),
			'empty pieces'       => array( '&&a=1&&', 'a=1' ),
			'equals in value'    => array( 'a=b=c', 'a=b%3Dc' ),
			'brackets'           => array( 'a[]=1&a[]=2', 'a%5B%5D=1&a%5B%5D=2' ),
			'comma'              => array( 'probe=a,b', 'probe=a%2Cb' ),
			'raw bytes'          => array( "k=\xff", 'k=%FF' ),
		);
	}

	/** @dataProvider cases */
	public function test_canonical_query( string $raw, string $expected ): void {
		$this->assertSame( $expected, WP401_Canonical::query( $raw ) );
	}

	public function test_method_is_uppercased_host_and_hash_lowercased(): void {
		$sts = WP401_Canonical::string_to_sign( 'get', 'Example.Test:443', '/', '', '1', 'n', 'ABC', '', '' );
		$this->assertSame( "wp401-v2\nGET\nexample.test\n/\n\n1\nn\nabc\n\n", $sts );
	}
}
