<?php
/**
 * Sorts plugins into the families that matter for a 401: security, cache,
 * auth, REST restriction, other. A small slug table first, then the auth
 * hooks the plugin attached to.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Plugin slug + attached hooks → category and the reason for it.
 */
final class WP401_Plugin_Classifier {

	const SECURITY         = 'security';
	const CACHE            = 'cache';
	const AUTH             = 'auth';
	const REST_RESTRICTION = 'rest-restriction';
	const OTHER            = 'other';

	/** Checked in order; the first keyword found in the slug or name wins. */
	const KEYWORDS = array(
		self::REST_RESTRICTION => array( 'disable-json-api', 'disable-rest', 'disable-wp-rest', 'rest-api-toolbox', 'restrict-rest', 'rest-restrict', 'restricted-site-access', 'force-login', 'disable-xml-rpc', 'json-api-restrict' ),
		self::SECURITY         => array( 'wordfence', 'better-wp-security', 'ithemes-security', 'solid-security', 'sucuri', 'all-in-one-wp-security', 'wp-simple-firewall', 'shield', 'bulletproof', 'ninjafirewall', 'defender', 'limit-login', 'loginizer', 'hide-login', 'wp-cerber', 'malcare', 'jetpack-protect', 'security', 'firewall', 'brute-force', 'login-lockdown' ),
		self::AUTH             => array( 'two-factor', 'wp-2fa', '2fa', 'miniorange', 'jwt', 'oauth', 'saml', 'ldap', 'openid', 'application-password', 'basic-auth', 'duo-', '-duo', 'authenticator', 'sso-', '-sso', 'single-sign-on', 'auth-', '-auth' ),
		self::CACHE            => array( 'w3-total-cache', 'wp-super-cache', 'wp-rocket', 'litespeed-cache', 'wp-fastest-cache', 'breeze', 'sg-cachepress', 'hummingbird', 'comet-cache', 'nginx-helper', 'redis-cache', 'cache-enabler', 'cache' ),
	);

	/** Hooks whose use says something about a plugin with an unhelpful slug. */
	const HOOK_HINTS = array(
		'rest_authentication_errors' => self::REST_RESTRICTION,
		'rest_pre_dispatch'          => self::REST_RESTRICTION,
		'determine_current_user'     => self::AUTH,
		'authenticate'               => self::AUTH,
		'wp_authenticate_user'       => self::AUTH,
		'application_password_is_api_request'          => self::AUTH,
		'wp_is_application_passwords_available'        => self::AUTH,
		'wp_is_application_passwords_available_for_user' => self::AUTH,
		'wp_login_failed'            => self::SECURITY,
		'login_init'                 => self::SECURITY,
	);

	/**
	 * @param string   $slug  Plugin directory or file slug.
	 * @param string   $name  Plugin Name header.
	 * @param string[] $hooks Auth hooks the plugin attached callbacks to.
	 * @return array{category:string,reason:string}
	 */
	public static function classify( string $slug, string $name, array $hooks ): array {
		$haystacks = array( strtolower( $slug ), str_replace( ' ', '-', strtolower( $name ) ) );
		foreach ( self::KEYWORDS as $category => $keywords ) {
			foreach ( $keywords as $keyword ) {
				foreach ( $haystacks as $haystack ) {
					if ( '' !== $haystack && false !== strpos( $haystack, $keyword ) ) {
						return array( 'category' => $category, 'reason' => 'keyword:' . $keyword );
					}
				}
			}
		}
		foreach ( self::HOOK_HINTS as $hook => $category ) {
			if ( in_array( $hook, $hooks, true ) ) {
				return array( 'category' => $category, 'reason' => 'hook:' . $hook );
			}
		}
		return array( 'category' => self::OTHER, 'reason' => 'none' );
	}
}
