<?php
/**
 * Builds the environment report from its collectors.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Environment report = the data arrays of each collector, keyed by section.
 */
final class WP401_Environment {

	/** @var WP401_File_Owner|null */
	private static $owners = null;

	/** @return array<string,mixed> */
	public static function report(): array {
		$hooks   = new WP401_Collector_Hooks( self::locator() );
		$hooked  = $hooks->collect();
		$plugins = new WP401_Collector_Plugins( $hooked );
		$core    = new WP401_Collector_Core( self::locator() );
		$access  = new WP401_Collector_Htaccess();
		return array_merge(
			array(
				'bridge' => array(
					'version'  => WP401_BRIDGE_VERSION,
					'protocol' => 'v2',
					'storeAvailable' => WP401_Store::available(),
					'keySource' => WP401_Key::from_constant() ? 'constant' : 'option',
					'muLoader' => WP401_Lifecycle::loader_status(),
				),
			),
			$core->collect(),
			$plugins->collect(),
			array( 'htaccess' => $access->collect() ),
			array( 'hooks' => $hooked )
		);
	}

	public static function locator(): WP401_Callback_Locator {
		return new WP401_Callback_Locator( self::file_owner() );
	}

	/** The file → owner map for this installation. */
	public static function file_owner(): WP401_File_Owner {
		if ( null === self::$owners ) {
			$themes = array();
			// Before setup_theme (the early door) no theme directory is registered yet.
			if ( function_exists( 'get_theme_roots' ) && ! empty( $GLOBALS['wp_theme_directories'] ) ) {
				$roots = get_theme_roots();
				foreach ( (array) $roots as $root ) {
					$themes[] = 0 === strpos( (string) $root, '/' ) && ! is_dir( WP_CONTENT_DIR . $root ) ? (string) $root : WP_CONTENT_DIR . $root;
				}
			}
			$themes[] = WP_CONTENT_DIR . '/themes';
			$basenames = array_merge( (array) get_option( 'active_plugins', array() ), array_keys( (array) get_site_option( 'active_sitewide_plugins', array() ) ) );
			self::$owners = new WP401_File_Owner(
				array(
					'plugins'    => WP_PLUGIN_DIR,
					'mu_plugins' => WPMU_PLUGIN_DIR,
					'content'    => WP_CONTENT_DIR,
					'themes'     => array_values( array_unique( $themes ) ),
					'abspath'    => ABSPATH,
				),
				self::dropin_names(),
				array_values( array_filter( $basenames, 'is_string' ) )
			);
		}
		return self::$owners;
	}

	/** @return string[] */
	public static function dropin_names(): array {
		return array( 'advanced-cache.php', 'db.php', 'db-error.php', 'install.php', 'maintenance.php', 'object-cache.php', 'php-error.php', 'fatal-error-handler.php', 'sunrise.php', 'blog-deleted.php', 'blog-inactive.php', 'blog-suspended.php' );
	}
}
