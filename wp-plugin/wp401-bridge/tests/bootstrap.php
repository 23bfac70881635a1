<?php
/**
 * PHPUnit bootstrap: no WordPress, no database. Defines ABSPATH and the few
 * WordPress functions the tested classes touch.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

define( 'ABSPATH', __DIR__ . '/fixtures/site/' );

$GLOBALS['wp401_test_multisite'] = false;

if ( ! function_exists( 'is_multisite' ) ) {
	function is_multisite(): bool {
		return (bool) $GLOBALS['wp401_test_multisite'];
	}
}

require_once dirname( __DIR__ ) . '/includes/load.php';
