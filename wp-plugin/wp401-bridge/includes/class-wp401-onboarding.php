<?php
/**
 * What a new user meets after activation: a Settings link on the Plugins
 * screen, a one-time notice pointing to Tools → wp401, and the Tools page's
 * reveal/copy script.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Onboarding. The notice flag is a network option holding the ID of the user
 * who activated the plugin; it is deleted the first time that user sees the
 * notice, and on deactivation and uninstall.
 */
final class WP401_Onboarding {

	const NOTICE_OPTION = 'wp401_bridge_activation_notice';

	public static function register( string $plugin_file ): void {
		$basename = plugin_basename( $plugin_file );
		add_filter( 'plugin_action_links_' . $basename, array( __CLASS__, 'action_links' ) );
		add_filter( 'network_admin_plugin_action_links_' . $basename, array( __CLASS__, 'action_links' ) );
		add_action( 'admin_notices', array( __CLASS__, 'notice' ) );
		add_action( 'network_admin_notices', array( __CLASS__, 'notice' ) );
		add_action( 'admin_enqueue_scripts', array( __CLASS__, 'enqueue' ) );
	}

	/** Activation hook: remember who should see the notice. */
	public static function activate(): void {
		delete_site_option( self::NOTICE_OPTION );
		add_site_option( self::NOTICE_OPTION, get_current_user_id() );
	}

	/** Deactivation and uninstall: leave nothing behind. */
	public static function forget(): void {
		delete_site_option( self::NOTICE_OPTION );
	}

	public static function page_url(): string {
		return add_query_arg( 'page', WP401_Admin_Page::SLUG, admin_url( 'tools.php' ) );
	}

	/**
	 * @param array<int|string,string> $links Existing action links.
	 * @return array<int|string,string>
	 */
	public static function action_links( $links ): array {
		$links = is_array( $links ) ? $links : array();
		if ( current_user_can( WP401_Capability::CAP ) ) {
			array_unshift( $links, sprintf( '<a href="%s">%s</a>', esc_url( self::page_url() ), esc_html__( 'Settings', 'wp401-bridge' ) ) );
		}
		return $links;
	}

	public static function notice(): void {
		$for = get_site_option( self::NOTICE_OPTION, null );
		if ( null === $for || ! current_user_can( WP401_Capability::CAP ) ) {
			return;
		}
		// Shown to the user who activated the plugin (or, when activated from the command line, to the first who can use it).
		if ( 0 !== (int) $for && get_current_user_id() !== (int) $for ) {
			return;
		}
		self::forget();
		$screen = function_exists( 'get_current_screen' ) ? get_current_screen() : null;
		if ( null !== $screen && 'tools_page_' . WP401_Admin_Page::SLUG === $screen->id ) {
			return; // Already where the notice would point.
		}
		?>
		<div class="notice notice-info is-dismissible wp401-activation-notice">
			<p>
			<?php
			printf(
				/* translators: %s: link to the Tools → wp401 page. */
				esc_html__( 'wp401 bridge is active. Its key and the command to scan this site are on %s.', 'wp401-bridge' ),
				sprintf( '<a href="%s">%s</a>', esc_url( self::page_url() ), esc_html__( 'Tools > wp401', 'wp401-bridge' ) )
			);
			?>
			</p>
		</div>
		<?php
	}

	/** @param string $hook_suffix The current admin screen's hook suffix. */
	public static function enqueue( $hook_suffix ): void {
		if ( 'tools_page_' . WP401_Admin_Page::SLUG !== $hook_suffix ) {
			return;
		}
		wp_enqueue_script( 'wp401-bridge-admin', plugins_url( 'assets/admin.js', dirname( __DIR__ ) . '/wp401-bridge.php' ), array(), WP401_BRIDGE_VERSION, true );
		wp_localize_script(
			'wp401-bridge-admin',
			'wp401Bridge',
			array(
				'show'   => __( 'Show', 'wp401-bridge' ),
				'hide'   => __( 'Hide', 'wp401-bridge' ),
				'copied' => __( 'Copied', 'wp401-bridge' ),
				'failed' => __( 'Copy failed: select the text and copy it by hand.', 'wp401-bridge' ),
			)
		);
	}
}
