/* Tools → wp401: reveal and copy buttons. No dependencies. */
( function () {
	'use strict';
	var text = window.wp401Bridge || {};

	function copy( value ) {
		if ( navigator.clipboard && window.isSecureContext ) {
			return navigator.clipboard.writeText( value );
		}
		// Plain-http sites have no clipboard API: a hidden textarea and execCommand.
		return new Promise( function ( resolve, reject ) {
			var area = document.createElement( 'textarea' );
			area.value = value;
			area.setAttribute( 'readonly', '' );
			area.style.position = 'absolute';
			area.style.left = '-9999px';
			document.body.appendChild( area );
			area.select();
			var ok = false;
			try {
				ok = document.execCommand( 'copy' );
			} catch ( e ) {
				ok = false;
			}
			document.body.removeChild( area );
			if ( ok ) {
				resolve();
			} else {
				reject( new Error( 'copy' ) );
			}
		} );
	}

	function status( button, message ) {
		var out = document.getElementById( button.getAttribute( 'data-status' ) );
		if ( out ) {
			out.textContent = message;
		}
	}

	document.querySelectorAll( '[data-wp401-reveal]' ).forEach( function ( button ) {
		button.addEventListener( 'click', function () {
			var field = document.getElementById( button.getAttribute( 'data-wp401-reveal' ) );
			var hidden = field.type === 'password';
			field.type = hidden ? 'text' : 'password';
			button.textContent = hidden ? text.hide : text.show;
			button.setAttribute( 'aria-pressed', hidden ? 'true' : 'false' );
		} );
	} );

	document.querySelectorAll( '[data-wp401-copy]' ).forEach( function ( button ) {
		button.addEventListener( 'click', function () {
			var field = document.getElementById( button.getAttribute( 'data-wp401-copy' ) );
			copy( field.value ).then(
				function () {
					status( button, text.copied );
				},
				function () {
					status( button, text.failed );
				}
			);
		} );
	} );
}() );
