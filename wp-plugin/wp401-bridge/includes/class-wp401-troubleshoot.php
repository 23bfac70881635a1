<?php
/**
 * Per-request troubleshooting: drop the plugins named in a validly signed
 * X-WP401-Troubleshoot header from this request's plugin lists. Filters only;
 * nothing is written, so other visitors never see a difference.
 *
 * Troubleshooting is a read: it is honoured only for GET and HEAD without a
 * body, never on endpoints that log in, call out or change state, and while it
 * is active nothing it caused can persist — writes of the plugin lists are
 * refused, a plugin (de)activation ends the request, recovery mode and its
 * e-mails are off, and the response is marked uncacheable.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Runs from the must-use loader, before regular plugins load.
 */
final class WP401_Troubleshoot {

	const BRIDGE_BASENAME = 'wp401-bridge/wp401-bridge.php';

	/** Files that log in, take remote calls, run cron, sign up or dispatch actions: never troubleshot. */
	const REFUSED_FILES = array( 'wp-login.php', 'xmlrpc.php', 'wp-cron.php', 'wp-signup.php', 'wp-activate.php', 'wp-trackback.php', 'wp-comments-post.php', 'wp-mail.php', 'admin-ajax.php', 'admin-post.php' );

	/** Query keys that ask WordPress to do something rather than show something. */
	const REFUSED_KEYS = array( 'action', 'action2', '_wpnonce', '_ajax_nonce', 'doing_wp_cron' );

	/** HTTP status when a plugin tried to (de)activate during troubleshooting. */
	const PLUGIN_CHANGE_STATUS = 409;

	/** @var string[] */
	private static $drop = array();
	/** @var array<string,bool> */
	private static $dropped = array();

	public static function boot(): void {
		if ( empty( $_SERVER['HTTP_X_WP401_TROUBLESHOOT'] ) || ! WP401_Gate::claims_signature() ) {
			return;
		}
		$gate = WP401_Gate::current();
		if ( ! $gate['valid'] || '' === $gate['troubleshoot'] ) {
			return;
		}
		$refused = self::refusal( $gate['method'], $gate['has_body'], $gate['path'], $gate['query'] );
		if ( null !== $refused ) {
			WP401_Ledger::note_troubleshoot_refused( $refused );
			self::no_cache();
			if ( ! headers_sent() ) {
				header( 'X-WP401-Troubleshoot-Refused: ' . $refused );
			}
			return;
		}
		self::$drop = WP401_Troubleshoot_List::parse( $gate['troubleshoot'], self::BRIDGE_BASENAME );
		self::no_cache();
		add_filter( 'option_active_plugins', array( __CLASS__, 'filter_site' ), PHP_INT_MAX, 1 );
		add_filter( 'site_option_active_sitewide_plugins', array( __CLASS__, 'filter_network' ), PHP_INT_MAX, 1 );
		// Nothing this request does may outlive it.
		add_filter( 'pre_update_option_active_plugins', array( __CLASS__, 'keep_stored' ), PHP_INT_MAX, 3 );
		add_filter( 'pre_update_site_option_active_sitewide_plugins', array( __CLASS__, 'keep_stored_network' ), PHP_INT_MAX, 3 );
		add_action( 'activate_plugin', array( __CLASS__, 'stop_plugin_change' ), PHP_INT_MIN, 0 );
		add_action( 'deactivate_plugin', array( __CLASS__, 'stop_plugin_change' ), PHP_INT_MIN, 0 );
		add_filter( 'wp_fatal_error_handler_enabled', '__return_false', PHP_INT_MAX );
		add_filter( 'pre_option_recovery_mode_email_last_sent', array( __CLASS__, 'no_recovery_mail' ), PHP_INT_MAX, 0 );
		add_action( 'plugins_loaded', array( __CLASS__, 'announce' ), PHP_INT_MIN, 0 );
		add_filter( 'rest_post_dispatch', array( __CLASS__, 'announce_rest' ), PHP_INT_MAX, 1 );
	}

