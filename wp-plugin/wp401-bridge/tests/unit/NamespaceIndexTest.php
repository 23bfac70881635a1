<?php
/**
 * The namespace index (/wp401/v1) is refused before route matching when the
 * request is not signed, so the answer carries no "Allow" header and looks
 * like a namespace that does not exist.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

final class NamespaceIndexTest extends TestCase {

	const WP = '/usr/share/wordpress/wp-includes/';

	public static function setUpBeforeClass(): void {
		require_once self::WP . 'class-wp-error.php';
		require_once self::WP . 'rest-api/class-wp-rest-request.php';
		if ( ! function_exists( '__' ) ) {
			require_once __DIR__ . '/../i18n-stub.php';
		}
	}

	/** @return array<string,array{0:string,1:bool}> */
	public function routes(): array {
		return array(
			'index'           => array( '/wp401/v1', true ),
			'index slash'     => array( '/wp401/v1/', true ),
			'index uppercase' => array( '/WP401/V1', true ),
			'route'           => array( '/wp401/v1/env', false ),
			'other namespace' => array( '/wp/v2', false ),
			'site index'      => array( '/', false ),
			'prefix only'     => array( '/wp401', false ),
		);
	}

	/** @dataProvider routes */
	public function test_is_namespace_index( string $route, bool $expected ): void {
		$this->assertSame( $expected, WP401_REST_Controller::is_namespace_index( $route ) );
	}

	public function test_unsigned_namespace_index_is_refused_before_dispatch(): void {
		unset( $_SERVER['HTTP_X_WP401_SIGNATURE'] );
		$result = WP401_REST_Controller::hide_namespace_before_dispatch( null, null, new WP_REST_Request( 'GET', '/wp401/v1' ) );
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( 'rest_no_route', $result->get_error_code() );
		$this->assertSame( array( 'status' => 404 ), $result->get_error_data() );
		$this->assertSame( 'No route was found matching the URL and request method.', $result->get_error_message() );
	}

	public function test_other_routes_and_earlier_results_are_untouched(): void {
		unset( $_SERVER['HTTP_X_WP401_SIGNATURE'] );
		$this->assertNull( WP401_REST_Controller::hide_namespace_before_dispatch( null, null, new WP_REST_Request( 'GET', '/wp401/v1/env' ) ) );
		$this->assertNull( WP401_REST_Controller::hide_namespace_before_dispatch( null, null, new WP_REST_Request( 'GET', '/wp/v2' ) ) );
		$earlier = array( 'short' => 'circuit' );
		$this->assertSame( $earlier, WP401_REST_Controller::hide_namespace_before_dispatch( $earlier, null, new WP_REST_Request( 'GET', '/wp401/v1' ) ) );
	}
}
