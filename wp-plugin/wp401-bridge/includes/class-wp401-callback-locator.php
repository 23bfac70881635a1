<?php
/**
 * Names a hook callback and finds the file it is defined in.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Callback → readable name, source file, line and owner. Works on every
 * callable shape WordPress accepts: function names, "Class::method" strings,
 * [object, method], [class, method], closures and invokable objects.
 */
final class WP401_Callback_Locator {

	/** @var WP401_File_Owner */
	private $owners;

	public function __construct( WP401_File_Owner $owners ) {
		$this->owners = $owners;
	}

	/**
	 * @param mixed $callback Anything stored in a WP_Hook.
	 * @return array{callback:string,file:?string,line:?int,owner:array{type:string,slug:?string,file:?string,plugin:?string}}
	 */
	public function describe( $callback ): array {
		if ( $callback instanceof WP401_Observed_Callback ) {
			$callback = $callback->original();
		}
		$name       = 'unknown';
		$reflection = null;
		try {
			if ( $callback instanceof Closure ) {
				$name       = 'Closure';
				$reflection = new ReflectionFunction( $callback );
			} elseif ( is_string( $callback ) && false !== strpos( $callback, '::' ) ) {
				list( $class, $method ) = explode( '::', $callback, 2 );
				$name                   = self::class_name( $class ) . '::' . $method;
				$reflection             = new ReflectionMethod( $class, $method );
			} elseif ( is_string( $callback ) ) {
				$name       = $callback;
				$reflection = new ReflectionFunction( $callback );
			} elseif ( is_array( $callback ) && 2 === count( $callback ) && isset( $callback[0], $callback[1] ) && is_string( $callback[1] ) ) {
				$target     = $callback[0];
				$method     = $callback[1];
				$class      = is_object( $target ) ? get_class( $target ) : (string) $target;
				$name       = self::class_name( $class ) . ( is_object( $target ) ? '->' : '::' ) . $method;
				$reflection = new ReflectionMethod( $class, $method );
			} elseif ( is_object( $callback ) && method_exists( $callback, '__invoke' ) ) {
				$name       = self::class_name( get_class( $callback ) ) . '->__invoke';
				$reflection = new ReflectionMethod( $callback, '__invoke' );
			}
		} catch ( ReflectionException $e ) {
			$reflection = null;
		}
		$file = null;
		$line = null;
		if ( null !== $reflection && ! $reflection->isInternal() ) {
			$file = (string) $reflection->getFileName();
			$line = (int) $reflection->getStartLine();
		}
		$owner = null === $reflection ? array( 'type' => 'unknown', 'slug' => null, 'file' => null, 'plugin' => null ) : $this->owners->owner( $file );
		if ( 'Closure' === $name && null !== $owner['file'] ) {
			$name = 'Closure@' . $owner['file'] . ':' . $line;
		}
		return array(
			'callback' => $name,
			'file'     => $owner['file'],
			'line'     => $line,
			'owner'    => $owner,
		);
	}

	/** Anonymous classes carry a NUL byte and a path in their name; keep it readable. */
	private static function class_name( string $class ): string {
		$nul = strpos( $class, "\0" );
		return false === $nul ? $class : substr( $class, 0, $nul );
	}
}
