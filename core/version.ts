declare const __SWARMCAST_VERSION__: string | undefined;

/** The package version, put in at build time from package.json ('dev' when run from source, as in tests). */
export const VERSION: string = typeof __SWARMCAST_VERSION__ === 'string' ? __SWARMCAST_VERSION__ : 'dev';
