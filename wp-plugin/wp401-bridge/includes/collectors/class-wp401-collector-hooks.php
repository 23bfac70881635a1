<?php
/**
 * Who is attached to the hooks that decide authentication.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Hook → callbacks with priority, name, file and owner.
 */
final class WP401_Collector_Hooks {

	const HOOKS = array(
		'rest_authentication_errors',
		'determine_current_user',
		'authenticate',
		'wp_authenticate_user',
		'rest_pre_dispatch',
		'rest_request_before_callbacks',
		'application_password_is_api_request',
		'wp_is_application_passwords_available',
		'wp_is_application_passwords_available_for_user',
		'auth_cookie_malformed',
		'auth_cookie_expired',
		'auth_cookie_bad_username',
		'auth_cookie_bad_hash',
		'auth_cookie_valid',
		'login_init',
		'template_redirect',
		'send_headers',
		'nonce_life',
		'rest_pre_serve_request',
		'wp_login_failed',
	);

	/** @var WP401_Callback_Locator */
	private $locator;

	public function __construct( WP401_Callback_Locator $locator ) {
		$this->locator = $locator;
	}

	/** @return array<string,array<int,array<string,mixed>>> */
	public function collect(): array {
		global $wp_filter;
		$out = array();
		foreach ( self::HOOKS as $hook ) {
			$out[ $hook ] = array();
			if ( ! isset( $wp_filter[ $hook ] ) || ! ( $wp_filter[ $hook ] instanceof WP_Hook ) ) {
				continue;
			}
			$callbacks = $wp_filter[ $hook ]->callbacks;
			ksort( $callbacks );
			foreach ( $callbacks as $priority => $list ) {
				foreach ( $list as $callback ) {
					$where = $this->locator->describe( $callback['function'] );
					if ( 'plugin' === $where['owner']['type'] && 'wp401-bridge' === $where['owner']['slug'] ) {
						continue; // Our own observers are not part of the site's behaviour.
					}
					$out[ $hook ][] = array(
						'priority' => (int) $priority,
						'callback' => $where['callback'],
						'file'     => $where['file'],
						'line'     => $where['line'],
						'owner'    => $where['owner'],
					);
				}
			}
		}
		return $out;
	}
}
