// german.test.mjs -- issue 10's second language in a real browser: a
// customer and a partner choose Deutsch on their profile; every page of
// their menu is then German (<html lang="de">, the menu in German), with
// axe-core reporting no violation, no console error and no error status;
// the choice goes back to the brand's language at the end, so the other
// browser tests see the demo logins as they were (tools/test runs the
// files one at a time).
//
// Environment as walk.test.mjs.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { LAUNCH, watch, audit } from './browser-lib.mjs';

const PORT = process.env.TP_PORT || '18080';
const HOST = process.env.TP_BROWSER_HOST || 'localhost';
const BASE = `http://${HOST}:${PORT}`;
const PASSWORD = process.env.TP_DEMO_PASSWORD;
const STEP_MS = 20000;

let browser;
before(async () => {
  assert.ok(PASSWORD, 'TP_DEMO_PASSWORD is not set (tools/test sets it)');
  browser = await chromium.launch(LAUNCH);
}, { timeout: 60000 });
after(async () => {
  if (browser) await browser.close();
});

async function open(who) {
  const context = await browser.newContext({ baseURL: BASE, viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(STEP_MS);
  context.setDefaultNavigationTimeout(STEP_MS);
  const page = await context.newPage();
  const problems = watch(page, who);
  return { context, page, problems };
}


// the sign-in page is in the brand's language (English): by the fields' ids
async function signIn(page, who) {
  await page.goto('/login');
  await page.locator('#login').fill(who);
  await page.locator('#password').fill(PASSWORD);
  await Promise.all([
    page.waitForURL((u) => u.pathname !== '/login'),
    page.locator('form.tp-form button[type=submit]').click(),
  ]);
}

// the profile's language select, whatever language the page is in
async function chooseLanguage(page, value) {
  await page.goto('/profile');
  await page.locator('form.profile #language').selectOption(value);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/profile' && u.searchParams.has('saved')),
    page.locator('form.profile button[type=submit]').click(),
  ]);
}

describe('a login that chooses Deutsch gets every page of its menu in German', () => {
  const menuOf = (page) => page.locator('nav.tp-nav a[href]').evaluateAll((as) =>
    as.map((a) => [a.textContent.replace(/\s+\d+$/, '').trim(), a.getAttribute('href')]));
  for (const who of ['100004', 'subagent.city']) {
    test(who, { timeout: 240000 }, async () => {
      const { context, page, problems } = await open(who);
      const found = [];
      const walked = [];
      try {
        await signIn(page, who);
        assert.equal(await page.locator('html').getAttribute('lang'), 'en', `${who}: English before`);
        await page.goto('/');
        const english = await menuOf(page);
        await chooseLanguage(page, 'de');
        assert.equal(await page.locator('html').getAttribute('lang'), 'de', `${who}: the profile saved, in German`);
        assert.match(await page.locator('form.profile label[for=language]').innerText(), /Sprache/);
        await page.goto('/');
        const entries = await menuOf(page);
        assert.ok(entries.length > 1, `${who}: a menu`);
        assert.deepEqual(entries.map(([, h]) => h), english.map(([, h]) => h), `${who}: the same menu`);
        const same = entries.filter(([l], i) => l === english[i][0]).map(([l]) => l);
        assert.ok(same.length * 2 < entries.length,
          `${who}: the menu's words are German, but these stayed English: ${same.join(', ')}`);
        for (const [label, href] of entries) {
          const res = await page.goto(href);
          assert.ok(res && res.status() < 400, `${who}: ${label} (${href}) answers ${res?.status()}`);
          assert.equal(await page.locator('html').getAttribute('lang'), 'de', `${who}: ${href} in German`);
          await audit(page, `${who} ${href}`, found);
          walked.push(href);
        }
      } finally {
        // back to the brand's language, for the other tests
        try { await chooseLanguage(page, ''); } catch (e) { problems.push(`${who}: could not restore: ${e.message}`); }
        await context.close();
      }
      assert.ok(walked.length > 1, `${who}: walked ${walked.join(', ')}`);
      assert.deepEqual(found, [], `${who}: axe-core violations`);
      assert.deepEqual(problems, [], `${who}: console errors and error statuses`);
    });
  }
});