	/**
	 * Why troubleshooting is not honoured for this request, or null when it is.
	 *
	 * @param string $method   HTTP method, upper case.
	 * @param bool   $has_body Whether the request carries a body.
	 * @param string $path     Path as sent.
	 * @param string $query    Raw query.
	 */
	public static function refusal( string $method, bool $has_body, string $path, string $query ): ?string {
		if ( ! in_array( $method, array( 'GET', 'HEAD' ), true ) ) {
			return 'method';
		}
		if ( $has_body ) {
			return 'body';
		}
		$file = strtolower( rawurldecode( (string) substr( (string) strrchr( '/' . $path, '/' ), 1 ) ) );
		if ( in_array( $file, self::REFUSED_FILES, true ) ) {
			return 'endpoint';
		}
		foreach ( explode( '&', $query ) as $piece ) {
			$key = strtolower( rawurldecode( str_replace( '+', ' ', (string) strstr( $piece . '=', '=', true ) ) ) );
			$key = (string) preg_replace( '/\[.*$/', '', $key );
			if ( in_array( $key, self::REFUSED_KEYS, true ) ) {
				return 'action';
			}
		}
		return null;
	}

	/** Troubleshooting responses are for the scanner only: never stored by a cache. */
	private static function no_cache(): void {
		if ( ! defined( 'DONOTCACHEPAGE' ) ) {
			define( 'DONOTCACHEPAGE', true );
		}
		if ( ! headers_sent() ) {
			header( 'Cache-Control: no-store, private' );
			header( 'Vary: X-WP401-Troubleshoot', false );
		}
	}

	/**
	 * @param mixed $plugins active_plugins.
	 * @return mixed
	 */
	public static function filter_site( $plugins ) {
		$dropped = array();
		$plugins = WP401_Troubleshoot_List::filter_list( $plugins, self::$drop, $dropped );
		self::$dropped += $dropped;
		return $plugins;
	}

	/**
	 * @param mixed $plugins active_sitewide_plugins.
	 * @return mixed
	 */
	public static function filter_network( $plugins ) {
		$dropped = array();
		$plugins = WP401_Troubleshoot_List::filter_map( $plugins, self::$drop, $dropped );
		self::$dropped += $dropped;
		return $plugins;
	}

	/**
	 * A write of active_plugins during troubleshooting would save the filtered
	 * list: hand back what update_option() compares against, so nothing is
	 * written.
	 *
	 * @param mixed $value     New value.
	 * @param mixed $old_value Value update_option() read (filtered).
	 * @return mixed
	 */
	public static function keep_stored( $value, $old_value ) {
		WP401_Ledger::note_troubleshoot_refused( 'write' );
		return $old_value;
	}

	/**
	 * @param mixed $value     New value.
	 * @param mixed $old_value Value update_site_option() read (filtered).
	 * @return mixed
	 */
	public static function keep_stored_network( $value, $old_value ) {
		WP401_Ledger::note_troubleshoot_refused( 'write' );
		return $old_value;
	}

	/**
	 * A plugin is about to be (de)activated — typically an add-on whose base
	 * plugin we dropped. Its hooks would run and could change data for good:
	 * end the request before they do.
	 */
	public static function stop_plugin_change(): void {
		WP401_Ledger::note_troubleshoot_refused( 'plugin-change' );
		if ( ! headers_sent() ) {
			status_header( self::PLUGIN_CHANGE_STATUS );
			header( 'X-WP401-Troubleshoot-Refused: plugin-change' );
			header( 'X-WP401-Dropped: ' . self::header_value() );
			header( 'Content-Type: text/plain; charset=UTF-8' );
		}
		echo 'wp401: troubleshooting stopped a plugin activation change.'; // phpcs:ignore WordPress.Security.EscapeOutput -- constant text.
		exit;
	}

	/**
	 * Recovery mode sends its mail only when none was sent within the rate
	 * limit: "one was just sent" means no mail and no write.
	 *
	 * @return int
	 */
	public static function no_recovery_mail(): int {
		return time();
	}

	/** Header value: comma-separated basenames, or "-" when nothing was dropped. */
	public static function header_value(): string {
		$list = array_keys( self::$dropped );
		sort( $list );
		return array() === $list ? '-' : implode( ',', $list );
	}

	public static function announce(): void {
		WP401_Ledger::note_dropped( array_keys( self::$dropped ) );
		if ( ! headers_sent() ) {
			header( 'X-WP401-Dropped: ' . self::header_value() );
		}
	}

	/**
	 * @param mixed $response REST response.
	 * @return mixed
	 */
	public static function announce_rest( $response ) {
		if ( $response instanceof WP_REST_Response ) {
			$response->header( 'X-WP401-Dropped', self::header_value() );
			$response->header( 'Cache-Control', 'no-store, private' );
		}
		return $response;
	}
}
