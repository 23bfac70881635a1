<?php
/**
 * Callback → file → owner, for every callable shape.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

final class AttributionTest extends TestCase {

	/** @var WP401_Callback_Locator */
	private $locator;

	public static function setUpBeforeClass(): void {
		$site = ABSPATH;
		require_once $site . 'wp-content/plugins/acme-guard/acme-guard.php';
		require_once $site . 'wp-content/plugins/acme-guard/src/class-guard.php';
		require_once $site . 'wp-content/plugins/hello.php';
		require_once $site . 'wp-content/mu-plugins/mu-thing.php';
		require_once $site . 'wp-content/themes/twentyx/functions.php';
		require_once $site . 'wp-content/advanced-cache.php';
		require_once $site . 'wp-content/not-a-dropin.php';
		require_once $site . 'wp-includes/fake-core.php';
	}

	protected function setUp(): void {
		$content       = ABSPATH . 'wp-content';
		$this->locator = new WP401_Callback_Locator(
			new WP401_File_Owner(
				array(
					'plugins'    => $content . '/plugins',
					'mu_plugins' => $content . '/mu-plugins',
					'content'    => $content,
					'themes'     => array( $content . '/themes' ),
					'abspath'    => ABSPATH,
				),
				WP401_Environment::dropin_names(),
				array( 'acme-guard/acme-guard.php' )
			)
		);
	}

	public function test_plugin_function(): void {
		$d = $this->locator->describe( 'wp401_fixture_acme_guard_check' );
		$this->assertSame( 'wp401_fixture_acme_guard_check', $d['callback'] );
		$this->assertSame( 'plugin', $d['owner']['type'] );
		$this->assertSame( 'acme-guard', $d['owner']['slug'] );
		$this->assertSame( 'acme-guard/acme-guard.php', $d['owner']['plugin'] );
		$this->assertSame( 'acme-guard/acme-guard.php', $d['file'] );
		$this->assertIsInt( $d['line'] );
	}

	public function test_closure(): void {
		$d = $this->locator->describe( wp401_fixture_acme_guard_closure() );
		$this->assertStringStartsWith( 'Closure@acme-guard/acme-guard.php:', $d['callback'] );
		$this->assertSame( 'acme-guard', $d['owner']['slug'] );
	}

	public function test_invokable_object(): void {
		$d = $this->locator->describe( new WP401_Fixture_Acme_Invokable() );
		$this->assertSame( 'WP401_Fixture_Acme_Invokable->__invoke', $d['callback'] );
		$this->assertSame( 'acme-guard', $d['owner']['slug'] );
	}

	public function test_instance_method_in_subfolder(): void {
		$d = $this->locator->describe( array( new WP401_Fixture_Acme_Guard(), 'instance_check' ) );
		$this->assertSame( 'WP401_Fixture_Acme_Guard->instance_check', $d['callback'] );
		$this->assertSame( 'acme-guard/src/class-guard.php', $d['file'] );
		$this->assertSame( 'acme-guard/acme-guard.php', $d['owner']['plugin'] );
	}

	public function test_static_method_array_and_string(): void {
		$a = $this->locator->describe( array( 'WP401_Fixture_Acme_Guard', 'static_check' ) );
		$b = $this->locator->describe( 'WP401_Fixture_Acme_Guard::static_check' );
		$this->assertSame( 'WP401_Fixture_Acme_Guard::static_check', $a['callback'] );
		$this->assertSame( $a['callback'], $b['callback'] );
		$this->assertSame( 'plugin', $b['owner']['type'] );
	}

	public function test_single_file_plugin(): void {
		$d = $this->locator->describe( 'wp401_fixture_hello' );
		$this->assertSame( 'plugin', $d['owner']['type'] );
		$this->assertSame( 'hello', $d['owner']['slug'] );
		$this->assertSame( 'hello.php', $d['owner']['plugin'] );
	}

	public function test_mu_plugin(): void {
		$d = $this->locator->describe( 'wp401_fixture_mu_thing' );
		$this->assertSame( 'mu-plugin', $d['owner']['type'] );
		$this->assertSame( 'mu-thing', $d['owner']['slug'] );
	}

	public function test_theme(): void {
		$d = $this->locator->describe( 'wp401_fixture_theme' );
		$this->assertSame( 'theme', $d['owner']['type'] );
		$this->assertSame( 'twentyx', $d['owner']['slug'] );
	}

	public function test_dropin_and_stray_content_file(): void {
		$d = $this->locator->describe( 'wp401_fixture_dropin' );
		$this->assertSame( 'drop-in', $d['owner']['type'] );
		$this->assertSame( 'advanced-cache.php', $d['owner']['slug'] );
		$this->assertSame( 'unknown', $this->locator->describe( 'wp401_fixture_stray' )['owner']['type'] );
	}

	public function test_core(): void {
		$d = $this->locator->describe( 'wp401_fixture_core' );
		$this->assertSame( 'core', $d['owner']['type'] );
		$this->assertSame( 'wp-includes/fake-core.php', $d['file'] );
	}

	public function test_internal_function_and_garbage(): void {
		$this->assertSame( 'php', $this->locator->describe( 'strlen' )['owner']['type'] );
		$this->assertSame( 'unknown', $this->locator->describe( 'no_such_function_wp401' )['owner']['type'] );
		$this->assertSame( 'unknown', $this->locator->describe( array( 'NoSuchClassWp401', 'm' ) )['owner']['type'] );
		$this->assertSame( 'unknown', $this->locator->describe( 42 )['owner']['type'] );
	}

	public function test_anonymous_class_name_is_readable(): void {
		$obj = new class() {
			public function __invoke() {
			}
		};
		$d   = $this->locator->describe( $obj );
		$this->assertStringNotContainsString( "\0", $d['callback'] );
		$this->assertStringEndsWith( '->__invoke', $d['callback'] );
	}

	public function test_observed_wrapper_is_seen_through(): void {
		$wrapped = new WP401_Observed_Callback( 'wp401_fixture_hello', static function (): void {}, 'h', 10 );
		$this->assertSame( 'wp401_fixture_hello', $this->locator->describe( $wrapped )['callback'] );
		$this->assertSame( 'x', $wrapped( 'x' ) );
	}

	public function test_symlinked_root_resolves(): void {
		$link = sys_get_temp_dir() . '/wp401-owner-link-' . bin2hex( random_bytes( 4 ) );
		if ( ! @symlink( ABSPATH . 'wp-content/plugins', $link ) ) {
			$this->markTestSkipped( 'symlinks unavailable' );
		}
		try {
			$owner = new WP401_File_Owner( array( 'plugins' => $link ) );
			$this->assertSame( 'acme-guard', $owner->owner( ABSPATH . 'wp-content/plugins/acme-guard/acme-guard.php' )['slug'] );
		} finally {
			unlink( $link );
		}
	}
}
