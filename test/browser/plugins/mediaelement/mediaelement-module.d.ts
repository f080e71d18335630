/** mediaelement ships no types; the tests import it for its side effect (window.MediaElementPlayer). */
declare module 'mediaelement';
