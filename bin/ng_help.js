#!/usr/bin/env node
require('../dist/cli.js').main('ng_help', process.argv.slice(2));
