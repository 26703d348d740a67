#!/usr/bin/env node
require('../dist/cli.js').main('ng_generate_tasks', process.argv.slice(2));
