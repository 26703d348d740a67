// The viewer's formatting lives in core: the host renders the first rows with it too.
export * from '../src/core/viewer/display_format';
