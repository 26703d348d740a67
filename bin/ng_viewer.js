#!/usr/bin/env node
require('../dist/cli.js').main('ng_viewer', process.argv.slice(2));
