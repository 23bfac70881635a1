<?php
/**
 * Plugin Name:       wp401 Bridge
 * Description:       Lets the wp401 scanner see inside WordPress when requests are rejected with HTTP 401. Answers only requests signed with its key.
 * Version:           0.2.0
 * Requires at least: 6.0
 * Requires PHP:      7.4
 * Author:            wp401
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       wp401-bridge
 * Domain Path:       /languages
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

require_once __DIR__ . '/includes/load.php';
require_once __DIR__ . '/includes/class-wp401-onboarding.php';

WP401_Capability::register();
WP401_REST_Controller::register();
WP401_Ledger::maybe_start();
if ( is_admin() ) {
	require_once __DIR__ . '/includes/class-wp401-admin-page.php';
	WP401_Admin_Page::register();
	WP401_Onboarding::register( __FILE__ );
	require_once __DIR__ . '/includes/class-wp401-site-health.php';
	WP401_Site_Health::register();
}

// The must-use loader watches for a silent deactivation; without it, the plugin does.
if ( ! function_exists( 'wp401_loader_watch_site' ) ) {
	add_action( 'update_option_active_plugins', array( 'WP401_Lifecycle', 'watch_site' ), 10, 2 );
}

register_activation_hook( __FILE__, array( 'WP401_Lifecycle', 'activate' ) );
register_deactivation_hook( __FILE__, array( 'WP401_Lifecycle', 'deactivate' ) );
register_activation_hook( __FILE__, array( 'WP401_Onboarding', 'activate' ) );
register_deactivation_hook( __FILE__, array( 'WP401_Onboarding', 'forget' ) );
