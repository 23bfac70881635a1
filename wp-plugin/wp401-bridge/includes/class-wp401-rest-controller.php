<?php
/**
 * REST routes under wp401/v1. Access is by signature only: the site's own
 * authentication may be exactly what is broken.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * GET /env, GET /ledger?probe=a,b, GET /time.
 */
final class WP401_REST_Controller {

	const NAMESPACE_V1 = 'wp401/v1';
	const PROBE_ID     = '/^[A-Za-z0-9_-]{1,64}$/';
	const MAX_IDS      = 200;

	public static function register(): void {
		add_action( 'rest_api_init', array( __CLASS__, 'register_routes' ) );
		add_filter( 'rest_authentication_errors', array( __CLASS__, 'let_signed_through' ), PHP_INT_MAX, 1 );
		add_filter( 'rest_pre_dispatch', array( __CLASS__, 'let_signed_dispatch' ), PHP_INT_MAX, 3 );
		add_filter( 'rest_pre_dispatch', array( __CLASS__, 'hide_namespace_before_dispatch' ), PHP_INT_MAX, 3 );
		add_filter( 'rest_index', array( __CLASS__, 'hide_from_index' ), PHP_INT_MAX, 1 );
		add_filter( 'rest_namespace_index', array( __CLASS__, 'hide_namespace_index' ), PHP_INT_MAX, 2 );
	}

	public static function register_routes(): void {
		$common = array(
			'methods'             => WP_REST_Server::READABLE,
			'permission_callback' => array( __CLASS__, 'permission' ),
			'show_in_index'       => false,
		);
		register_rest_route(
			self::NAMESPACE_V1,
			'/env',
			$common + array(
				'callback' => array( __CLASS__, 'env' ),
				'args'     => array(),
			)
		);
		register_rest_route(
			self::NAMESPACE_V1,
			'/time',
			$common + array(
				'callback' => array( __CLASS__, 'time' ),
				'args'     => array(),
			)
		);
		register_rest_route(
			self::NAMESPACE_V1,
			'/ledger',
			$common + array(
				'callback' => array( __CLASS__, 'ledger' ),
				'args'     => array(
					'probe' => array(
						'description'       => __( 'Comma-separated probe ids.', 'wp401-bridge' ),
						'type'              => 'string',
						'required'          => true,
						'validate_callback' => array( __CLASS__, 'validate_probe_ids' ),
						'sanitize_callback' => array( __CLASS__, 'sanitize_probe_ids' ),
					),
				),
			)
		);
	}

	/**
	 * Signature check. A failure looks exactly like core's answer to an
	 * unauthenticated request for a private route.
	 *
	 * @return true|WP_Error
	 */
	public static function permission() {
		$gate = WP401_Gate::current();
		if ( $gate['valid'] ) {
			return true;
		}
		// Core's own string (no text domain on purpose): the answer must match core's, translation included.
		return new WP_Error( 'rest_forbidden', __( 'Sorry, you are not allowed to do that.' ), array( 'status' => 401 ) ); // phpcs:ignore WordPress.WP.I18n.MissingArgDomain
	}

	/** @return WP_REST_Response */
	public static function env() {
		return self::no_cache( new WP_REST_Response( WP401_Environment::report(), 200 ) );
	}

	/** @return WP_REST_Response */
	public static function time() {
		$now = microtime( true );
		return self::no_cache(
			new WP_REST_Response(
				array(
					'unix'   => (int) floor( $now ),
					'unixMs' => (int) floor( $now * 1000 ),
					'iso'    => gmdate( 'c', (int) $now ),
				),
				200
			)
		);
	}

	/**
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 */
	public static function ledger( $request ) {
		$ids = (array) $request->get_param( 'probe' );
		return self::no_cache( new WP_REST_Response( array( 'entries' => WP401_Ledger::read( $ids ) ), 200 ) );
	}

	/**
	 * @param mixed $value Param.
	 * @return true|WP_Error
	 */
	public static function validate_probe_ids( $value ) {
		if ( ! is_string( $value ) ) {
			return new WP_Error( 'rest_invalid_param', __( 'Invalid probe ids.', 'wp401-bridge' ), array( 'status' => 400 ) );
		}
		$ids = explode( ',', $value );
		if ( count( $ids ) > self::MAX_IDS ) {
			return new WP_Error( 'rest_invalid_param', __( 'Too many probe ids.', 'wp401-bridge' ), array( 'status' => 400 ) );
		}
		foreach ( $ids as $id ) {
			if ( 1 !== preg_match( self::PROBE_ID, $id ) ) {
				return new WP_Error( 'rest_invalid_param', __( 'Invalid probe ids.', 'wp401-bridge' ), array( 'status' => 400 ) );
			}
		}
		return true;
	}

