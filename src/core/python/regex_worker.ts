/**
 * Entry point of the worker threads that run expensive regular expressions (bundled as `dist/regex_worker.js`;
 * see regex_guard.ts).
 */
import { serveWatchdogJobs } from '../workers/watchdog_worker';
import { runRegexJob } from './regex_job';

serveWatchdogJobs(runRegexJob);
