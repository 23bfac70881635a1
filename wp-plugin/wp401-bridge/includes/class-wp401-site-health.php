<?php
/**
 * Site Health tests (Tools → Site Health): what a site owner can check
 * without the scanner. Each test states the mechanism it checks and gives
 * the same fix text the wp401 scanner prints for that finding.
 *
 * Two tests send loopback requests, the way core's own "REST API
 * availability" test does: to the site's public address, so a proxy or a
 * server rule in front acts on them as it acts on a visitor's request.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Registers and runs the bridge's Site Health tests.
 */
final class WP401_Site_Health {

	const AJAX_ACTION = 'wp401_health_authorization';
	const TOKEN_KEY   = 'wp401_health_token';
	const PROBE_USER  = 'wp401-health';

	/**
	 * The fix texts, word for word as the scanner's rules give them (a unit
	 * test compares them with src/rules). Configuration lines, so not translated.
	 */
	const FIXES = array(
		'cgipassauth' => 'Apache 2.4.13 or later: add `CGIPassAuth On` to the site\'s <Directory> block (or the top of .htaccess when AllowOverride permits it).',
		'setenvif' => 'Or, in .htaccess or the vhost: `SetEnvIf Authorization "(.*)" HTTP_AUTHORIZATION=$1`',
		'nginx_authorization' => 'nginx reverse proxy: in the location that proxies to WordPress add `proxy_set_header Authorization $http_authorization;` and remove any `proxy_set_header Authorization "";` line, then reload nginx.',
		'fastcgi_authorization' => 'nginx with PHP-FPM directly: add `fastcgi_param HTTP_AUTHORIZATION $http_authorization;` to the PHP location.',
		'cdn_authorization' => 'CDN or load balancer: forward the Authorization header to the origin (and never cache responses to requests that carry it).',
		'https' => 'Serve the site over https (and set the site and home URLs to https://…).',
		'local' => "For a local development copy only: `define( 'WP_ENVIRONMENT_TYPE', 'local' );` in wp-config.php.",
		'app_passwords_setting' => 'Look for a setting named "Disable application passwords" in security plugins (Wordfence Login Security, Solid Security, All In One WP Security, WP Cerber…).',
		'app_passwords_grep' => 'Search the plugins and mu-plugins for `wp_is_application_passwords_available` (`grep -rn wp_is_application_passwords_available wp-content/`).',
		'nginx_cookie' => 'nginx reverse proxy: remove `proxy_set_header Cookie "";` (and any `proxy_pass_request_headers off;`) from the location that proxies to WordPress; nginx passes cookies by default.',
		'cdn_cookie' => 'CDN or load balancer: forward cookies (at least wordpress_*, wordpress_logged_in_* and wp-settings-*) to the origin for /wp-admin/, /wp-login.php and /wp-json/.',
		'cookie_agree' => 'Check that the site address (home/siteurl), the scheme (http/https) and COOKIE_DOMAIN/COOKIEPATH agree, so the login cookie is sent with REST requests.',
		'rest_allow' => 'If the restriction is intended, allow the routes your front end and integrations need (most REST-restriction plugins have an allow list).',
		'rest_grep' => 'Search the plugins, mu-plugins and theme for the code: `grep -rn "%s" wp-content/`.',
		'cookie_domain' => "Remove `define( 'COOKIE_DOMAIN', '%s' );` from wp-config.php (or set it to '%s'), then log in again.",
		'multisite_cookie' => 'On multisite, check COOKIE_DOMAIN together with DOMAIN_CURRENT_SITE and the sunrise/domain-mapping set-up.',
		'forced_https' => "Remove the forced `\$_SERVER['HTTPS'] = 'on';` from wp-config.php, or set it only when the proxy really terminated TLS: `if ( isset( \$_SERVER['HTTP_X_FORWARDED_PROTO'] ) && \$_SERVER['HTTP_X_FORWARDED_PROTO'] === 'https' ) { \$_SERVER['HTTPS'] = 'on'; }`",
		'https_end_to_end' => 'Or serve the site over https end to end, with https:// site and home URLs.',
	);

