/** Bounds of the viewer's requests, shared by the UI (which stays within them) and the host (which checks them). */

/** Most rows one `rows` request may ask for. */
export const MAX_ROWS_PER_REQUEST = 1000;
/** Most matches a search may ask for. */
export const MAX_SEARCH_LIMIT = 5000;
