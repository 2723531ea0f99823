/**
 * Puppeteer's own Chrome download is skipped: Coursebook prints with a system Chromium
 * (COURSEBOOK_CHROMIUM, then /usr/bin/chromium and friends), and some machines cannot download.
 * @type {import("puppeteer").Configuration}
 */
module.exports = { skipDownload: true };
