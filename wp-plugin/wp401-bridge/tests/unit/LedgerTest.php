<?php
/**
 * Ledger and per-request troubleshooting on WordPress's real hook API
 * (wp-includes/plugin.php from the installed WordPress), no database.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

final class LedgerTest extends TestCase {

	const KEY = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
	const WP  = '/usr/share/wordpress/wp-includes/';

	public static function setUpBeforeClass(): void {
		if ( ! is_file( self::WP . 'plugin.php' ) ) {
			self::markTestSkipped( 'WordPress not installed at ' . self::WP );
		}
		require_once self::WP . 'plugin.php';
		require_once self::WP . 'class-wp-error.php';
		require_once dirname( __DIR__ ) . '/wp-stubs.php';
		require_once ABSPATH . 'wp-content/plugins/acme-guard/acme-guard.php';
	}

	protected function setUp(): void {
		global $wp_filter;
		$wp_filter                     = array();
		$GLOBALS['wp401_test_store']   = array();
		$GLOBALS['wp401_test_options'] = array( 'wp401_bridge_key' => self::KEY );
		$this->store_dir = sys_get_temp_dir() . '/wp401-ledger-test-' . bin2hex( random_bytes( 6 ) );
		WP401_Store::use_backend( new WP401_File_Store( $this->store_dir ) );
		foreach ( array( array( 'WP401_Gate', 'result' ), array( 'WP401_Ledger', 'instance' ), array( 'WP401_Environment', 'owners' ) ) as $static ) {
			$p = new ReflectionProperty( $static[0], $static[1] );
			$p->setAccessible( true );
			$p->setValue( null, null );
		}
	}

	/** @var string */
	private $store_dir = '';

	protected function tearDown(): void {
		// Signed requests never touch the options table: the transient stub stays empty.
		$this->assertSame( array(), $GLOBALS['wp401_test_store'] );
		( new WP401_File_Store( $this->store_dir ) )->destroy();
		WP401_Store::use_backend( null );
	}

	/** @param array<string,string> $extra */
	private static function request( array $extra, bool $sign = true ): void {
		$ts    = (string) time();
		$nonce = rtrim( strtr( base64_encode( random_bytes( 16 ) ), '+/', '-_' ), '=' );
		$sts   = WP401_Canonical::string_to_sign( 'GET', 'example.test', '/wp-json/wp/v2/users/me', '', $ts, $nonce, hash( 'sha256', '' ), $extra['HTTP_X_WP401_PROBE'] ?? '', $extra['HTTP_X_WP401_TROUBLESHOOT'] ?? '' );
		$_SERVER = array(
			'REQUEST_METHOD'         => 'GET',
			'REQUEST_URI'            => '/wp-json/wp/v2/users/me',
			'HTTP_HOST'              => 'example.test',
			'HTTP_X_WP401_TIMESTAMP' => $ts,
			'HTTP_X_WP401_NONCE'     => $nonce,
			'HTTP_X_WP401_SIGNATURE' => $sign ? WP401_Canonical::signature( self::KEY, $sts ) : 'v2=' . str_repeat( 'a', 64 ),
		) + $extra;
	}

	public function test_ledger_names_the_callback_that_produced_the_rest_error(): void {
		self::request(
			array(
				'HTTP_X_WP401_PROBE' => 'p-1',
				'HTTP_COOKIE'        => 'wordpress_logged_in_abc=topsecret; other.name=1',
				'HTTP_AUTHORIZATION' => 'Basic dXNlcjpwYXNz',
			)
		);
		add_filter( 'rest_authentication_errors', 'wp401_fixture_acme_guard_block', 99 );
		add_filter( 'rest_authentication_errors', 'wp401_fixture_acme_guard_check', 100 );
		add_filter( 'determine_current_user', 'wp401_fixture_acme_guard_user', 20 );

		WP401_Ledger::maybe_start();
		$user   = apply_filters( 'determine_current_user', false );
		$result = apply_filters( 'rest_authentication_errors', null );
		do_action( 'shutdown' );

		$this->assertSame( 5, $user );
		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertSame( 'rest_cannot_access', $result->get_error_code() );
		// Originals are back in place, so later remove_filter()/has_filter() behave.
		$this->assertSame( 99, has_filter( 'rest_authentication_errors', 'wp401_fixture_acme_guard_block' ) );
		$this->assertTrue( remove_filter( 'rest_authentication_errors', 'wp401_fixture_acme_guard_block', 99 ) );

		$this->assertNotEmpty( ( new WP401_File_Store( $this->store_dir ) )->files(), 'nonce and ledger entry live in the file store' );
		$entry = WP401_Ledger::read( array( 'p-1', 'p-2' ) );
		$this->assertNull( $entry['p-2'] );
		$e = $entry['p-1'];
		$this->assertTrue( $e['reachedPhp'] );
		$this->assertTrue( $e['authorizationHeader'] );
		$this->assertSame( array( 'other.name', 'wordpress_logged_in_abc' ), $e['cookieNames'] );
		$this->assertSame( 5, $e['userId'] );
		$this->assertSame( 'rest_cannot_access', $e['authError']['code'] );
		$this->assertSame( 'wp401_fixture_acme_guard_block', $e['authError']['callback'] );
		$this->assertSame( 'acme-guard', $e['authError']['plugin'] );
		$this->assertSame( 'rest_authentication_errors', $e['authError']['hook'] );
		$this->assertSame( 99, $e['authError']['priority'] );
		$json = (string) json_encode( $e );
		$this->assertStringNotContainsString( 'topsecret', $json );
		$this->assertStringNotContainsString( 'dXNlcjpwYXNz', $json );
	}

	public function test_ledger_names_the_plugin_that_redirected_to_the_login(): void {
		self::request( array( 'HTTP_X_WP401_PROBE' => 'p-4' ) );
		WP401_Ledger::maybe_start();
		$location = wp401_fixture_acme_guard_redirect();
		do_action( 'shutdown' );

		$this->assertStringStartsWith( 'https://example.test/wp-login.php', $location, 'the location is passed through unchanged' );
		$e = WP401_Ledger::read( array( 'p-4' ) )['p-4'];
		$this->assertSame( 302, $e['redirectedBy']['status'] );
		$this->assertTrue( $e['redirectedBy']['toLogin'] );
		$this->assertSame( 'acme-guard', $e['redirectedBy']['owner']['slug'] );
		$this->assertSame( 'wp_redirect', $e['redirectedBy']['hook'] );
		$this->assertStringNotContainsString( 'token', (string) json_encode( $e ), 'the target\'s query is not kept' );

		// The client follows the redirect with the same probe id: the last hop's entry keeps who redirected.
		$this->reset_ledger();
		self::request( array( 'HTTP_X_WP401_PROBE' => 'p-4' ) );
		WP401_Ledger::maybe_start();
		do_action( 'shutdown' );
		$after = WP401_Ledger::read( array( 'p-4' ) )['p-4'];
		$this->assertSame( 'acme-guard', $after['redirectedBy']['owner']['slug'] );
	}

	private function reset_ledger(): void {
		global $wp_filter;
		$wp_filter = array();
		foreach ( array( array( 'WP401_Gate', 'result' ), array( 'WP401_Ledger', 'instance' ) ) as $static ) {
			$p = new ReflectionProperty( $static[0], $static[1] );
			$p->setAccessible( true );
			$p->setValue( null, null );
		}
	}

	public function test_unsigned_or_forged_probe_records_nothing(): void {
		self::request( array( 'HTTP_X_WP401_PROBE' => 'p-3' ), false );
		WP401_Ledger::maybe_start();
		do_action( 'shutdown' );
		$this->assertNull( WP401_Ledger::read( array( 'p-3' ) )['p-3'] );
		$this->assertFalse( has_filter( 'rest_authentication_errors' ) );
	}

	public function test_troubleshoot_drops_only_named_plugins_for_this_request(): void {
		self::request( array( 'HTTP_X_WP401_TROUBLESHOOT' => 'acme-guard/acme-guard.php,wp401-bridge/wp401-bridge.php,missing/missing.php' ) );
		WP401_Troubleshoot::boot();
		$active = apply_filters( 'option_active_plugins', array( 'acme-guard/acme-guard.php', 'wp401-bridge/wp401-bridge.php', 'hello.php' ) );
		$this->assertSame( array( 'wp401-bridge/wp401-bridge.php', 'hello.php' ), $active );
		$this->assertSame( 'acme-guard/acme-guard.php', WP401_Troubleshoot::header_value() );
	}

	public function test_forged_troubleshoot_header_is_ignored(): void {
		self::request( array( 'HTTP_X_WP401_TROUBLESHOOT' => 'acme-guard/acme-guard.php' ), false );
		WP401_Troubleshoot::boot();
		$this->assertFalse( has_filter( 'option_active_plugins' ) );
	}
}
