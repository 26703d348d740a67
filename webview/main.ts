// First, so that its clock starts before the rest of the bundle is evaluated.
import './perf';
import './elements';
import { App } from './app';
import { readBootSnapshot } from './boot';
import { connect } from './transport';

const root = document.getElementById('app');
if (root) void new App(root, connect(), readBootSnapshot()).start();