	public static function register(): void {
		add_filter( 'site_status_tests', array( __CLASS__, 'tests' ) );
		add_action( 'wp_ajax_' . self::AJAX_ACTION, array( __CLASS__, 'answer_authorization_probe' ) );
		add_action( 'wp_ajax_nopriv_' . self::AJAX_ACTION, array( __CLASS__, 'answer_authorization_probe' ) );
	}

	/**
	 * @param array<string,array<string,mixed>> $tests Core's tests.
	 * @return array<string,array<string,mixed>>
	 */
	public static function tests( $tests ): array {
		$tests           = is_array( $tests ) ? $tests : array();
		$tests['direct'] = isset( $tests['direct'] ) && is_array( $tests['direct'] ) ? $tests['direct'] : array();
		$list            = array(
			'wp401_authorization_header' => array( __( 'The Authorization header reaches PHP', 'wp401-bridge' ), 'test_authorization_header' ),
			'wp401_application_passwords' => array( __( 'Application passwords are available', 'wp401-bridge' ), 'test_application_passwords' ),
			'wp401_rest_logged_in'       => array( __( 'The REST API answers logged-in requests', 'wp401-bridge' ), 'test_rest_logged_in' ),
			'wp401_login_cookies'        => array( __( 'Login cookies match the site\'s domain and scheme', 'wp401-bridge' ), 'test_login_cookies' ),
		);
		foreach ( $list as $id => $test ) {
			$tests['direct'][ $id ] = array(
				'label' => $test[0],
				'test'  => array( __CLASS__, $test[1] ),
			);
		}
		return $tests;
	}

