<?php
/**
 * Active plugins (site and network), must-use plugins, drop-ins and theme,
 * each plugin classified by slug and by the auth hooks it attached to.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Plugins and friends.
 */
final class WP401_Collector_Plugins {

	/** @var array<string,array<int,array<string,mixed>>> */
	private $hooks;

	/**
	 * @param array<string,array<int,array<string,mixed>>> $hooks Output of WP401_Collector_Hooks.
	 */
	public function __construct( array $hooks ) {
		$this->hooks = $hooks;
	}

	/** @return array<string,mixed> */
	public function collect(): array {
		if ( ! function_exists( 'get_plugins' ) ) {
			require_once ABSPATH . 'wp-admin/includes/plugin.php';
		}
		$by_owner = $this->hooks_by_owner();
		$all      = get_plugins();
		$site     = array_filter( (array) get_option( 'active_plugins', array() ), 'is_string' );
		$network  = is_multisite() ? array_keys( (array) get_site_option( 'active_sitewide_plugins', array() ) ) : array();

		$plugins = array();
		foreach ( array_unique( array_merge( $network, $site ) ) as $basename ) {
			$slug      = false === strpos( $basename, '/' ) ? preg_replace( '/\.php$/', '', $basename ) : (string) strstr( $basename, '/', true );
			$data      = $all[ $basename ] ?? array();
			$hooks     = $by_owner[ 'plugin:' . $slug ] ?? array();
			$class     = WP401_Plugin_Classifier::classify( (string) $slug, (string) ( $data['Name'] ?? '' ), $hooks );
			$plugins[] = array(
				'basename' => $basename,
				'slug'     => $slug,
				'name'     => (string) ( $data['Name'] ?? '' ),
				'version'  => (string) ( $data['Version'] ?? '' ),
				'network'  => in_array( $basename, $network, true ),
				'category' => $class['category'],
				'reason'   => $class['reason'],
				'hooks'    => $hooks,
				'bridge'   => 'wp401-bridge' === $slug,
			);
		}

		$mu = array();
		foreach ( get_mu_plugins() as $file => $data ) {
			$slug  = preg_replace( '/\.php$/', '', (string) $file );
			$hooks = $by_owner[ 'mu-plugin:' . $slug ] ?? array();
			$class = WP401_Plugin_Classifier::classify( (string) $slug, (string) ( $data['Name'] ?? '' ), $hooks );
			$mu[]  = array(
				'file'     => (string) $file,
				'name'     => (string) ( $data['Name'] ?? '' ),
				'version'  => (string) ( $data['Version'] ?? '' ),
				'category' => $class['category'],
				'reason'   => $class['reason'],
				'hooks'    => $hooks,
				'bridge'   => WP401_Lifecycle::LOADER_FILE === $file,
			);
		}

		$known   = _get_dropins();
		$dropins = array();
		foreach ( get_dropins() as $file => $data ) {
			$needs     = $known[ $file ][1] ?? true;
			$dropins[] = array(
				'file'    => (string) $file,
				'name'    => (string) ( $data['Name'] ?? '' ),
				'active'  => true === $needs || ( is_string( $needs ) && defined( $needs ) && constant( $needs ) ),
				'hooks'   => $by_owner[ 'drop-in:' . $file ] ?? array(),
			);
		}

		return array(
			'wpCache'   => defined( 'WP_CACHE' ) && WP_CACHE,
			'plugins'   => $plugins,
			'muPlugins' => $mu,
			'dropins'   => $dropins,
			'theme'     => array(
				'stylesheet' => get_stylesheet(),
				'template'   => get_template(),
				'hooks'      => $by_owner[ 'theme:' . get_stylesheet() ] ?? array(),
			),
		);
	}

	/** @return array<string,string[]> "type:slug" => hook names */
	private function hooks_by_owner(): array {
		$out = array();
		foreach ( $this->hooks as $hook => $callbacks ) {
			foreach ( $callbacks as $callback ) {
				$owner = $callback['owner'];
				if ( null === $owner['slug'] ) {
					continue;
				}
				$key                  = $owner['type'] . ':' . $owner['slug'];
				$out[ $key ][ $hook ] = true;
			}
		}
		return array_map( 'array_keys', $out );
	}
}
