<?php
/**
 * The plugin file loads and registers its hooks; versions agree everywhere.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

final class PackageTest extends TestCase {

	private static function root(): string {
		return dirname( __DIR__, 2 );
	}

	public function test_versions_agree(): void {
		$root    = self::root();
		$version = WP401_BRIDGE_VERSION;
		$this->assertMatchesRegularExpression( '/^\s*\*\s*Version:\s*' . preg_quote( $version, '/' ) . '\s*$/m', (string) file_get_contents( $root . '/wp401-bridge.php' ) );
		$this->assertMatchesRegularExpression( '/^\s*\*\s*Version:\s*' . preg_quote( $version, '/' ) . '\s*$/m', (string) file_get_contents( $root . '/mu-loader/wp401-troubleshoot.php' ) );
		$this->assertStringContainsString( 'Stable tag: ' . $version, (string) file_get_contents( $root . '/readme.txt' ) );
		$this->assertStringContainsString( WP401_Lifecycle::LOADER_MARKER, (string) file_get_contents( $root . '/mu-loader/wp401-troubleshoot.php' ) );
	}

	public function test_every_php_file_has_strict_types_and_abspath_guard(): void {
		$it = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( self::root(), FilesystemIterator::SKIP_DOTS ) );
		$count = 0;
		foreach ( $it as $file ) {
			$path = (string) $file;
			if ( '.php' !== substr( $path, -4 ) || false !== strpos( $path, '/tests/' ) || 'index.php' === basename( $path ) ) {
				continue;
			}
			$code = (string) file_get_contents( $path );
			$this->assertStringContainsString( 'declare(strict_types=1);', $code, $path );
			$this->assertMatchesRegularExpression( "/if \( ! defined\( 'ABSPATH' \)/", $code, $path );
			++$count;
		}
		$this->assertGreaterThan( 20, $count );
	}

	public function test_strings_use_the_text_domain_and_translator_comments(): void {
		$it = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( self::root() . '/includes', FilesystemIterator::SKIP_DOTS ) );
		foreach ( $it as $file ) {
			$code = (string) file_get_contents( (string) $file );
			// printf/sprintf with placeholders in a translated string need a translators comment just before.
			if ( preg_match_all( '/(\/\* translators:[^*]*\*\/\s*)?(?:esc_html__|__)\(\s*\'[^\']*%[sd]/', $code, $m ) ) {
				foreach ( $m[1] as $comment ) {
					$this->assertNotSame( '', $comment, (string) $file );
				}
			}
		}
		$this->addToAssertionCount( 1 );
	}
}
