<?php
/**
 * Classifier, .htaccess reader, troubleshooting list, capability mapping.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

final class PureHelpersTest extends TestCase {

	/** @return array<string,array{0:string,1:string[],2:string}> */
	public function plugins(): array {
		return array(
			'wordfence'        => array( 'wordfence', array(), 'security' ),
			'disable json api' => array( 'disable-json-api', array( 'rest_authentication_errors' ), 'rest-restriction' ),
			'rocket'           => array( 'wp-rocket', array(), 'cache' ),
			'two factor'       => array( 'two-factor', array(), 'auth' ),
			'author box'       => array( 'author-box', array(), 'other' ),
			'lessons'          => array( 'lessons', array(), 'other' ),
			'hook hint'        => array( 'acme-guard', array( 'rest_authentication_errors' ), 'rest-restriction' ),
			'auth hook hint'   => array( 'acme', array( 'determine_current_user' ), 'auth' ),
		);
	}

	/** @dataProvider plugins */
	public function test_classifier( string $slug, array $hooks, string $expected ): void {
		$this->assertSame( $expected, WP401_Plugin_Classifier::classify( $slug, '', $hooks )['category'] );
	}

	public function test_htaccess_reader(): void {
		$text = implode(
			"\n",
			array(
				'# BEGIN WordPress',
				'RewriteEngine On',
				'RewriteRule .* - [E=HTTP_AUTHORIZATION:%{HTTP:Authorization}]',
				'RewriteRule ^index\.php$ - [L]',
				'<Files wp-login.php>',
				'  AuthType Basic',
				'  AuthName "Staging only"',
				'  AuthUserFile /etc/apache2/.htpasswd',
				'  Require valid-user',
				'</Files>',
				'SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1',
				'SetEnvIf Host example LOCAL',
				'CGIPassAuth On',
				'Header always set WWW-Authenticate "Basic realm=x"',
			)
		);
		$d    = WP401_Htaccess_Reader::parse( $text );
		$names = array_column( $d, 'directive' );
		$this->assertSame( array( 'RewriteRule', 'AuthType', 'AuthName', 'AuthUserFile', 'Require', 'SetEnvIf', 'CGIPassAuth', 'Header' ), $names );
		$this->assertSame( '<Files wp-login.php>', $d[1]['section'] );
		$this->assertSame( '', $d[5]['section'] );
		$this->assertSame( 6, $d[1]['line'] );
		$this->assertSame( '/etc/apache2/.htpasswd', $d[3]['args'] );
	}

	public function test_htaccess_reader_errordocument_401_only(): void {
		$d = WP401_Htaccess_Reader::parse( "ErrorDocument 404 /404.html\nErrorDocument 401 /errors/401.html\nErrorDocument 403 default\n" );
		$this->assertSame( array( 'ErrorDocument' ), array_column( $d, 'directive' ) );
		$this->assertSame( '401 /errors/401.html', $d[0]['args'] );
		$this->assertSame( 2, $d[0]['line'] );
	}

	public function test_troubleshoot_list_parse(): void {
		$list = WP401_Troubleshoot_List::parse( ' acme/acme.php, hello.php,../etc/passwd.php,wp401-bridge/wp401-bridge.php,acme/acme.php,bad name.php,x/y/z.php,noext', 'wp401-bridge/wp401-bridge.php' );
		$this->assertSame( array( 'acme/acme.php', 'hello.php' ), $list );
	}

	public function test_troubleshoot_filters(): void {
		$dropped = array();
		$this->assertSame( array( 'b/b.php' ), WP401_Troubleshoot_List::filter_list( array( 'a/a.php', 'b/b.php' ), array( 'a/a.php', 'z/z.php' ), $dropped ) );
		$this->assertSame( array( 'c/c.php' => 1 ), WP401_Troubleshoot_List::filter_map( array( 'a/a.php' => 1, 'c/c.php' => 1 ), array( 'a/a.php' ), $dropped ) );
		$this->assertSame( array( 'a/a.php' ), array_keys( $dropped ) );
		$this->assertFalse( WP401_Troubleshoot_List::filter_list( false, array( 'a/a.php' ), $dropped ) );
	}

	public function test_capability_maps_to_manage_options_or_network(): void {
		$this->assertSame( array( 'manage_options' ), WP401_Capability::map_meta_cap( array( 'do_not_allow' ), 'wp401_diagnose' ) );
		$this->assertSame( array( 'edit_posts' ), WP401_Capability::map_meta_cap( array( 'edit_posts' ), 'edit_posts' ) );
		$GLOBALS['wp401_test_multisite'] = true;
		try {
			$this->assertSame( array( 'manage_network_options' ), WP401_Capability::map_meta_cap( array(), 'wp401_diagnose' ) );
		} finally {
			$GLOBALS['wp401_test_multisite'] = false;
		}
	}
}
