<?php
/**
 * Probe ledger: what happened to one signed scanner request inside PHP.
 * Recording starts as early as the bridge code runs (the must-use loader, or
 * the plugin) and the entry is written at shutdown, so it survives exit().
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Records one probe and reads entries back.
 */
final class WP401_Ledger {

	const TTL         = 600;
	const MAX_ENTRIES = 2000;
	const MAX_BYTES   = 16384;
	const MAX_EVENTS  = 40;

	/** Filters whose callbacks are wrapped to see which one changed the value. */
	const OBSERVED = array( 'rest_authentication_errors', 'authenticate', 'wp_authenticate_user', 'determine_current_user', 'wp_is_application_passwords_available', 'rest_pre_dispatch' );

	/** @var self|null */
	private static $instance = null;

	/** @var array<string,mixed> */
	private $entry;
	/** @var WP401_Callback_Locator|null */
	private $locator = null;
	/** @var array<string,bool> */
	private $wrapped = array();

	/** Start recording when the current request carries a validly signed probe id. */
	public static function maybe_start(): void {
		if ( null !== self::$instance || empty( $_SERVER['HTTP_X_WP401_PROBE'] ) || ! WP401_Gate::claims_signature() ) {
			return;
		}
		$gate = WP401_Gate::current();
		if ( ! $gate['valid'] || null === $gate['probe'] ) {
			return;
		}
		self::$instance = new self( $gate['probe'] );
		self::$instance->hook();
	}

	private function __construct( string $probe ) {
		$this->entry = array(
			'probe'                => $probe,
			'reachedPhp'           => true,
			'at'                   => time(),
			'method'               => isset( $_SERVER['REQUEST_METHOD'] ) ? substr( preg_replace( '/[^A-Z]/', '', strtoupper( (string) $_SERVER['REQUEST_METHOD'] ) ), 0, 16 ) : '',
			'authorizationHeader'  => false,
			'authorizationSources' => array(
				'HTTP_AUTHORIZATION'          => ! empty( $_SERVER['HTTP_AUTHORIZATION'] ),
				'REDIRECT_HTTP_AUTHORIZATION' => ! empty( $_SERVER['REDIRECT_HTTP_AUTHORIZATION'] ),
				'PHP_AUTH_USER'               => isset( $_SERVER['PHP_AUTH_USER'] ) && '' !== $_SERVER['PHP_AUTH_USER'],
			),
			'cookieNames'          => self::cookie_names(),
			'userId'               => 0,
			'status'               => 0,
			'isRest'               => false,
			'authError'            => null,
			'appPasswordError'     => null,
			'restError'            => null,
			'died'                 => null,
			'statusSetBy'          => null,
			'redirectedBy'         => null,
			'hookEvents'           => array(),
			'dropped'              => array(),
			'troubleshootRefused'  => null,
		);
		$this->entry['authorizationHeader'] = in_array( true, $this->entry['authorizationSources'], true );
	}

	private function hook(): void {
		foreach ( self::OBSERVED as $hook ) {
			add_filter( $hook, array( $this, 'wrap_callbacks' ), PHP_INT_MIN, 1 );
			add_filter( $hook, array( $this, 'unwrap_callbacks' ), PHP_INT_MAX, 1 );
		}
		add_filter( 'determine_current_user', array( $this, 'see_user' ), PHP_INT_MAX - 1, 1 );
		// Core records why an application password failed (incorrect_password, invalid_username…) but, on a REST
		// request, often too late for the client to see it (rest_application_password_check_errors has run): keep it.
		add_action( 'application_password_failed_authentication', array( $this, 'see_app_password_error' ), PHP_INT_MAX, 1 );
		add_filter( 'rest_post_dispatch', array( $this, 'see_rest_response' ), PHP_INT_MAX, 1 );
		add_filter( 'wp_die_handler', array( $this, 'see_die' ), PHP_INT_MAX, 1 );
		add_filter( 'wp_die_json_handler', array( $this, 'see_die' ), PHP_INT_MAX, 1 );
		add_filter( 'wp_die_ajax_handler', array( $this, 'see_die' ), PHP_INT_MAX, 1 );
		add_filter( 'status_header', array( $this, 'see_status' ), PHP_INT_MAX, 2 );
		add_filter( 'wp_redirect', array( $this, 'see_redirect' ), PHP_INT_MAX, 2 );
		add_action( 'shutdown', array( $this, 'save' ), PHP_INT_MAX, 0 );
	}

