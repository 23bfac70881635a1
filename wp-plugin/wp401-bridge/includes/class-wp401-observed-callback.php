<?php
/**
 * A hook callback wrapped so the probe ledger can see what it returned.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Invokable wrapper: calls the original with the same arguments and reports
 * the value before and after to an observer.
 */
final class WP401_Observed_Callback {

	/** @var callable */
	private $original;
	/** @var callable(string,int,mixed,mixed,mixed):void */
	private $observer;
	/** @var string */
	private $hook;
	/** @var int */
	private $priority;

	/**
	 * @param callable $original Original callback.
	 * @param callable $observer Receives (hook, priority, original, before, after).
	 * @param string   $hook     Hook name.
	 * @param int      $priority Priority.
	 */
	public function __construct( $original, callable $observer, string $hook, int $priority ) {
		$this->original = $original;
		$this->observer = $observer;
		$this->hook     = $hook;
		$this->priority = $priority;
	}

	/** @return mixed */
	public function original() {
		return $this->original;
	}

	/**
	 * @param mixed ...$args Whatever the hook passes.
	 * @return mixed
	 */
	public function __invoke( ...$args ) {
		$before = $args[0] ?? null;
		$after  = call_user_func_array( $this->original, $args );
		call_user_func( $this->observer, $this->hook, $this->priority, $this->original, $before, $after );
		return $after;
	}
}
