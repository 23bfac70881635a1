<?php
/**
 * Reads a JSON list of signing inputs on stdin and prints the PHP answers, so
 * the TypeScript tests can compare the two signers on random inputs:
 *   [{key,method,host,path,query,timestamp,nonce,body,probe,troubleshoot}] → [{canonicalQuery,signature}]
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

define( 'ABSPATH', __DIR__ . '/' );
require_once dirname( __DIR__ ) . '/includes/class-wp401-canonical.php';

$wp401_in  = json_decode( (string) stream_get_contents( STDIN ), true );
$wp401_out = array();
foreach ( is_array( $wp401_in ) ? $wp401_in : array() as $wp401_c ) {
	$wp401_sts   = WP401_Canonical::string_to_sign( $wp401_c['method'], $wp401_c['host'], $wp401_c['path'], $wp401_c['query'], $wp401_c['timestamp'], $wp401_c['nonce'], hash( 'sha256', $wp401_c['body'] ), $wp401_c['probe'], $wp401_c['troubleshoot'] );
	$wp401_out[] = array(
		'canonicalQuery' => WP401_Canonical::query( $wp401_c['query'] ),
		'signature'      => WP401_Canonical::signature( $wp401_c['key'], $wp401_sts ),
	);
}
echo json_encode( $wp401_out, JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE ), "\n";
