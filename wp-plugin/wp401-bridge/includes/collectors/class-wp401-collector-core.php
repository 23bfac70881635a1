<?php
/**
 * Core facts: versions, URLs, SSL, cookies, permalinks, REST prefix,
 * application password availability, server and time.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Collects WordPress, PHP and server facts.
 */
final class WP401_Collector_Core {

	/** @var WP401_Callback_Locator */
	private $locator;

	public function __construct( WP401_Callback_Locator $locator ) {
		$this->locator = $locator;
	}

	/** @return array<string,mixed> */
	public function collect(): array {
		global $wp_version;
		$now = time();
		return array(
			'time'                 => array(
				'unix' => $now,
				'iso'  => gmdate( 'c', $now ),
			),
			'wordpress'            => array(
				'version'            => (string) $wp_version,
				'multisite'          => is_multisite(),
				'homeUrl'            => home_url( '/' ),
				'siteUrl'            => site_url( '/' ),
				'isSsl'              => is_ssl(),
				'forceSslAdmin'      => force_ssl_admin(),
				'environmentType'    => wp_get_environment_type(),
				'permalinkStructure' => (string) get_option( 'permalink_structure', '' ),
				'restPrefix'         => rest_get_url_prefix(),
				'restUrl'            => get_rest_url(),
				'debug'              => defined( 'WP_DEBUG' ) && WP_DEBUG,
				// Seconds a nonce lives (core: a day); security plugins sometimes shorten it, breaking REST calls from open pages.
				'nonceLife'          => (int) apply_filters( 'nonce_life', DAY_IN_SECONDS, 'wp_rest' ),
			),
			'php'                  => array(
				'version' => PHP_VERSION,
				'sapi'    => php_sapi_name(),
			),
			'server'               => array(
				'software' => isset( $_SERVER['SERVER_SOFTWARE'] ) ? sanitize_text_field( wp_unslash( (string) $_SERVER['SERVER_SOFTWARE'] ) ) : '',
				'https'    => isset( $_SERVER['HTTPS'] ) ? sanitize_text_field( (string) $_SERVER['HTTPS'] ) : null,
				'forwardedProto' => isset( $_SERVER['HTTP_X_FORWARDED_PROTO'] ) ? sanitize_text_field( (string) $_SERVER['HTTP_X_FORWARDED_PROTO'] ) : null,
			),
			'cookies'              => $this->cookies(),
			'applicationPasswords' => $this->application_passwords(),
		);
	}

	/** Cookie scope and names (never values). @return array<string,mixed> */
	private function cookies(): array {
		$constant = static function ( string $name ) {
			return defined( $name ) ? constant( $name ) : null;
		};
		return array(
			'domain'      => $constant( 'COOKIE_DOMAIN' ),
			'path'        => $constant( 'COOKIEPATH' ),
			'sitePath'    => $constant( 'SITECOOKIEPATH' ),
			'adminPath'   => $constant( 'ADMIN_COOKIE_PATH' ),
			'pluginsPath' => $constant( 'PLUGINS_COOKIE_PATH' ),
			'hash'        => $constant( 'COOKIEHASH' ),
			'names'       => array(
				'auth'       => $constant( 'AUTH_COOKIE' ),
				'secureAuth' => $constant( 'SECURE_AUTH_COOKIE' ),
				'loggedIn'   => $constant( 'LOGGED_IN_COOKIE' ),
				'test'       => $constant( 'TEST_COOKIE' ),
				'user'       => $constant( 'USER_COOKIE' ),
				'pass'       => $constant( 'PASS_COOKIE' ),
			),
		);
	}

	/**
	 * Available or not, and why: core requires HTTPS or a "local" environment;
	 * a filter on wp_is_application_passwords_available can switch it off.
	 *
	 * @return array<string,mixed>
	 */
	private function application_passwords(): array {
		$supported = wp_is_application_passwords_supported();
		$available = wp_is_application_passwords_available();
		$reason    = 'available';
		$changed   = array();
		if ( $supported !== $available ) {
			$changed = $this->trace( 'wp_is_application_passwords_available', $supported );
			$reason  = $available ? 'forced-on-by-filter' : 'disabled-by-filter';
		} elseif ( ! $supported ) {
			$reason = 'requires-https-or-local';
		}
		return array(
			'supported'       => $supported,
			'available'       => $available,
			'reason'          => $reason,
			'environmentType' => wp_get_environment_type(),
			'changedBy'       => $changed,
		);
	}

	/**
	 * Run a boolean filter's callbacks one by one to see which changed the value.
	 *
	 * @param string $hook  Filter.
	 * @param bool   $value Initial value.
	 * @return array<int,array<string,mixed>>
	 */
	private function trace( string $hook, bool $value ): array {
		global $wp_filter;
		$out = array();
		if ( ! isset( $wp_filter[ $hook ] ) || ! ( $wp_filter[ $hook ] instanceof WP_Hook ) ) {
			return $out;
		}
		$callbacks = $wp_filter[ $hook ]->callbacks;
		ksort( $callbacks );
		foreach ( $callbacks as $priority => $list ) {
			foreach ( $list as $callback ) {
				try {
					$next = (bool) ( 0 === (int) $callback['accepted_args'] ? call_user_func( $callback['function'] ) : call_user_func( $callback['function'], $value ) );
				} catch ( Throwable $e ) {
					continue;
				}
				if ( $next !== $value ) {
					$where = $this->locator->describe( $callback['function'] );
					$out[] = array(
						'priority' => (int) $priority,
						'callback' => $where['callback'],
						'owner'    => $where['owner'],
						'to'       => $next,
					);
				}
				$value = $next;
			}
		}
		return $out;
	}
}
