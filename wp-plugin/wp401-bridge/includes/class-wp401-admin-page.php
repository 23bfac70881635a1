<?php
/**
 * Tools → wp401: the key, a ready-to-copy scan command, and key regeneration.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Admin page for users with wp401_diagnose.
 */
final class WP401_Admin_Page {

	const SLUG   = 'wp401-bridge';
	const ACTION = 'wp401_regenerate_key';

	public static function register(): void {
		add_action( 'admin_menu', array( __CLASS__, 'menu' ) );
		add_action( 'admin_post_' . self::ACTION, array( __CLASS__, 'regenerate' ) );
		add_action( 'admin_init', array( 'WP401_Lifecycle', 'maybe_upgrade_loader' ) );
	}

	public static function menu(): void {
		add_management_page(
			__( 'wp401 bridge', 'wp401-bridge' ),
			__( 'wp401', 'wp401-bridge' ),
			WP401_Capability::CAP,
			self::SLUG,
			array( __CLASS__, 'render' )
		);
	}

	public static function render(): void {
		if ( ! current_user_can( WP401_Capability::CAP ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to access this page.', 'wp401-bridge' ), 403 );
		}
		$key      = WP401_Key::get();
		$constant = WP401_Key::from_constant();
		$command  = sprintf( 'WP401_BRIDGE_KEY=%s npx wp401 scan %s --isolate', $key, home_url( '/' ) );
		$loader   = WP401_Lifecycle::loader_status();
		// phpcs:ignore WordPress.Security.NonceVerification -- display flag only.
		$done = isset( $_GET['wp401-regenerated'] ) && '1' === $_GET['wp401-regenerated'];
		?>
		<div class="wrap">
			<h1><?php esc_html_e( 'wp401 bridge', 'wp401-bridge' ); ?></h1>
			<?php if ( $done ) : ?>
				<div class="notice notice-success"><p><?php esc_html_e( 'A new key was created. The old key no longer works.', 'wp401-bridge' ); ?></p></div>
			<?php endif; ?>
			<p><?php esc_html_e( 'The wp401 scanner signs its requests with this key so it can see inside WordPress even when the site\'s own login is broken. Treat it like a password.', 'wp401-bridge' ); ?></p>
			<?php if ( strlen( $key ) < WP401_Verifier::MIN_KEY_LENGTH ) : ?>
				<div class="notice notice-error"><p>
				<?php
				printf(
					/* translators: %d: minimum number of characters for the key. */
					esc_html__( 'The key is missing or shorter than %d characters; the bridge refuses every request until that is fixed.', 'wp401-bridge' ),
					(int) WP401_Verifier::MIN_KEY_LENGTH
				);
				?>
				</p></div>
			<?php endif; ?>
			<h2><?php esc_html_e( 'Key', 'wp401-bridge' ); ?></h2>
			<p><input type="text" class="large-text code" readonly value="<?php echo esc_attr( $key ); ?>" onfocus="this.select();" /></p>
			<h2><?php esc_html_e( 'Scan command', 'wp401-bridge' ); ?></h2>
			<p><textarea class="large-text code" rows="2" readonly onfocus="this.select();"><?php echo esc_textarea( $command ); ?></textarea></p>
			<h2><?php esc_html_e( 'Troubleshooting loader', 'wp401-bridge' ); ?></h2>
			<p>
			<?php
			if ( $loader['installed'] && $loader['ours'] ) {
				printf(
					/* translators: %s: version number of the must-use loader. */
					esc_html__( 'The must-use loader is installed (version %s).', 'wp401-bridge' ),
					esc_html( (string) $loader['version'] )
				);
			} else {
				esc_html_e( 'The must-use loader is not installed, so per-request plugin isolation is unavailable. Check that wp-content/mu-plugins is writable, then deactivate and activate the plugin.', 'wp401-bridge' );
			}
			?>
			</p>
			<h2><?php esc_html_e( 'Regenerate', 'wp401-bridge' ); ?></h2>
			<?php if ( $constant ) : ?>
				<p><?php esc_html_e( 'The key is set by the WP401_BRIDGE_KEY constant in wp-config.php. Change it there.', 'wp401-bridge' ); ?></p>
			<?php else : ?>
				<form method="post" action="<?php echo esc_url( admin_url( 'admin-post.php' ) ); ?>">
					<input type="hidden" name="action" value="<?php echo esc_attr( self::ACTION ); ?>" />
					<?php wp_nonce_field( self::ACTION ); ?>
					<?php submit_button( __( 'Regenerate key', 'wp401-bridge' ), 'secondary' ); ?>
				</form>
			<?php endif; ?>
			<p><?php esc_html_e( 'Deactivating the plugin deletes the key, the probe ledger and the must-use loader.', 'wp401-bridge' ); ?></p>
		</div>
		<?php
	}

	public static function regenerate(): void {
		if ( ! current_user_can( WP401_Capability::CAP ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to do that.', 'wp401-bridge' ), 403 );
		}
		check_admin_referer( self::ACTION );
		if ( ! WP401_Key::from_constant() ) {
			WP401_Key::regenerate();
		}
		wp_safe_redirect( add_query_arg( array( 'page' => self::SLUG, 'wp401-regenerated' => '1' ), admin_url( 'tools.php' ) ) );
		exit;
	}
}
