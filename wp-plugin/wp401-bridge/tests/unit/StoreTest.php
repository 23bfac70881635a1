<?php
/**
 * The file store that keeps signed requests off the database: atomic nonce
 * memory, expiry, caps, private permissions, and a clean removal.
 *
 * @package wp401-bridge
 */

declare(strict_types=1);

use PHPUnit\Framework\TestCase;

final class StoreTest extends TestCase {

	/** @var string */
	private $dir;

	protected function setUp(): void {
		$this->dir = sys_get_temp_dir() . '/wp401-store-test-' . bin2hex( random_bytes( 6 ) );
	}

	protected function tearDown(): void {
		( new WP401_File_Store( $this->dir ) )->destroy();
		if ( is_dir( $this->dir ) ) {
			array_map( 'unlink', glob( $this->dir . '/{,.}[!.]*', GLOB_BRACE ) ?: array() );
			@rmdir( $this->dir );
		}
		WP401_Store::use_backend( null );
	}

	private function store(): WP401_File_Store {
		$store = new WP401_File_Store( $this->dir );
		$this->assertTrue( $store->usable() );
		return $store;
	}

	public function test_directory_and_files_are_private(): void {
		$store = $this->store();
		$this->assertSame( 0700, fileperms( $this->dir ) & 0777 );
		$store->set( 'l_p1', array( 'a' => 1 ), 60 );
		$store->add( 'n_x', 60 );
		$store->take_slot( 'k', 5, 60 );
		$files = $store->files();
		$this->assertCount( 3, $files );
		foreach ( $files as $file ) {
			$this->assertSame( 0600, fileperms( $file ) & 0777, $file );
		}
	}

	public function test_add_remembers_a_name_once_until_it_expires(): void {
		$store = $this->store();
		$this->assertFalse( $store->has( 'n_a' ) );
		$this->assertTrue( $store->add( 'n_a', 60 ) );
		$this->assertTrue( $store->has( 'n_a' ) );
		$this->assertFalse( $store->add( 'n_a', 60 ) );
		// Expire it by moving its expiry (the file's mtime) into the past.
		foreach ( $store->files() as $file ) {
			touch( $file, time() - 5 );
		}
		$this->assertFalse( $store->has( 'n_a' ) );
		$this->assertTrue( $store->add( 'n_a', 60 ) );
	}

	public function test_set_get_round_trip_expiry_and_size_cap(): void {
		$store = $this->store();
		$this->assertNull( $store->get( 'l_missing' ) );
		$value = array( 'probe' => 'p1', 'reachedPhp' => true, 'cookieNames' => array( 'a', 'b' ) );
		$this->assertTrue( $store->set( 'l_p1', $value, 60 ) );
		$this->assertSame( $value, $store->get( 'l_p1' ) );
		$this->assertTrue( $store->set( 'l_p1', array( 'probe' => 'p1b' ), 60 ) );
		$this->assertSame( array( 'probe' => 'p1b' ), $store->get( 'l_p1' ) );
		$this->assertFalse( $store->set( 'l_big', str_repeat( 'x', WP401_File_Store::MAX_VALUE_BYTES + 1 ), 60 ) );
		foreach ( $store->files() as $file ) {
			touch( $file, time() - 1 );
		}
		$this->assertNull( $store->get( 'l_p1' ) );
		$this->assertSame( array(), $store->files(), 'an expired entry is deleted when read' );
	}

	public function test_take_slot_caps_writes_per_bucket(): void {
		$store = $this->store();
		for ( $i = 0; $i < 3; $i++ ) {
			$this->assertTrue( $store->take_slot( 'nonce', 3, 600 ) );
		}
		$this->assertFalse( $store->take_slot( 'nonce', 3, 600 ) );
		$this->assertTrue( $store->take_slot( 'other', 3, 600 ) );
	}

	public function test_sweep_removes_only_expired_entries(): void {
		$store = $this->store();
		$store->add( 'n_old', 60 );
		$store->add( 'n_new', 60 );
		$store->set( 'l_old', 1, 60 );
		$old = array( substr( hash( 'sha256', 'n_old' ), 0, 40 ) . '.n', substr( hash( 'sha256', 'l_old' ), 0, 40 ) . '.v' );
		foreach ( $old as $name ) {
			touch( $this->dir . '/' . $name, time() - 10 );
		}
		$this->assertSame( 1, $store->sweep_expired() );
		$this->assertTrue( $store->has( 'n_new' ) );
		$this->assertFalse( $store->has( 'n_old' ) );
	}

	public function test_destroy_removes_the_directory(): void {
		$store = $this->store();
		$store->set( 'l_p', 1, 60 );
		$store->add( 'n_p', 60 );
		$store->destroy();
		$this->assertDirectoryDoesNotExist( $this->dir );
	}

	public function test_a_symlinked_or_shared_directory_is_refused(): void {
		$target = $this->dir . '-target';
		mkdir( $target, 0700 );
		symlink( $target, $this->dir );
		try {
			$this->assertFalse( ( new WP401_File_Store( $this->dir ) )->usable() );
		} finally {
			unlink( $this->dir );
			rmdir( $target );
		}
		mkdir( $this->dir, 0777 );
		chmod( $this->dir, 0777 );
		$this->assertTrue( ( new WP401_File_Store( $this->dir ) )->usable(), 'loose permissions are tightened' );
		clearstatcache();
		$this->assertSame( 0700, fileperms( $this->dir ) & 0777 );
	}

	public function test_default_dir_is_outside_the_site_and_stable(): void {
		$dir = WP401_File_Store::default_dir();
		$this->assertNotNull( $dir );
		$this->assertStringStartsNotWith( (string) realpath( ABSPATH ), (string) $dir );
		$this->assertMatchesRegularExpression( '#/wp401-[0-9a-f]{32}$#', (string) $dir );
		$this->assertSame( $dir, WP401_File_Store::default_dir() );
	}

	public function test_replay_cache_on_the_store_refuses_a_second_use(): void {
		WP401_Store::use_backend( $this->store() );
		$cache = new WP401_Replay_Cache_Store();
		$this->assertTrue( $cache->remember( 'nonce-aaaaaaaaaaaaaaaaaaaa', 360 ) );
		$this->assertFalse( $cache->remember( 'nonce-aaaaaaaaaaaaaaaaaaaa', 360 ) );
		$this->assertTrue( $cache->remember( 'nonce-bbbbbbbbbbbbbbbbbbbb', 360 ) );
	}

	public function test_concurrent_adds_of_one_name_let_exactly_one_through(): void {
		if ( ! function_exists( 'pcntl_fork' ) ) {
			$this->markTestSkipped( 'pcntl not available' );
		}
		$this->store();
		$children = array();
		for ( $i = 0; $i < 8; $i++ ) {
			$pid = pcntl_fork();
			if ( 0 === $pid ) {
				$ok = ( new WP401_File_Store( $this->dir ) )->add( 'n_race', 60 );
				exit( $ok ? 0 : 1 ); // phpcs:ignore
			}
			$children[] = $pid;
		}
		$wins = 0;
		foreach ( $children as $pid ) {
			pcntl_waitpid( $pid, $status );
			$wins += 0 === pcntl_wexitstatus( $status ) ? 1 : 0;
		}
		$this->assertSame( 1, $wins );
	}
}
