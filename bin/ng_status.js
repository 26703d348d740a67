#!/usr/bin/env node
require('../dist/cli.js').main('ng_status', process.argv.slice(2));
