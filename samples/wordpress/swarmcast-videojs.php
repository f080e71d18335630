<?php
/**
 * swarmcast P2P for Video.js-based WordPress players (drop-in, no per-embed changes).
 *
 * Put this file in wp-content/mu-plugins/ (or paste the function into the theme's functions.php), upload
 * swarmcast-videojs.min.js to your site, and set the tracker below. Every Video.js player on every page then
 * fetches segments from other viewers over WebRTC, and from your CDN whenever no peer can deliver in time.
 *
 * It needs the handle under which your theme / player plugin enqueues video.js: swarmcast must load after it and
 * before players are created. Common handles: 'videojs', 'video-js', 'vjs'. Check the page source for
 * "video.min.js" and the id="...-js" attribute of its <script> tag (WordPress adds "-js" to the handle).
 */

add_action('wp_enqueue_scripts', function () {
    $videojs_handle = 'videojs'; // ← your player's video.js handle
    if (!wp_script_is($videojs_handle, 'registered') && !wp_script_is($videojs_handle, 'enqueued')) {
        return; // No Video.js on this page: nothing to do.
    }
    wp_enqueue_script(
        'swarmcast-videojs',
        content_url('uploads/swarmcast/swarmcast-videojs.min.js'), // ← where you uploaded the bundle
        [$videojs_handle],
        '0.1.0',
        true // in the footer, after video.js; players created earlier are attached too
    );
    // The global config the bundle reads (it must be defined before the bundle runs, hence 'before').
    $config = [
        'core' => [
            'trackerUrls' => ['wss://tracker.example.com'], // ← your WebTorrent tracker(s)
        ],
        // 'swarmId' => 'my-site', // only if viewers get different manifest URLs (tokens in the path)
        // 'overlay' => false,     // hide the "P2P 42% · 3 peers" badge
        // 'preferVhs' => true,    // Safari: play through VHS (P2P) instead of native HLS (no P2P)
    ];
    wp_add_inline_script(
        'swarmcast-videojs',
        'window.swarmcastConfig = ' . wp_json_encode($config) . ';',
        'before'
    );
});
