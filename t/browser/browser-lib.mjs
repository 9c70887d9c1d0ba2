// browser-lib.mjs -- what the browser tests share: how Chromium is started
// and the demo operator's one-time codes. Not a test file itself.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// Debian's Chromium, never a downloaded one. The background-networking
// flags keep it from calling out of this closed network at every start.
export const LAUNCH = {
  executablePath: process.env.TP_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
  timeout: 30000,
};

// RFC 6238 one-time code (SHA-1, 6 digits, 30 s) of a base32 secret, for
// the demo operator's two-factor sign-in (tools/test sets the secret)
export function totp(secret, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase())
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30000)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[19] & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

// What a person would hit on a page, collected as lines: script errors,
// console errors, failed requests and error statuses (every request,
// assets too). A request the browser dropped because the page moved on is
// no error.
export function watch(page, who) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`${who}: page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text()))
      problems.push(`${who} ${page.url()}: console: ${m.text()}`);
  });
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED')
      problems.push(`${who}: request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400)
      problems.push(`${who}: ${r.request().method()} ${new URL(r.url()).pathname} ${r.status()}`);
  });
  return problems;
}

// axe-core (the npm package) inside the page: every violation as one line
// into found. page.evaluate runs through the DevTools protocol, which the
// page's CSP does not block (the pages allow no inline script). What is
// folded away (a grid's filters) is opened first: axe skips the hidden.
let axeSource;
export async function audit(page, what, found) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(axeSource);
  }
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} -- ${v.nodes.slice(0, 3)
      .map((n) => n.target.join(' ')).join(' | ')}`);
  });
  for (const v of violations) found.push(`${what}: ${v}`);
}
