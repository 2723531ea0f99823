/** Formats `serve` builds unless told otherwise: the ones a browser shows, and fast to rebuild. */
export const defaultServeFormats: readonly string[] = ['html', 'json'];
/** The port `serve` starts looking from. */
export const defaultServePort = 4000;