	/** Dropped plugins reported by the troubleshooting loader. */
	public static function note_dropped( array $dropped ): void {
		if ( null !== self::$instance ) {
			self::$instance->entry['dropped'] = array_values( $dropped );
		}
	}

	/**
	 * Troubleshooting was refused or cut short: method, body, endpoint,
	 * action, write (a plugin-list write was ignored), plugin-change.
	 *
	 * @param string $reason Reason code.
	 */
	public static function note_troubleshoot_refused( string $reason ): void {
		if ( null !== self::$instance && null === self::$instance->entry['troubleshootRefused'] ) {
			self::$instance->entry['troubleshootRefused'] = $reason;
		}
	}

	/**
	 * Runs first on an observed filter: wrap every other callback on it.
	 *
	 * @param mixed $value Filter value, passed through.
	 * @return mixed
	 */
	public function wrap_callbacks( $value ) {
		global $wp_filter;
		$hook = current_filter();
		if ( ! isset( $wp_filter[ $hook ] ) || ! ( $wp_filter[ $hook ] instanceof WP_Hook ) ) {
			return $value;
		}
		foreach ( $wp_filter[ $hook ]->callbacks as $priority => $callbacks ) {
			foreach ( $callbacks as $id => $callback ) {
				$fn = $callback['function'];
				if ( $fn instanceof WP401_Observed_Callback || ( is_array( $fn ) && isset( $fn[0] ) && $fn[0] === $this ) ) {
					continue;
				}
				// Only the stored function changes; the key stays, so remove_filter() keeps working.
				$wp_filter[ $hook ]->callbacks[ $priority ][ $id ]['function'] = new WP401_Observed_Callback( $fn, array( $this, 'observe' ), $hook, (int) $priority );
			}
		}
		$this->entry['isRest'] = $this->entry['isRest'] || 'rest_authentication_errors' === $hook;
		return $value;
	}

	/**
	 * Runs last on an observed filter: put the original callbacks back.
	 *
	 * @param mixed $value Filter value, passed through.
	 * @return mixed
	 */
	public function unwrap_callbacks( $value ) {
		global $wp_filter;
		$hook = current_filter();
		if ( isset( $wp_filter[ $hook ] ) && $wp_filter[ $hook ] instanceof WP_Hook ) {
			foreach ( $wp_filter[ $hook ]->callbacks as $priority => $callbacks ) {
				foreach ( $callbacks as $id => $callback ) {
					if ( $callback['function'] instanceof WP401_Observed_Callback ) {
						$wp_filter[ $hook ]->callbacks[ $priority ][ $id ]['function'] = $callback['function']->original();
					}
				}
			}
		}
		return $value;
	}

	/**
	 * Called by each wrapped callback with the value before and after it.
	 *
	 * @param string $hook     Hook.
	 * @param int    $priority Priority.
	 * @param mixed  $callback Original callback.
	 * @param mixed  $before   Value in.
	 * @param mixed  $after    Value out.
	 */
	public function observe( string $hook, int $priority, $callback, $before, $after ): void {
		$change = self::change( $hook, $before, $after );
		if ( null === $change || count( $this->entry['hookEvents'] ) >= self::MAX_EVENTS ) {
			return;
		}
		$where = $this->locator()->describe( $callback );
		$event = array(
			'hook'     => $hook,
			'priority' => $priority,
			'callback' => $where['callback'],
			'owner'    => $where['owner'],
			'change'   => $change,
		);
		if ( $after instanceof WP_Error ) {
			$event['code']    = (string) $after->get_error_code();
			$event['message'] = self::clip( wp_strip_all_tags( (string) $after->get_error_message() ) );
		}
		if ( 'determine_current_user' === $hook ) {
			$event['from'] = is_numeric( $before ) ? (int) $before : 0;
			$event['to']   = is_numeric( $after ) ? (int) $after : 0;
		}
		$this->entry['hookEvents'][] = $event;
		if ( 'error' === $change && in_array( $hook, array( 'rest_authentication_errors', 'authenticate', 'wp_authenticate_user', 'rest_pre_dispatch' ), true ) ) {
			$this->entry['authError'] = array(
				'code'      => $event['code'] ?? '',
				'message'   => $event['message'] ?? '',
				'hook'      => $hook,
				'priority'  => $priority,
				'callback'  => $where['callback'],
				'plugin'    => $where['owner']['slug'],
				'ownerType' => $where['owner']['type'],
			);
		} elseif ( 'cleared' === $change && null !== $this->entry['authError'] && $this->entry['authError']['hook'] === $hook ) {
			$this->entry['authError'] = null;
		}
	}

