#!/usr/bin/env node
require('../dist/cli.js').main('ng_aggregate_rollouts', process.argv.slice(2));
