#!/usr/bin/env node
require('../dist/cli.js').main('ng_reward_profile', process.argv.slice(2));