	/**
	 * How a callback changed the value, or null when it did not matter.
	 *
	 * @param string $hook   Hook.
	 * @param mixed  $before Value in.
	 * @param mixed  $after  Value out.
	 */
	private static function change( string $hook, $before, $after ): ?string {
		if ( 'determine_current_user' === $hook ) {
			return (int) ( is_numeric( $before ) ? $before : 0 ) !== (int) ( is_numeric( $after ) ? $after : 0 ) ? 'user' : null;
		}
		if ( 'wp_is_application_passwords_available' === $hook ) {
			return (bool) $before !== (bool) $after ? ( $after ? 'enabled' : 'disabled' ) : null;
		}
		$was = $before instanceof WP_Error;
		$is  = $after instanceof WP_Error;
		if ( ! $was && $is ) {
			return 'error';
		}
		if ( $was && ! $is ) {
			return 'cleared';
		}
		if ( $was && $is && $before->get_error_code() !== $after->get_error_code() ) {
			return 'error';
		}
		return null;
	}

	/**
	 * Why core (or a plugin, through wp_authenticate_application_password_errors) refused an application password.
	 *
	 * @param mixed $error The WP_Error core passes.
	 */
	public function see_app_password_error( $error ): void {
		if ( $error instanceof WP_Error ) {
			$this->entry['appPasswordError'] = array(
				'code'    => self::clip( (string) $error->get_error_code() ),
				'message' => self::clip( wp_strip_all_tags( (string) $error->get_error_message() ) ),
			);
		}
	}

	/**
	 * @param mixed $user User id so far.
	 * @return mixed
	 */
	public function see_user( $user ) {
		$this->entry['userId'] = is_numeric( $user ) ? (int) $user : 0;
		return $user;
	}

	/**
	 * @param mixed $response REST response.
	 * @return mixed
	 */
	public function see_rest_response( $response ) {
		$this->entry['isRest'] = true;
		if ( $response instanceof WP_REST_Response && $response->get_status() >= 400 ) {
			$data = $response->get_data();
			if ( is_array( $data ) && isset( $data['code'] ) ) {
				$this->entry['restError'] = array(
					'code'    => self::clip( (string) $data['code'] ),
					'message' => self::clip( wp_strip_all_tags( (string) ( $data['message'] ?? '' ) ) ),
					'status'  => $response->get_status(),
				);
			}
		}
		return $response;
	}

	/**
	 * wp_die() was called: remember from where (first non-core frame) and in which hook.
	 *
	 * @param mixed $handler Die handler, passed through.
	 * @return mixed
	 */
	public function see_die( $handler ) {
		$this->entry['died'] = $this->blame();
		return $handler;
	}

	/**
	 * A 401/403/429 status was set: remember who set it.
	 *
	 * @param mixed $header Status line, passed through.
	 * @param mixed $code   Status code.
	 * @return mixed
	 */
	public function see_status( $header, $code = 0 ) {
		if ( in_array( (int) $code, array( 401, 403, 429 ), true ) && null === $this->entry['statusSetBy'] ) {
			$this->entry['statusSetBy'] = array( 'status' => (int) $code ) + $this->blame();
		}
		return $header;
	}

	/**
	 * The request was redirected through wp_redirect(): remember who called it
	 * and whether it went to the login page. Only the target's path is kept
	 * (its query may carry anything).
	 *
	 * @param mixed $location Redirect target, passed through.
	 * @param mixed $status   HTTP status of the redirect.
	 * @return mixed
	 */
	public function see_redirect( $location, $status = 302 ) {
		if ( null === $this->entry['redirectedBy'] && is_string( $location ) && '' !== $location ) {
			$path                        = (string) wp_parse_url( $location, PHP_URL_PATH );
			$this->entry['redirectedBy'] = array(
				'status'  => (int) $status,
				'toLogin' => '' !== $path && 'wp-login.php' === basename( $path ),
			) + $this->blame();
		}
		return $location;
	}

