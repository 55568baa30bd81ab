// Run as a child process by browser-orphans.test.ts: launches the report browser, prints its
// pid on stdout and waits to be killed.
import { launchBrowser } from '../../reports/engine/pdf.js';

const browser = await launchBrowser();
const page = await browser.browser.newPage();
await page.setContent('<p>rendering</p>');
process.stdout.write(`${JSON.stringify({ browserPid: browser.browser.process()?.pid })}\n`);
setInterval(() => {}, 60_000);
