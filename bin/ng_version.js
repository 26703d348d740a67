#!/usr/bin/env node
require('../dist/cli.js').main('ng_version', process.argv.slice(2));
