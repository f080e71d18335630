/**
 * The two npm packages as an app developer installs them (see consumer.ts): what the tarballs hold, that the browser
 * library installs nothing else, that every entry loads by `import` and `require()`, that the README's examples
 * type-check in a consumer's setups without skipLibCheck, and that a bundler builds the hls.js example for the page.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeConsumer, tsBlocks, type Consumer } from '../../support/consumer.js';

let consumer: Consumer;
const installed = (...parts: string[]): string => path.join(consumer.dir, 'node_modules', ...parts);

interface PackageJson {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  bundleDependencies?: string[];
  exports: Record<string, unknown>;
  bin?: Record<string, string>;
}

function readPackage(file: string): PackageJson {
  return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
}

function node(script: string): string {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: consumer.dir,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** tsc over `files` with these options; fails with tsc's own output. */
function tsc(name: string, options: Record<string, unknown>, files: string[]): void {
  const config = {
    compilerOptions: {
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      target: 'es2022',
      lib: ['es2022', 'dom', 'dom.iterable'],
      types: [],
      ...options,
    },
    files,
  };
  writeFileSync(path.join(consumer.dir, `tsconfig.${name}.json`), JSON.stringify(config, null, 2));
  const r = spawnSync(process.execPath, [installed('typescript/bin/tsc'), '-p', `tsconfig.${name}.json`], {
    cwd: consumer.dir,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `tsc (${name}) failed:\n${r.stdout}${r.stderr}`);
}

void describe('npm packages (packed, installed in a fresh project)', () => {
  before(() => {
    consumer = makeConsumer();
  });
  after(() => consumer.destroy());

  void it('the browser tarball holds built files, the docs its README links to, and no source or source map', () => {
    const files = consumer.browser.files.map((f) => f.path);
    for (const file of files) {
      assert.ok(!/\.(ts|tsx|mts|cts)$/.test(file) || file.endsWith('.d.ts'), `source file in the tarball: ${file}`);
      assert.ok(!file.endsWith('.map'), `source map in the tarball: ${file}`);
      assert.ok(!file.startsWith('tracker/') && !file.startsWith('test/'), `not the library's: ${file}`);
    }
    for (const file of ['LICENSE', 'README.md', 'dist/umd/swarmcast.min.js', 'dist/cjs/package.json']) {
      assert.ok(files.includes(file), `${file} missing from the tarball`);
    }
    const readme = readFileSync(installed('swarmcast/README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1] ?? '');
    for (const link of links.filter((l) => !/^[a-z]+:/.test(l))) {
      assert.ok(files.includes(path.posix.normalize(link)), `README links to ${link}, which is not in the tarball`);
    }
    assert.match(readFileSync(installed('swarmcast/LICENSE'), 'utf8'), /Apache License\s+Version 2\.0/);
  });

  void it('the tracker tarball holds its compiled JavaScript, declarations, README and LICENSE only', () => {
    const files = consumer.tracker.files.map((f) => f.path);
    for (const file of files) {
      const allowed =
        ['package.json', 'README.md', 'LICENSE'].includes(file) || /^dist\/[\w-]+\.(js|d\.ts)$/.test(file);
      assert.ok(allowed, `unexpected file in the tracker tarball: ${file}`);
    }
    const pkg = readPackage(installed('swarmcast-tracker/package.json'));
    for (const bin of Object.values(pkg.bin ?? {})) assert.ok(files.includes(path.posix.normalize(bin)), bin);
    assert.deepEqual(Object.keys(pkg.dependencies ?? {}).sort(), ['ioredis', 'ipaddr.js', 'prom-client', 'ws']);
  });

  void it('the browser library has no runtime dependency: it installs offline, with an empty npm cache, alone', () => {
    const pkg = readPackage(installed('swarmcast/package.json'));
    assert.deepEqual(pkg.dependencies ?? {}, {});
    assert.deepEqual(pkg.optionalDependencies ?? {}, {});
    assert.deepEqual(pkg.bundleDependencies ?? [], []);
    assert.deepEqual(consumer.browserInstall, ['swarmcast']);
  });

  void it('every entry loads with import and with require(), with the same exports', () => {
    const pkg = readPackage(installed('swarmcast/package.json'));
    const specifiers = Object.keys(pkg.exports)
      .filter((sub) => sub !== './package.json')
      .map((sub) => (sub === '.' ? 'swarmcast' : `swarmcast/${sub.slice(2)}`));
    assert.ok(specifiers.length >= 9, specifiers.join());
    const out = node(`
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const result = {};
      for (const s of ${JSON.stringify([...specifiers, 'swarmcast-tracker'])}) {
        const esm = Object.keys(await import(s)).filter((k) => k !== 'default').sort();
        const cjs = Object.keys(require(s)).filter((k) => k !== 'default' && k !== '__esModule').sort();
        result[s] = { esm, cjs };
      }
      console.log(JSON.stringify(result));
    `);
    const result = JSON.parse(out) as Record<string, { esm: string[]; cjs: string[] }>;
    for (const [specifier, { esm, cjs }] of Object.entries(result)) {
      assert.ok(esm.length > 0, `${specifier} exports nothing`);
      assert.deepEqual(cjs, esm, specifier);
    }
    assert.ok(result.swarmcast?.esm.includes('Engine'));
    assert.ok(result['swarmcast/hlsjs']?.esm.includes('withP2P'));
    assert.ok(result['swarmcast/videojs']?.esm.includes('registerP2PPlugin'));
    assert.ok(result['swarmcast-tracker']?.esm.includes('createTracker'));
  });

  void it('the swarmcast-tracker bin runs', () => {
    const help = execFileSync(installed('.bin/swarmcast-tracker'), ['--help'], { encoding: 'utf8' });
    assert.match(help, /--port/);
  });

  void it("the READMEs' examples type-check under bundler (ESM) and node16 (CommonJS), every entry under node16 and nodenext (ESM), without skipLibCheck", () => {
    const browser = tsBlocks(readFileSync(installed('swarmcast/README.md'), 'utf8'));
    const tracker = tsBlocks(readFileSync(installed('swarmcast-tracker/README.md'), 'utf8'));
    assert.ok(browser.length >= 4, `README.md has ${browser.length} ts examples`);
    assert.ok(tracker.length >= 1, 'the tracker README has a ts example');
    const write = (name: string, code: string): string => {
      writeFileSync(path.join(consumer.dir, name), code);
      return name;
    };
    const esm = browser.map((code, i) => write(`readme-${i}.ts`, code));
    const cjs = browser.map((code, i) => write(`readme-${i}.cts`, code));
    const trackerFiles = tracker.map((code, i) => write(`tracker-readme-${i}.ts`, code));
    tsc('bundler', { module: 'esnext', moduleResolution: 'bundler' }, esm);
    tsc('node16-cjs', { module: 'node16', moduleResolution: 'node16', esModuleInterop: true }, cjs);
    tsc('tracker', { module: 'node16', moduleResolution: 'node16', types: ['node'] }, trackerFiles);

    const pkg = readPackage(installed('swarmcast/package.json'));
    const entries = Object.keys(pkg.exports).filter((sub) => sub !== './package.json');
    const imports = entries.map(
      (sub, i) => `import * as e${i} from '${sub === '.' ? 'swarmcast' : `swarmcast/${sub.slice(2)}`}';`,
    );
    const uses = entries.map((_, i) => `e${i}`).join(', ');
    write(
      'entries.ts',
      `${imports.join('\n')}\nimport * as tracker from 'swarmcast-tracker';\nconsole.log(${uses}, tracker);\n`,
    );
    for (const resolution of ['node16', 'nodenext']) {
      tsc(`entries-${resolution}`, { module: resolution, moduleResolution: resolution, types: ['node'] }, [
        'entries.ts',
      ]);
    }
  });

  void it("dash.js: its README's example type-checks under bundler and node16 (ESM), a CommonJS page under node16, without skipLibCheck", () => {
    // The README's examples cover hls.js, Video.js and Shaka (above); dash.js's is in its integration README.
    const readme = readFileSync(installed('swarmcast/integrations/dashjs/README.md'), 'utf8');
    const example = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)]
      .map((m) => m[1] ?? '')
      .find((code) => code.includes("from 'swarmcast/dashjs'"));
    assert.ok(example, 'integrations/dashjs/README.md has an ESM example');
    const code = `declare const video: HTMLVideoElement;\n${example}`;
    for (const ext of ['ts', 'mts']) writeFileSync(path.join(consumer.dir, `dashjs-example.${ext}`), code);
    // dash.js ships ESM only, so CommonJS code loads it with import(); swarmcast/dashjs it may require().
    writeFileSync(
      path.join(consumer.dir, 'dashjs-example.cts'),
      "import { attach } from 'swarmcast/dashjs';\n" +
        'declare const video: HTMLVideoElement;\n' +
        "void import('dashjs').then(({ MediaPlayer }) => {\n" +
        '  const player = MediaPlayer().create();\n' +
        "  const p2p = attach(player, { core: { trackerUrls: ['wss://tracker.example.com'] } });\n" +
        "  player.initialize(video, 'https://cdn.example.com/stream/manifest.mpd', true);\n" +
        "  p2p.engine.on('segment-loaded', (e) => console.log(e.source, e.bytes));\n" +
        '});\n',
    );
    tsc('dashjs-bundler', { module: 'esnext', moduleResolution: 'bundler' }, ['dashjs-example.ts']);
    tsc('dashjs-node16-esm', { module: 'node16', moduleResolution: 'node16' }, ['dashjs-example.mts']);
    tsc('dashjs-node16-cjs', { module: 'node16', moduleResolution: 'node16' }, ['dashjs-example.cts']);
  });

  void it("esbuild bundles the README's hls.js example for the browser, with nothing of Node", () => {
    const example = tsBlocks(readFileSync(installed('swarmcast/README.md'), 'utf8')).find((code) =>
      code.includes("from 'swarmcast/hlsjs'"),
    );
    assert.ok(example, 'README.md has an hls.js example');
    writeFileSync(path.join(consumer.dir, 'hlsjs-example.ts'), example);
    // The same page without P2P: what the app had before, so the figure printed is what swarmcast adds.
    writeFileSync(
      path.join(consumer.dir, 'hlsjs-plain.ts'),
      "import Hls from 'hls.js';\nconst hls = new Hls();\nhls.loadSource('https://cdn.example.com/a.m3u8');\n",
    );
    const out = node(`
      import { build } from 'esbuild';
      import { gzipSync } from 'node:zlib';
      const sizes = {};
      for (const entry of ['hlsjs-example.ts', 'hlsjs-plain.ts']) {
        const r = await build({ entryPoints: [entry], bundle: true, minify: true, write: false,
          platform: 'browser', format: 'esm', target: 'es2020', logLevel: 'silent' });
        const code = r.outputFiles[0].text;
        sizes[entry] = { gzip: gzipSync(code, { level: 9 }).length, node: /\\brequire\\(|node:/.test(code),
          p2p: code.includes('segment-loaded') };
      }
      console.log(JSON.stringify(sizes));
    `);
    const sizes = JSON.parse(out) as Record<string, { gzip: number; node: boolean; p2p: boolean }>;
    const withP2P = sizes['hlsjs-example.ts'];
    const plain = sizes['hlsjs-plain.ts'];
    assert.ok(withP2P && plain);
    assert.equal(withP2P.node, false, 'the bundle requires Node modules');
    assert.ok(withP2P.p2p, 'the bundle holds the engine');
    assert.ok(!plain.p2p, 'the baseline holds no engine');
    console.log(
      `esbuild, hls.js example: ${withP2P.gzip} B min+gzip vs ${plain.gzip} B for hls.js alone: ` +
        `swarmcast adds ${((withP2P.gzip - plain.gzip) / 1024).toFixed(1)} KB`,
    );
  });
});
