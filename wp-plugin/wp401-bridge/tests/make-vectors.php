<?php
/**
 * Writes signing test vectors for the TypeScript signer:
 *   php wp-plugin/wp401-bridge/tests/make-vectors.php > test/fixtures/bridge/vectors.json
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

define( 'ABSPATH', __DIR__ . '/' );
require_once dirname( __DIR__ ) . '/includes/class-wp401-canonical.php';

$wp401_cases = array(
	array( 'name' => 'env, pretty permalinks', 'key' => str_repeat( 'ab', 32 ), 'method' => 'GET', 'host' => 'example.test', 'path' => '/wp-json/wp401/v1/env', 'query' => '', 'timestamp' => '1700000000', 'nonce' => 'AAAAAAAAAAAAAAAAAAAAAA', 'body' => '', 'probe' => '', 'troubleshoot' => '' ),
	array( 'name' => 'ledger, plain permalinks', 'key' => 'k3y-with-32-characters-at-least!!', 'method' => 'get', 'host' => 'Example.TEST:80', 'path' => '/', 'query' => 'rest_route=/wp401/v1/ledger&probe=p1,p-2,p_3', 'timestamp' => '1700000123', 'nonce' => 'bm9uY2Utbm9uY2Utbm9uY2U', 'body' => '', 'probe' => '', 'troubleshoot' => '' ),
	array( 'name' => 'probe with body, repeated keys in the order sent', 'key' => str_repeat( '0f', 32 ), 'method' => 'POST', 'host' => '127.0.0.1:8401', 'path' => '/wp-login.php', 'query' => 'b=2&a=1&a=0&&c', 'timestamp' => '1700000999', 'nonce' => 'Zm9vYmFyYmF6cXV4cXV1eHg', 'body' => "log=admin&pwd=x%26y&rememberme=forever", 'probe' => 'login-1', 'troubleshoot' => '' ),
	array( 'name' => 'troubleshoot header', 'key' => str_repeat( '9e', 32 ), 'method' => 'GET', 'host' => 'staging.example.com:443', 'path' => '/blog/wp-json/wp/v2/users/me', 'query' => 'context=edit', 'timestamp' => '1700001000', 'nonce' => 'dHJvdWJsZXNob290LW5vbmNlLTE', 'body' => '', 'probe' => 'iso-7', 'troubleshoot' => 'acme-guard/acme-guard.php,hello.php' ),
	array( 'name' => 'encoding corner cases', 'key' => str_repeat( 'c4', 32 ), 'method' => 'PUT', 'host' => '[::1]:8080', 'path' => '/wp-json/wp/v2/posts/1', 'query' => 'q=a+b%20c&e=%C3%A9&t=%7e~&s=!*\'()&x=a=b&%2Fk=%2f', 'timestamp' => '1700002000', 'nonce' => 'ZW5jb2RpbmctY29ybmVyLWNhc2Vz', 'body' => "{\"title\":\"h\u{e9}llo\"}", 'probe' => '', 'troubleshoot' => '' ),
	array( 'name' => 'percent-encoded path kept as sent', 'key' => str_repeat( '11', 32 ), 'method' => 'DELETE', 'host' => 'xn--bcher-kva.example', 'path' => '/wp-json/wp/v2/x%20y', 'query' => 'force=true', 'timestamp' => '1700003000', 'nonce' => 'cGF0aC1hcy1zZW50LW5vbmNlMQ', 'body' => '', 'probe' => 'del', 'troubleshoot' => '' ),
);

$wp401_out = array();
foreach ( $wp401_cases as $wp401_case ) {
	$wp401_body_hash               = hash( 'sha256', $wp401_case['body'] );
	$wp401_sts                     = WP401_Canonical::string_to_sign( $wp401_case['method'], $wp401_case['host'], $wp401_case['path'], $wp401_case['query'], $wp401_case['timestamp'], $wp401_case['nonce'], $wp401_body_hash, $wp401_case['probe'], $wp401_case['troubleshoot'] );
	$wp401_case['canonicalQuery']  = WP401_Canonical::query( $wp401_case['query'] );
	$wp401_case['bodySha256']      = $wp401_body_hash;
	$wp401_case['stringToSign']    = $wp401_sts;
	$wp401_case['signature']       = WP401_Canonical::signature( $wp401_case['key'], $wp401_sts );
	$wp401_out[]                   = $wp401_case;
}
echo json_encode( array( 'generatedBy' => 'wp-plugin/wp401-bridge/tests/make-vectors.php', 'vectors' => $wp401_out ), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ), "\n";
