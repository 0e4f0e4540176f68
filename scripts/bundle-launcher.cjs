#!/usr/bin/env node
// The s3scribe command: runs the bundled CLI (cli.cjs beside this file, one file instead of some
// 300 modules) through V8's code cache (cli.cjs.cache, written by `npm run build` from a start of
// this same bundle), so a start compiles almost nothing. A cache from another Node or V8 version
// is rejected by V8 and the bundle is compiled as usual.
'use strict';
const { readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const { Script, constants } = require('node:vm');

const file = join(__dirname, 'cli.cjs');
// The build keeps the bundle ASCII, so latin1 decodes it exactly, and faster than UTF-8.
const source = readFileSync(file, 'latin1').replace(/^#!.*/, '');
let cachedData;
try {
  cachedData = readFileSync(`${file}.cache`);
} catch {
  // no cache: compile
}
const script = new Script(Module.wrap(source), {
  filename: file,
  cachedData,
  importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const bundle = new Module(file, module);
bundle.filename = file;
bundle.paths = Module._nodeModulePaths(__dirname);
// The build starts the bundle with this set, exercises it, and sends SIGUSR2 for the cache.
const cacheOut = process.env.S3SCRIBE_WRITE_CODE_CACHE;
if (cacheOut) {
  process.once('SIGUSR2', () => {
    writeFileSync(cacheOut, script.createCachedData());
    process.exit(0);
  });
}
script.runInThisContext()(bundle.exports, Module.createRequire(file), bundle, file, __dirname);