	/**
	 * @return array{hook:string,owner:array<string,mixed>|null,line:?int}
	 */
	private function blame(): array {
		// phpcs:ignore WordPress.PHP.DevelopmentFunctions -- used to attribute the caller, never output.
		$frames = debug_backtrace( DEBUG_BACKTRACE_IGNORE_ARGS, 40 );
		$owner  = null;
		$line   = null;
		foreach ( $frames as $frame ) {
			if ( ! isset( $frame['file'] ) || __FILE__ === $frame['file'] ) {
				continue;
			}
			$candidate = $this->locator_owners()->owner( $frame['file'] );
			if ( ! in_array( $candidate['type'], array( 'core', 'php', 'unknown' ), true ) ) {
				$owner = $candidate;
				$line  = isset( $frame['line'] ) ? (int) $frame['line'] : null;
				break;
			}
		}
		return array(
			'hook'  => (string) current_filter(),
			'owner' => $owner,
			'line'  => $line,
		);
	}

	/** Writes the entry; runs at shutdown. */
	public function save(): void {
		$status = http_response_code();
		if ( is_int( $status ) ) {
			$this->entry['status'] = $status;
		} else {
			unset( $this->entry['status'] );
		}
		if ( function_exists( 'get_current_user_id' ) && did_action( 'set_current_user' ) ) {
			$this->entry['userId'] = get_current_user_id();
		}
		if ( null === $this->entry['authError'] && null !== $this->entry['restError'] && in_array( $this->entry['restError']['status'], array( 401, 403 ), true ) ) {
			$this->entry['authError'] = array(
				'code'    => $this->entry['restError']['code'],
				'message' => $this->entry['restError']['message'],
			);
		}
		if ( is_array( $this->entry['authError'] ) ) {
			$this->entry['authError'] = array_filter(
				$this->entry['authError'],
				static function ( $value ): bool {
					return null !== $value;
				}
			);
		}
		// A client that follows a redirect sends the same probe id again: this
		// entry (the last hop) replaces the first one, so keep who redirected.
		if ( null === $this->entry['redirectedBy'] ) {
			$previous = WP401_Store::get( 'l_' . $this->entry['probe'] );
			if ( is_array( $previous ) && is_array( $previous['redirectedBy'] ?? null ) ) {
				$this->entry['redirectedBy'] = $previous['redirectedBy'];
			}
		}
		$json = wp_json_encode( $this->entry );
		while ( false !== $json && strlen( $json ) > self::MAX_BYTES && count( $this->entry['hookEvents'] ) > 0 ) {
			array_pop( $this->entry['hookEvents'] );
			$this->entry['truncated'] = true;
			$json                     = wp_json_encode( $this->entry );
		}
		if ( false === $json || strlen( $json ) > self::MAX_BYTES ) {
			return;
		}
		if ( ! WP401_Store::take_slot( 'ledger', self::MAX_ENTRIES, self::TTL ) ) {
			return;
		}
		WP401_Store::set( 'l_' . $this->entry['probe'], $this->entry, self::TTL );
	}

	/**
	 * Read entries back. Missing ids map to null: the probe never reached PHP
	 * (or its entry expired).
	 *
	 * @param string[] $ids Probe ids.
	 * @return array<string,mixed>
	 */
	public static function read( array $ids ): array {
		$out = array();
		foreach ( $ids as $id ) {
			$entry      = WP401_Store::get( 'l_' . $id );
			$out[ $id ] = is_array( $entry ) ? $entry : null;
		}
		return $out;
	}

	/**
	 * Cookie names as sent (the raw header keeps dots that $_COOKIE would mangle).
	 *
	 * @return string[]
	 */
	private static function cookie_names(): array {
		$raw   = isset( $_SERVER['HTTP_COOKIE'] ) && is_string( $_SERVER['HTTP_COOKIE'] ) ? $_SERVER['HTTP_COOKIE'] : '';
		$names = array();
		foreach ( explode( ';', $raw ) as $pair ) {
			$name = trim( (string) strstr( $pair . '=', '=', true ) );
			$name = (string) preg_replace( '/[^A-Za-z0-9_.\-\[\]%]/', '', $name );
			if ( '' !== $name && count( $names ) < 50 ) {
				$names[ substr( $name, 0, 128 ) ] = true;
			}
		}
		$names = array_keys( $names );
		sort( $names );
		return $names;
	}

	private static function clip( string $text ): string {
		return strlen( $text ) > 300 ? substr( $text, 0, 300 ) . '…' : $text;
	}

	private function locator(): WP401_Callback_Locator {
		if ( null === $this->locator ) {
			$this->locator = new WP401_Callback_Locator( $this->locator_owners() );
		}
		return $this->locator;
	}

	private function locator_owners(): WP401_File_Owner {
		return WP401_Environment::file_owner();
	}
}
