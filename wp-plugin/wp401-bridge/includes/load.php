<?php
/**
 * Loads the bridge classes. Shared by the plugin and the must-use loader;
 * require_once keeps a second load harmless.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

if ( ! defined( 'WP401_BRIDGE_VERSION' ) ) {
	define( 'WP401_BRIDGE_VERSION', '0.2.0' );
}

require_once __DIR__ . '/class-wp401-canonical.php';
require_once __DIR__ . '/class-wp401-signed-request.php';
require_once __DIR__ . '/class-wp401-replay-cache.php';
require_once __DIR__ . '/class-wp401-verifier.php';
require_once __DIR__ . '/class-wp401-key.php';
require_once __DIR__ . '/class-wp401-store.php';
require_once __DIR__ . '/class-wp401-file-store.php';
require_once __DIR__ . '/class-wp401-gate.php';
require_once __DIR__ . '/class-wp401-file-owner.php';
require_once __DIR__ . '/class-wp401-observed-callback.php';
require_once __DIR__ . '/class-wp401-callback-locator.php';
require_once __DIR__ . '/class-wp401-plugin-classifier.php';
require_once __DIR__ . '/class-wp401-htaccess-reader.php';
require_once __DIR__ . '/class-wp401-troubleshoot-list.php';
require_once __DIR__ . '/class-wp401-troubleshoot.php';
require_once __DIR__ . '/class-wp401-ledger.php';
require_once __DIR__ . '/class-wp401-lifecycle.php';
require_once __DIR__ . '/class-wp401-capability.php';
require_once __DIR__ . '/class-wp401-answers.php';
require_once __DIR__ . '/class-wp401-early-door.php';
require_once __DIR__ . '/class-wp401-rest-controller.php';
require_once __DIR__ . '/class-wp401-environment.php';
require_once __DIR__ . '/collectors/class-wp401-collector-core.php';
require_once __DIR__ . '/collectors/class-wp401-collector-hooks.php';
require_once __DIR__ . '/collectors/class-wp401-collector-plugins.php';
require_once __DIR__ . '/collectors/class-wp401-collector-htaccess.php';
