#!/usr/bin/env node
require('../dist/cli.js').gymMain(process.argv.slice(2), 'ng');
