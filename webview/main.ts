import './elements';
import { App } from './app';
import { connect } from './transport';

const root = document.getElementById('app');
if (root) void new App(root, connect()).start();
