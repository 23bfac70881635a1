<?php
/**
 * REST routes under wp401/v1: the second door, for sites without the
 * must-use loader. Access is by signature only: the site's own
 * authentication may be exactly what is broken.
 *
 * The routes exist only for a request signed with the key. For everybody
 * else — any method, logged in or not, OPTIONS included — WordPress answers
 * exactly as it does for a route that does not exist.
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

	public static function register(): void {
		add_action( 'rest_api_init', array( __CLASS__, 'register_routes' ) );
		add_filter( 'rest_authentication_errors', array( __CLASS__, 'let_signed_through' ), PHP_INT_MAX, 1 );
		add_filter( 'rest_pre_dispatch', array( __CLASS__, 'let_signed_dispatch' ), PHP_INT_MAX, 3 );
		add_filter( 'rest_index', array( __CLASS__, 'hide_from_index' ), PHP_INT_MAX, 1 );
		add_filter( 'rest_pre_serve_request', array( __CLASS__, 'serve_signed' ), PHP_INT_MAX, 4 );
	}

	/** Only an authentic signed request gets the routes at all. */
	public static function register_routes(): void {
		if ( ! WP401_Gate::claims_signature() || ! WP401_Gate::current()['authentic'] ) {
			return;
		}
		foreach ( WP401_Answers::ROUTES as $route ) {
			$args = array();
			if ( 'ledger' === $route ) {
				$args['probe'] = array(
					'description' => __( 'Comma-separated probe ids.', 'wp401-bridge' ),
					'type'        => 'string',
					'required'    => true,
				);
			}
			register_rest_route(
				self::NAMESPACE_V1,
				'/' . $route,
				array(
					'methods'             => WP_REST_Server::READABLE,
					'permission_callback' => '__return_true', // Access was decided by the signature: the route exists only for signed requests.
					'callback'            => array( __CLASS__, 'answer' ),
					'args'                => $args,
					'show_in_index'       => false,
				)
			);
		}
	}

	/**
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 */
	public static function answer( $request ) {
		$route = substr( (string) strrchr( rtrim( strtolower( (string) $request->get_route() ), '/' ), '/' ), 1 );
		$route = in_array( $route, WP401_Answers::ROUTES, true ) ? $route : 'time';
		list( $status, $data ) = WP401_Answers::answer( $route, WP401_Gate::current(), (string) $request->get_param( 'probe' ), 'rest' );
		return new WP_REST_Response( $data, $status );
	}

	/**
	 * Our answers are echoed here so the answer signature covers the exact
	 * bytes sent.
	 *
	 * @param mixed            $served  Whether the request was served.
	 * @param mixed            $result  Response.
	 * @param WP_REST_Request  $request Request.
	 * @param WP_REST_Server   $server  Server.
	 * @return mixed
	 */
	public static function serve_signed( $served, $result, $request, $server ) {
		if ( $served || ! ( $result instanceof WP_REST_Response ) || ! ( $request instanceof WP_REST_Request ) || ! self::is_ours( (string) $request->get_route() ) ) {
			return $served;
		}
		if ( ! WP401_Gate::claims_signature() || ! WP401_Gate::current()['authentic'] ) {
			return $served;
		}
		$body   = (string) wp_json_encode( $result->get_data() );
		$status = $result->get_status();
		foreach ( WP401_Answers::headers( WP401_Gate::current(), $status, $body ) as $name => $value ) {
			header( $name . ': ' . $value );
		}
		if ( 'HEAD' !== $request->get_method() ) {
			echo $body; // phpcs:ignore WordPress.Security.EscapeOutput -- JSON, served by the REST server as application/json.
		}
		return true;
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
		if ( self::is_own_route() && WP401_Gate::claims_signature() && WP401_Gate::current()['authentic'] ) {
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
		if ( is_wp_error( $result ) && $request instanceof WP_REST_Request && self::is_ours( (string) $request->get_route() )
			&& WP401_Gate::claims_signature() && WP401_Gate::current()['authentic'] ) {
			return null;
		}
		return $result;
	}

	/**
	 * Signed requests for the index must not see our routes either.
	 *
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

	/** "/wp401/v1/…" in any letter case (core matches routes case-insensitively). */
	public static function is_ours( string $route ): bool {
		return 0 === strpos( strtolower( $route ), '/' . self::NAMESPACE_V1 . '/' );
	}

	private static function is_own_route(): bool {
		$route = isset( $GLOBALS['wp'] ) && is_object( $GLOBALS['wp'] ) && isset( $GLOBALS['wp']->query_vars['rest_route'] ) ? (string) $GLOBALS['wp']->query_vars['rest_route'] : '';
		return self::is_ours( $route );
	}
}
