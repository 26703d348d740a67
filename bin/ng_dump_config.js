#!/usr/bin/env node
require('../dist/cli.js').main('ng_dump_config', process.argv.slice(2));
