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
		$command  = self::command( home_url( '/' ), wp_get_current_user()->user_login );
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
			<p>
				<label class="screen-reader-text" for="wp401-key"><?php esc_html_e( 'Bridge key', 'wp401-bridge' ); ?></label>
				<input type="password" id="wp401-key" class="regular-text code" readonly autocomplete="off" spellcheck="false" value="<?php echo esc_attr( $key ); ?>" />
				<button type="button" class="button" data-wp401-reveal="wp401-key" aria-pressed="false"><?php esc_html_e( 'Show', 'wp401-bridge' ); ?></button>
				<button type="button" class="button" data-wp401-copy="wp401-key" data-status="wp401-key-status"><?php esc_html_e( 'Copy', 'wp401-bridge' ); ?></button>
				<span id="wp401-key-status" role="status" aria-live="polite"></span>
			</p>
			<h2><?php esc_html_e( 'Scan this site', 'wp401-bridge' ); ?></h2>
			<p><?php esc_html_e( 'On the computer where the wp401 scanner is installed, paste the key when the first line waits for it, and your WordPress password at the second. Secrets go into environment variables, never onto the command line, where shell history and other users would see them.', 'wp401-bridge' ); ?></p>
			<p><textarea id="wp401-command" class="large-text code" rows="3" readonly><?php echo esc_textarea( $command ); ?></textarea></p>
			<p>
				<button type="button" class="button" data-wp401-copy="wp401-command" data-status="wp401-command-status"><?php esc_html_e( 'Copy command', 'wp401-bridge' ); ?></button>
				<span id="wp401-command-status" role="status" aria-live="polite"></span>
			</p>
			<p class="description"><?php esc_html_e( 'For scans you repeat (or in CI), keep WP401_BRIDGE_KEY and WP401_PASSWORD in a file only you can read (chmod 600) and load it with: set -a; . ./wp401.env; set +a (or use your CI\'s secret store).', 'wp401-bridge' ); ?></p>
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

	/**
	 * The scan command for this site and user: the key and the password are
	 * read into environment variables without echo (bash/zsh `read -rs`).
	 */
	public static function command( string $url, string $login ): string {
		$user = preg_match( '/^[A-Za-z0-9._@-]+$/', $login ) ? $login : "'" . str_replace( "'", "'\\''", $login ) . "'";
		return implode(
			"\n",
			array(
				'read -rs WP401_BRIDGE_KEY && export WP401_BRIDGE_KEY',
				'read -rs WP401_PASSWORD && export WP401_PASSWORD',
				sprintf( 'wp401 scan %s --user %s --isolate', $url, $user ),
			)
		);
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
