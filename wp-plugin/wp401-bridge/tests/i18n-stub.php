<?php
/**
 * Translation functions for tests that run without WordPress: they return the text unchanged.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

// phpcs:disable WordPress.NamingConventions -- these are WordPress's own names.
function __( $text, $domain = 'default' ) {
	return $text;
}