	/**
	 * Loopback to admin-ajax.php (not REST: a Basic header there is taken for
	 * an application password) with Basic credentials made for this check.
	 * WordPress reads Basic credentials from PHP_AUTH_USER/PW, which it also
	 * fills from HTTP_AUTHORIZATION (wp_populate_basic_auth_from_authorization_header).
	 *
	 * @return array<string,mixed>
	 */
	public static function test_authorization_header(): array {
		$token = bin2hex( random_bytes( 16 ) );
		$pass  = bin2hex( random_bytes( 16 ) );
		set_site_transient( self::TOKEN_KEY . '_' . $token, hash( 'sha256', $pass ), 2 * MINUTE_IN_SECONDS );
		$url      = add_query_arg( array( 'action' => self::AJAX_ACTION, 'token' => $token ), admin_url( 'admin-ajax.php' ) );
		$response = wp_remote_get(
			$url,
			array(
				'timeout'   => 10,
				'sslverify' => apply_filters( 'https_local_ssl_verify', false ), // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals -- core's own filter, as core's loopback tests use it.
				'headers'   => array(
					'Authorization' => 'Basic ' . base64_encode( self::PROBE_USER . ':' . $pass ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions -- Basic authentication is base64 by definition.
					'Cache-Control' => 'no-cache',
				),
			)
		);
		delete_site_transient( self::TOKEN_KEY . '_' . $token );
		$result = self::result( 'wp401_authorization_header', __( 'The Authorization header reaches PHP', 'wp401-bridge' ), 'good', __( 'Application passwords and other API logins send an Authorization header. A test request with one reached WordPress with the header intact.', 'wp401-bridge' ) );
		$code   = (int) wp_remote_retrieve_response_code( $response );
		$body   = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		if ( is_wp_error( $response ) || 200 !== $code || ! is_array( $body ) || ! isset( $body['seen'] ) ) {
			$result['status']      = 'recommended';
			$result['label']       = __( 'Could not check whether the Authorization header reaches PHP', 'wp401-bridge' );
			$result['description'] = '<p>' . esc_html(
				is_wp_error( $response )
					? sprintf(
						/* translators: %s: the error message of the failed request. */
						__( 'The test request to the site itself failed: %s', 'wp401-bridge' ), $response->get_error_message() )
					: sprintf(
						/* translators: %d: HTTP status code of the test request. */
						__( 'The test request to the site itself answered HTTP %d instead of the test result. A server-level password (HTTP basic authentication) in front of the whole site answers such requests before WordPress.', 'wp401-bridge' ), $code )
			) . '</p>';
			return $result;
		}
		if ( true === $body['seen'] ) {
			return $result;
		}
		$result['status']      = 'critical';
		$result['label']       = __( 'The Authorization header does not reach PHP', 'wp401-bridge' );
		$result['description'] = '<p>' . esc_html__( 'A test request to this site carried an Authorization header, and WordPress received the request without it. Application passwords and other API logins therefore fail with 401 "not logged in" even when they are correct.', 'wp401-bridge' ) . '</p>';
		$result['actions']     = self::fix_list(
			array(
				self::FIXES['cgipassauth'],
				self::FIXES['setenvif'],
				self::FIXES['nginx_authorization'],
				self::FIXES['fastcgi_authorization'],
				self::FIXES['cdn_authorization'],
			)
		);
		return $result;
	}

	/** Answers the loopback above: only whether its own one-time credentials arrived, nothing else. */
	public static function answer_authorization_probe(): void {
		// phpcs:ignore WordPress.Security.NonceVerification -- the one-time token is the check; a nonce cannot travel with a loopback.
		$token = isset( $_GET['token'] ) ? sanitize_key( wp_unslash( (string) $_GET['token'] ) ) : '';
		$hash  = '' !== $token ? get_site_transient( self::TOKEN_KEY . '_' . $token ) : false;
		if ( ! is_string( $hash ) ) {
			wp_send_json( array( 'seen' => null ), 404 );
		}
		$user = isset( $_SERVER['PHP_AUTH_USER'] ) ? (string) wp_unslash( $_SERVER['PHP_AUTH_USER'] ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- compared, never stored or shown.
		$pass = isset( $_SERVER['PHP_AUTH_PW'] ) ? (string) wp_unslash( $_SERVER['PHP_AUTH_PW'] ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- compared, never stored or shown.
		wp_send_json( array( 'seen' => self::PROBE_USER === $user && hash_equals( $hash, hash( 'sha256', $pass ) ) ) );
	}

	/** @return array<string,mixed> */
	public static function test_application_passwords(): array {
		$result = self::result( 'wp401_application_passwords', __( 'Application passwords are available', 'wp401-bridge' ), 'good', __( 'Apps and scripts can log in to the REST API with an application password.', 'wp401-bridge' ) );
		if ( wp_is_application_passwords_available() ) {
			return $result;
		}
		$result['status'] = 'recommended';
		if ( ! wp_is_application_passwords_supported() ) {
			$result['label']       = __( 'Application passwords are off: the site is not served over HTTPS', 'wp401-bridge' );
			$result['description'] = '<p>' . esc_html__( 'WordPress only offers application passwords over HTTPS or when WP_ENVIRONMENT_TYPE is "local". Any application password sent to this site is ignored and the request is treated as anonymous.', 'wp401-bridge' ) . '</p>';
			$result['actions']     = self::fix_list(
				array(
					self::FIXES['https'],
					self::FIXES['local'],
				)
			);
			return $result;
		}
		$who                   = self::filter_owners( 'wp_is_application_passwords_available' );
		$result['label']       = __( 'A plugin has switched application passwords off', 'wp401-bridge' );
		$result['description'] = '<p>' . esc_html__( 'The site qualifies for application passwords, yet something filters wp_is_application_passwords_available to false, so any application password is ignored (401, not logged in).', 'wp401-bridge' ) . '</p>';
		if ( array() !== $who ) {
			$result['description'] .= '<p>' . esc_html(
				sprintf(
					/* translators: %s: comma-separated list of callbacks with the plugin that added them. */
					__( 'Callbacks on that filter: %s.', 'wp401-bridge' ),
					implode( ', ', $who )
				)
			) . '</p>';
		}
		$result['actions'] = self::fix_list(
			array(
				self::FIXES['app_passwords_setting'],
				self::FIXES['app_passwords_grep'],
			)
		);
		return $result;
	}

	/**
	 * Loopback to wp/v2/users/me with the current visitor's cookies and a
	 * REST nonce, as the block editor sends them.
	 *
	 * @return array<string,mixed>
	 */
	public static function test_rest_logged_in(): array {
		$result  = self::result( 'wp401_rest_logged_in', __( 'The REST API answers logged-in requests', 'wp401-bridge' ), 'good', __( 'A REST request with your login cookie and a nonce was answered as you, as the block editor needs.', 'wp401-bridge' ) );
		$cookies = array();
		foreach ( wp_unslash( $_COOKIE ) as $name => $value ) { // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- passed through unchanged to the site itself, as core's loopback tests do.
			if ( is_string( $value ) ) {
				$cookies[] = new WP_Http_Cookie( array( 'name' => (string) $name, 'value' => $value ) );
			}
		}
		$response = wp_remote_get(
			rest_url( 'wp/v2/users/me' ),
			array(
				'timeout'   => 10,
				'cookies'   => $cookies,
				'sslverify' => apply_filters( 'https_local_ssl_verify', false ), // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals -- core's own filter.
				'headers'   => array(
					'X-WP-Nonce'    => wp_create_nonce( 'wp_rest' ),
					'Cache-Control' => 'no-cache',
				),
			)
		);
		$code = (int) wp_remote_retrieve_response_code( $response );
		$body = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		if ( ! is_wp_error( $response ) && 200 === $code && is_array( $body ) && isset( $body['id'] ) && (int) $body['id'] === get_current_user_id() ) {
			return $result;
		}
		$rest_code             = is_array( $body ) && isset( $body['code'] ) && is_string( $body['code'] ) ? $body['code'] : '';
		$result['status']      = 'critical';
		$result['label']       = __( 'The REST API does not answer logged-in requests', 'wp401-bridge' );
		$result['description'] = '<p>' . esc_html(
			is_wp_error( $response )
				? sprintf(
					/* translators: %s: the error message of the failed request. */
					__( 'The test request to the site itself failed: %s', 'wp401-bridge' ), $response->get_error_message() )
				: sprintf(
					/* translators: 1: HTTP status code, 2: REST error code or "none". */
					__( 'A REST request with your login cookie and a valid nonce answered HTTP %1$d (REST error code: %2$s) instead of your user. The block editor and other admin screens that use the REST API fail the same way.', 'wp401-bridge' ), $code, '' !== $rest_code ? $rest_code : __( 'none', 'wp401-bridge' ) )
		) . '</p>';
		$fixes = array();
		if ( 'rest_not_logged_in' === $rest_code || 'rest_cookie_invalid_nonce' === $rest_code ) {
			$fixes[] = self::FIXES['nginx_cookie'];
			$fixes[] = self::FIXES['cdn_cookie'];
			$fixes[] = self::FIXES['cookie_agree'];
		} else {
			$fixes[] = self::FIXES['rest_allow'];
			if ( '' !== $rest_code ) {
				$fixes[] = sprintf( self::FIXES['rest_grep'], $rest_code );
			}
		}
		$result['actions'] = self::fix_list( $fixes );
		return $result;
	}

	/**
	 * What wp_set_auth_cookie() will do: cookies for COOKIE_DOMAIN (when
	 * defined) and Secure when is_ssl() says so; compared with the host and
	 * scheme of the site address.
	 *
	 * @return array<string,mixed>
	 */
	public static function test_login_cookies(): array {
		$result  = self::result( 'wp401_login_cookies', __( 'Login cookies match the site\'s domain and scheme', 'wp401-bridge' ), 'good', __( 'WordPress sets its login cookies for the host and scheme the site is reached on, so browsers keep them.', 'wp401-bridge' ) );
		$host    = (string) wp_parse_url( home_url(), PHP_URL_HOST );
		$domain  = defined( 'COOKIE_DOMAIN' ) && is_string( COOKIE_DOMAIN ) ? ltrim( strtolower( COOKIE_DOMAIN ), '.' ) : '';
		$problem = array();
		$fixes   = array();
		if ( '' !== $domain && strtolower( $host ) !== $domain && ! self::ends_with( strtolower( $host ), '.' . $domain ) ) {
			/* translators: 1: the COOKIE_DOMAIN value, 2: the site's host name. */
			$problem[] = sprintf( __( 'COOKIE_DOMAIN is %1$s, but the site answers on %2$s. Browsers refuse cookies for a domain the page is not on, so after a correct password the login form comes back.', 'wp401-bridge' ), COOKIE_DOMAIN, $host );
			$fixes[]   = sprintf( self::FIXES['cookie_domain'], COOKIE_DOMAIN, $host );
			$fixes[]   = self::FIXES['multisite_cookie'];
		}
		if ( is_ssl() && self::request_was_plain_http() ) {
			$problem[] = __( 'WordPress believes this plain-http request came over HTTPS, so it marks its login cookies Secure; browsers on http never send them back and the login loops.', 'wp401-bridge' );
			$fixes[]   = self::FIXES['forced_https'];
			$fixes[]   = self::FIXES['https_end_to_end'];
		}
		if ( array() === $problem ) {
			return $result;
		}
		$result['status']      = 'critical';
		$result['label']       = __( 'Login cookies do not match the site\'s domain or scheme', 'wp401-bridge' );
		$result['description'] = '<p>' . implode( '</p><p>', array_map( 'esc_html', $problem ) ) . '</p>';
		$result['actions']     = self::fix_list( $fixes );
		return $result;
	}

	/**
	 * The fix texts, in the scanner's words (kept identical to its rules; a
	 * test compares them). Shown as code-like text, not translated: they are
	 * configuration lines.
	 *
	 * @param string[] $fixes Fix texts.
	 */
	private static function fix_list( array $fixes ): string {
		$items = array_map(
			static function ( string $fix ): string {
				return '<li>' . preg_replace( '/`([^`]+)`/', '<code>$1</code>', esc_html( $fix ) ) . '</li>';
			},
			$fixes
		);
		return '<p><strong>' . esc_html__( 'How to fix it (the same advice the wp401 scanner gives):', 'wp401-bridge' ) . '</strong></p><ul class="wp401-fixes">' . implode( '', $items ) . '</ul>';
	}

	/** @return string[] "callback (plugin slug)" for every callback on a filter. */
	private static function filter_owners( string $hook ): array {
		global $wp_filter;
		if ( ! isset( $wp_filter[ $hook ] ) || ! $wp_filter[ $hook ] instanceof WP_Hook ) {
			return array();
		}
		$locator = WP401_Environment::locator();
		$out     = array();
		foreach ( $wp_filter[ $hook ]->callbacks as $callbacks ) {
			foreach ( $callbacks as $callback ) {
				$where = $locator->describe( $callback['function'] );
				$owner = $where['owner'];
				$out[] = $where['callback'] . ' (' . ( null !== $owner['slug'] ? $owner['type'] . ' ' . $owner['slug'] : $owner['type'] ) . ')';
			}
		}
		return $out;
	}

	/** @return array<string,mixed> */
	private static function result( string $test, string $label, string $status, string $description ): array {
		return array(
			'label'       => $label,
			'status'      => $status,
			'badge'       => array(
				'label' => __( 'Login (wp401)', 'wp401-bridge' ),
				'color' => 'blue',
			),
			'description' => '<p>' . esc_html( $description ) . '</p>',
			'actions'     => '',
			'test'        => $test,
		);
	}

	/**
	 * What the web server says about the connection (Apache's REQUEST_SCHEME),
	 * not the HTTPS flag a config file may force; a TLS-terminating proxy in
	 * front announces itself with X-Forwarded-Proto.
	 */
	private static function request_was_plain_http(): bool {
		$scheme    = isset( $_SERVER['REQUEST_SCHEME'] ) ? strtolower( (string) $_SERVER['REQUEST_SCHEME'] ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- compared only.
		$forwarded = isset( $_SERVER['HTTP_X_FORWARDED_PROTO'] ) ? strtolower( (string) $_SERVER['HTTP_X_FORWARDED_PROTO'] ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- compared only.
		return 'http' === $scheme && 'https' !== $forwarded;
	}

	private static function ends_with( string $haystack, string $needle ): bool {
		return '' !== $needle && substr( $haystack, -strlen( $needle ) ) === $needle;
	}
}
