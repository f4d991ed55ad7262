// Renders images/icon.svg to the 128×128 images/icon.png the marketplaces show, with headless Chromium (playwright-core).
// Run after editing the SVG: `node scripts/render-icon.mjs` (CHROMIUM=path overrides /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';

const [svgPath = 'images/icon.svg', pngPath = 'images/icon.png'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 128, height: 128 }, deviceScaleFactor: 1 });
await page.setContent(`<html><body style="margin:0;background:transparent">${readFileSync(svgPath, 'utf8')}</body></html>`);
await page.screenshot({ path: pngPath, omitBackground: true, clip: { x: 0, y: 0, width: 128, height: 128 } });
await browser.close();
