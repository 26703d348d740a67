// Stands in for the `debug` package in the bundles. The proxy agents log the request headers they write (the API
// key, proxy credentials) when DEBUG names them; no DEBUG setting may print those.
function createDebug() {
  const log = () => undefined;
  log.enabled = false;
  log.extend = createDebug;
  return log;
}
createDebug.enable = () => undefined;
createDebug.disable = () => '';
createDebug.enabled = () => false;
export default createDebug;