	/**
	 * @param mixed $value Param, already validated.
	 * @return string[]
	 */
	public static function sanitize_probe_ids( $value ): array {
		$ids = array();
		foreach ( explode( ',', (string) $value ) as $id ) {
			if ( 1 === preg_match( self::PROBE_ID, $id ) ) {
				$ids[ $id ] = true;
			}
		}
		return array_slice( array_keys( $ids ), 0, self::MAX_IDS );
	}

	/**
	 * A broken site may refuse all REST requests (or reject the staging lock's
	 * Basic credentials as a bad application password). A validly signed request
	 * for our own routes still gets through; nothing else is affected.
	 *
	 * @param mixed $result Authentication result so far.
	 * @return mixed
	 */
	public static function let_signed_through( $result ) {
		if ( self::is_own_route() && WP401_Gate::claims_signature() && WP401_Gate::current()['valid'] ) {
			return true;
		}
		return $result;
	}

	/**
	 * @param mixed           $result  Short-circuit result.
	 * @param WP_REST_Server  $server  Server.
	 * @param WP_REST_Request $request Request.
	 * @return mixed
	 */
	public static function let_signed_dispatch( $result, $server, $request ) {
		if ( is_wp_error( $result ) && $request instanceof WP_REST_Request && 0 === strpos( $request->get_route(), '/' . self::NAMESPACE_V1 . '/' )
			&& WP401_Gate::claims_signature() && WP401_Gate::current()['valid'] ) {
			return null;
		}
		return $result;
	}

	/**
	 * @param mixed $response Index response.
	 * @return mixed
	 */
	public static function hide_from_index( $response ) {
		if ( ! ( $response instanceof WP_REST_Response ) ) {
			return $response;
		}
		$data = $response->get_data();
		if ( isset( $data['namespaces'] ) && is_array( $data['namespaces'] ) ) {
			$data['namespaces'] = array_values( array_diff( $data['namespaces'], array( self::NAMESPACE_V1 ) ) );
		}
		if ( isset( $data['routes'] ) && is_array( $data['routes'] ) ) {
			foreach ( array_keys( $data['routes'] ) as $route ) {
				if ( 0 === strpos( (string) $route, '/' . self::NAMESPACE_V1 ) ) {
					unset( $data['routes'][ $route ] );
				}
			}
		}
		$response->set_data( $data );
		return $response;
	}

	/**
	 * An unsigned request for the namespace index (/wp401/v1, any method) is
	 * answered before the route is matched, exactly like a namespace that does
	 * not exist: once core has matched the route it adds an "Allow: GET"
	 * header, which an unknown namespace never has.
	 *
	 * @param mixed           $result  Short-circuit result so far.
	 * @param WP_REST_Server  $server  Server.
	 * @param WP_REST_Request $request Request.
	 * @return mixed
	 */
	public static function hide_namespace_before_dispatch( $result, $server, $request ) {
		if ( null !== $result || ! ( $request instanceof WP_REST_Request ) || ! self::is_namespace_index( (string) $request->get_route() ) ) {
			return $result;
		}
		if ( WP401_Gate::claims_signature() && WP401_Gate::current()['valid'] ) {
			return $result;
		}
		return new WP_Error(
			'rest_no_route',
			__( 'No route was found matching the URL and request method.' ), // phpcs:ignore WordPress.WP.I18n.MissingArgDomain -- core's string.
			array( 'status' => 404 )
		);
	}

	/** "/wp401/v1" or "/wp401/v1/", in any letter case (core matches routes case-insensitively). */
	public static function is_namespace_index( string $route ): bool {
		return '/' . self::NAMESPACE_V1 === strtolower( rtrim( $route, '/' ) );
	}

	/**
	 * GET /wp401/v1 answers as if the namespace did not exist, unless signed.
	 *
	 * @param mixed           $response Namespace index.
	 * @param WP_REST_Request $request  Request.
	 * @return mixed
	 */
	public static function hide_namespace_index( $response, $request ) {
		if ( ! ( $request instanceof WP_REST_Request ) || self::NAMESPACE_V1 !== $request->get_param( 'namespace' ) ) {
			return $response;
		}
		if ( WP401_Gate::claims_signature() && WP401_Gate::current()['valid'] ) {
			return $response;
		}
		return new WP_REST_Response(
			array(
				'code'    => 'rest_no_route',
				'message' => __( 'No route was found matching the URL and request method.' ), // phpcs:ignore WordPress.WP.I18n.MissingArgDomain -- core's string.
				'data'    => array( 'status' => 404 ),
			),
			404
		);
	}

	private static function is_own_route(): bool {
		$route = isset( $GLOBALS['wp'] ) && is_object( $GLOBALS['wp'] ) && isset( $GLOBALS['wp']->query_vars['rest_route'] ) ? (string) $GLOBALS['wp']->query_vars['rest_route'] : '';
		return 0 === strpos( $route, '/' . self::NAMESPACE_V1 . '/' );
	}

	private static function no_cache( WP_REST_Response $response ): WP_REST_Response {
		$response->header( 'Cache-Control', 'no-store, private' );
		return $response;
	}
}
