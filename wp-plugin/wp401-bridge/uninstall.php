<?php
/**
 * Uninstall: remove the key, the store (temp directory, cache group, any old wp401_ transients) and our must-use loader.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) || ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
	exit;
}

require_once __DIR__ . '/includes/load.php';
require_once __DIR__ . '/includes/class-wp401-onboarding.php';

WP401_Lifecycle::remove_loader();
WP401_Key::delete();
WP401_Store::sweep();
WP401_Onboarding::forget();
