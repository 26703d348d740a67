#!/usr/bin/env node
require('../dist/cli.js').main('ng_test', process.argv.slice(2));
