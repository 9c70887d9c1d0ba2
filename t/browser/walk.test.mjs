// walk.test.mjs -- every demo login walks the portal as a person would:
// the sign-in page, sign in, every entry of its menu, back home, at a
// desktop's width (1280) and a phone's (390). On every page axe-core (the
// npm package, run inside the page) must report no violation, the console
// no error, and no request (assets included) an error status. Screenshots
// of every page go to $TP_VAR/artifacts/screenshots/ (HACKING.md).
//
// Environment as portal.test.mjs (and browser-lib.mjs): TP_PORT, TP_DEMO_PASSWORD,
// TP_DEMO_TOTP_SECRET, TP_VAR, TP_BROWSER_HOST.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { LAUNCH, totp, watch, audit } from './browser-lib.mjs';

const PORT = process.env.TP_PORT || '18080';
const HOST = process.env.TP_BROWSER_HOST || 'localhost';
const BASE = `http://${HOST}:${PORT}`;
const PASSWORD = process.env.TP_DEMO_PASSWORD;
const VAR = resolve(process.env.TP_VAR || 'var/test');
const SHOTS = join(VAR, 'artifacts', 'screenshots');
const STEP_MS = 20000;
const LOGIN_TEST = { timeout: 240000 }; // one login's whole walk, both widths

const LOGINS = ['operator', 'agent.north', 'staff.north', 'subagent.city', 'distributor.street',
  'agent.south', '100001', '100002', '100003', '100004', '100005'];
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];


let browser;
before(async () => {
  assert.ok(PASSWORD, 'TP_DEMO_PASSWORD is not set (tools/test sets it)');
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch(LAUNCH);
}, { timeout: 60000 });
after(async () => {
  if (browser) await browser.close();
});


// A page watched for what a person would hit: script errors, console
// errors, failed requests and error statuses (every request, assets too).
async function open(who) {
  const context = await browser.newContext({ baseURL: BASE, viewport: WIDTHS[0] });
  context.setDefaultTimeout(STEP_MS);
  context.setDefaultNavigationTimeout(STEP_MS);
  const page = await context.newPage();
  const problems = watch(page, who);
  return { context, page, problems };
}

const slug = (s) => s.replace(/^\/$/, 'home').replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');


async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function signIn(page, who, problems) {
  for (let attempt = 0; attempt < 2; attempt++) {
    await page.goto('/login');
    await page.getByLabel('Login or account number').fill(who);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    if (who === 'operator')
      await page.getByLabel('One-time code').fill(totp(process.env.TP_DEMO_TOTP_SECRET || ''));
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await page.waitForLoadState('load');
    if (await page.locator('header .tp-user').count() === 1) return;
    // the operator's code is good once: another test may have used it.
    // That refusal (401) is the test's own doing, not the portal's fault.
    if (who !== 'operator') break;
    const refused = problems.lastIndexOf(`${who}: POST /login 401`);
    if (refused >= 0) problems.splice(refused, 1);
    await page.waitForTimeout(31000 - (Date.now() % 30000));
  }
  assert.fail(`${who} could not sign in: ${await page.locator('.tp-error').allInnerTexts()}`);
}

// the menu's entries as the header shows them: [label, href]
async function menu(page) {
  return page.locator('nav.tp-nav a[href]').evaluateAll((as) =>
    as.map((a) => [a.textContent.replace(/\s+\d+$/, '').trim(), a.getAttribute('href')]));
}

describe('every demo login walks its menu at desktop and phone widths', () => {
  for (const who of LOGINS) {
    test(who, LOGIN_TEST, async () => {
      const { context, page, problems } = await open(who);
      const found = [];
      const walked = [];
      try {
        // the sign-in page, signed out, at both widths
        for (const w of WIDTHS) {
          await page.setViewportSize(w);
          await page.goto('/login');
          await audit(page, `${who} ${w.name} /login`, found);
        }
        await page.setViewportSize(WIDTHS[0]);
        await signIn(page, who, problems);
        for (const w of WIDTHS) {
          await page.setViewportSize(w);
          await page.goto('/');
          await audit(page, `${who} ${w.name} /`, found);
          await shot(page, `${slug(who)}-${w.name}-home`);
          const entries = await menu(page);
          assert.ok(entries.length > 0, `${who}: a menu`);
          for (const [label, href] of entries) {
            const link = page.locator(`nav.tp-nav a[href="${href}"]`).first();
            const [res] = await Promise.all([
              page.waitForNavigation({ waitUntil: 'load' }),
              link.click(),
            ]);
            assert.ok(res && res.status() < 400, `${who} ${w.name}: ${label} (${href}) answers ${res?.status()}`);
            await audit(page, `${who} ${w.name} ${href}`, found);
            await shot(page, `${slug(who)}-${w.name}-${slug(href)}`);
            walked.push(`${w.name} ${href}`);
            // and back home through the site's name in the header
            await Promise.all([
              page.waitForURL((u) => u.pathname === '/'),
              page.locator('header a.tp-site').click(),
            ]);
          }
        }
      } finally {
        await context.close();
      }
      assert.ok(walked.length >= 2, `${who}: walked ${walked.join(', ')}`);
      assert.deepEqual(found, [], `${who}: axe-core violations`);
      assert.deepEqual(problems, [], `${who}: console errors and error statuses`);
    });
  }
});
