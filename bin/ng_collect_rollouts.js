#!/usr/bin/env node
require('../dist/cli.js').main('ng_collect_rollouts', process.argv.slice(2));
