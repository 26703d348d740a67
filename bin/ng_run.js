#!/usr/bin/env node
require('../dist/cli.js').main('ng_run', process.argv.slice(2));
