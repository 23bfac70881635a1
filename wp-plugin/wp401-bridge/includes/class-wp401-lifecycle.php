<?php
/**
 * Activation, deactivation, upgrade of the must-use loader, and cleanup.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Installs and removes what the bridge puts on the site.
 */
final class WP401_Lifecycle {

	const LOADER_FILE   = 'wp401-troubleshoot.php';
	const LOADER_MARKER = 'WP401 Loader:';

	/** Activation (by an administrator): a fresh key, and the must-use loader. */
	public static function activate(): void {
		WP401_Key::regenerate();
		self::install_loader();
	}

	/** Deactivation leaves nothing behind: loader, key, stored nonces and ledger entries, the onboarding flag. */
	public static function deactivate(): void {
		self::remove_loader();
		WP401_Key::delete();
		WP401_Store::sweep();
		require_once __DIR__ . '/class-wp401-onboarding.php';
		WP401_Onboarding::forget();
	}

	/**
	 * Watches active_plugins: when the bridge leaves it without its
	 * deactivation hook having run (deactivate_plugins( …, true ), a direct
	 * option update), clean up the same way.
	 *
	 * @param mixed $old_value Previous list (or map, network-wide).
	 * @param mixed $value     New list.
	 */
	public static function watch_site( $old_value, $value ): void {
		if ( self::lists_bridge( $old_value ) && ! self::lists_bridge( $value ) ) {
			self::deactivate(); // Idempotent: after a normal deactivation there is nothing left to remove.
		}
	}

	/** @param mixed $list active_plugins (list) or active_sitewide_plugins (map). */
	private static function lists_bridge( $list ): bool {
		$plugin = 'wp401-bridge/wp401-bridge.php';
		return is_array( $list ) && ( in_array( $plugin, $list, true ) || array_key_exists( $plugin, $list ) );
	}

	/**
	 * A newer bridge ships a newer loader: replace our own loader file, only
	 * when an administrator is at work in wp-admin, and never re-create one
	 * somebody deleted (re-activating the plugin does that).
	 */
	public static function maybe_upgrade_loader(): void {
		if ( ! current_user_can( 'activate_plugins' ) || wp_doing_ajax() ) {
			return;
		}
		$status = self::loader_status();
		if ( $status['installed'] && $status['ours'] && WP401_BRIDGE_VERSION !== $status['version'] ) {
			self::install_loader();
		}
	}

	/** @return array{installed:bool,ours:bool,version:?string} */
	public static function loader_status(): array {
		$target = self::loader_target();
		if ( ! is_file( $target ) ) {
			return array( 'installed' => false, 'ours' => false, 'version' => null );
		}
		$head = (string) file_get_contents( $target, false, null, 0, 2048 );
		$ours = false !== strpos( $head, self::LOADER_MARKER );
		$ver  = null;
		if ( 1 === preg_match( '/^\s*\*\s*Version:\s*([0-9A-Za-z.\-]+)/m', $head, $m ) ) {
			$ver = $m[1];
		}
		return array( 'installed' => true, 'ours' => $ours, 'version' => $ver );
	}

	public static function install_loader(): bool {
		$status = self::loader_status();
		if ( $status['installed'] && ! $status['ours'] ) {
			return false; // Someone else's file with our name: leave it alone.
		}
		if ( ! is_dir( WPMU_PLUGIN_DIR ) && ! wp_mkdir_p( WPMU_PLUGIN_DIR ) ) {
			return false;
		}
		$source = dirname( __DIR__ ) . '/mu-loader/' . self::LOADER_FILE;
		if ( ! is_readable( $source ) || ! is_writable( WPMU_PLUGIN_DIR ) ) {
			return false;
		}
		$temp = self::loader_target() . '.tmp-' . bin2hex( random_bytes( 4 ) );
		if ( ! @copy( $source, $temp ) ) { // phpcs:ignore -- failure is reported by the return value.
			return false;
		}
		return @rename( $temp, self::loader_target() ); // phpcs:ignore
	}

	public static function remove_loader(): void {
		$status = self::loader_status();
		if ( $status['installed'] && $status['ours'] ) {
			@unlink( self::loader_target() ); // phpcs:ignore -- best effort.
		}
	}

	private static function loader_target(): string {
		return trailingslashit( WPMU_PLUGIN_DIR ) . self::LOADER_FILE;
	}
}
