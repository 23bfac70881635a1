<?php
/**
 * When troubleshooting is honoured, and the sliding-window arithmetic of the
 * signed-request rate limit.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

final class TroubleshootRulesTest extends TestCase {

	/** @return array<string,array{0:string,1:bool,2:string,3:string,4:?string}> */
	public function requests(): array {
		return array(
			'GET page'                 => array( 'GET', false, '/', '', null ),
			'HEAD REST'                => array( 'HEAD', false, '/wp-json/wp/v2/users/me', 'context=edit', null ),
			'GET wp-admin screen'      => array( 'GET', false, '/wp-admin/index.php', '', null ),
			'POST'                     => array( 'POST', false, '/wp-json/wp/v2/posts', '', 'method' ),
			'PUT'                      => array( 'PUT', false, '/', '', 'method' ),
			'GET with a body'          => array( 'GET', true, '/', '', 'body' ),
			'login'                    => array( 'GET', false, '/wp-login.php', '', 'endpoint' ),
			'login, encoded name'      => array( 'GET', false, '/wp-log%69n.php', '', 'endpoint' ),
			'login, upper case'        => array( 'GET', false, '/WP-LOGIN.PHP', '', 'endpoint' ),
			'xmlrpc'                   => array( 'GET', false, '/blog/xmlrpc.php', '', 'endpoint' ),
			'admin-ajax'               => array( 'GET', false, '/wp-admin/admin-ajax.php', 'action=heartbeat', 'endpoint' ),
			'admin-post'               => array( 'GET', false, '/wp-admin/admin-post.php', '', 'endpoint' ),
			'cron'                     => array( 'GET', false, '/wp-cron.php', '', 'endpoint' ),
			'deactivate link'          => array( 'GET', false, '/wp-admin/plugins.php', 'action=deactivate&plugin=a%2Fa.php&_wpnonce=abc', 'action' ),
			'bulk action2'             => array( 'GET', false, '/wp-admin/edit.php', 'action2=trash', 'action' ),
			'nonce alone'              => array( 'GET', false, '/wp-admin/options.php', '_wpnonce=abc', 'action' ),
			'array action'             => array( 'GET', false, '/', 'action[]=x', 'action' ),
			'upper-case key'           => array( 'GET', false, '/', 'ACTION=x', 'action' ),
			'a key that merely contains action' => array( 'GET', false, '/', 'transaction=1', null ),
		);
	}

	/** @dataProvider requests */
	public function test_refusal( string $method, bool $body, string $path, string $query, ?string $expected ): void {
		$this->assertSame( $expected, WP401_Troubleshoot::refusal( $method, $body, $path, $query ) );
	}

	public function test_window_estimate_slides(): void {
		// 600 s buckets; at the start of a bucket the previous one counts fully, halfway through half.
		$this->assertSame( 100, WP401_Store::window_estimate( 100, 0, 600, 6000 ) );
		$this->assertSame( 50 + 7, WP401_Store::window_estimate( 100, 7, 600, 6300 ) );
		$this->assertSame( 0, WP401_Store::window_estimate( 100, 0, 600, 6599 ) );
		$this->assertSame( 3, WP401_Store::window_estimate( 0, 3, 600, 6599 ) );
	}
}
