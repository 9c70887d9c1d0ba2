// helpers.mjs -- what the browser tests share (t/browser/*.test.mjs): the
// stack's address and the demo password from the environment, Debian's
// Chromium, a watched page per test, and the login forms (the operator's
// with its one-time code).
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { LAUNCH, totp } from './browser-lib.mjs';

export { LAUNCH, totp };

export const PORT = process.env.TP_PORT || '18080';
export const HOST = process.env.TP_BROWSER_HOST || 'localhost';
export const BASE = `http://${HOST}:${PORT}`;
export const PASSWORD = process.env.TP_DEMO_PASSWORD;
export const VAR = resolve(process.env.TP_VAR || 'var/test');
export const SHOTS = join(VAR, 'log');
export const STEP_MS = 15000; // one navigation or click
export const TEST = { timeout: 60000 }; // one test; the browser's start has as long

// One browser per test file, started before its tests and closed after
// them; returns the file's open(options, allow) (below).
export function withBrowser() {
  let browser;
  before(async () => {
    assert.ok(PASSWORD, 'TP_DEMO_PASSWORD is not set (tools/test sets it)');
    mkdirSync(SHOTS, { recursive: true });
    // launch() starts from a new, empty profile of its own each time
    browser = await chromium.launch(LAUNCH);
  }, TEST);
  after(async () => {
    if (browser) await browser.close();
  });
  return (options, allow) => open(browser, options, allow);
}

// A fresh context (no cookies) per test. Every page of it is watched for
// script errors, console errors (CSP violations among them) and failed
// requests; done() asserts there were none. `allow` lists the error
// responses a test expects, as "METHOD /path STATUS". /favicon.ico: the
// portal has none yet and the browser asks for it.
export async function open(browser, options = {}, allow = []) {
  const context = await browser.newContext({ baseURL: BASE, ...options });
  context.setDefaultTimeout(STEP_MS);
  context.setDefaultNavigationTimeout(STEP_MS);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    // a failed load is logged without its address: the response check names it
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text()))
      problems.push(`console: ${m.text()}`);
  });
  page.on('requestfailed', (r) => {
    // an asset the browser dropped because the page moved on (the
    // favicon of a page left at once) is no error; anything else is
    const path = new URL(r.url()).pathname;
    if (r.failure()?.errorText === 'net::ERR_ABORTED' && r.method() === 'GET'
        && /^\/(static\/|favicon\.ico$)/.test(path))
      return;
    problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() < 400) return;
    const what = `${r.request().method()} ${new URL(r.url()).pathname} ${r.status()}`;
    if (!allow.includes(what) && !/^GET \/favicon\.ico /.test(what))
      problems.push(`error response: ${what}`);
  });
  const done = async (shot) => {
    if (shot)
      await page.screenshot({ path: join(SHOTS, `browser-${shot}.png`), fullPage: true });
    await context.close();
    assert.deepEqual(problems, [], 'no script, console or request errors');
  };
  return { context, page, done };
}

// The login form as a person fills it in: login (the name says whether it
// is a customer's account number), password. With the right password it
// must end signed in (the user bar shows).
export async function login(page, as, who, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('Login or account number').fill(who);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'
      && new URL(r.url()).pathname === '/login'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  await page.waitForLoadState('load');
  if (password === PASSWORD)
    assert.equal(await page.locator('header .tp-user').count(), 1,
      `signed in as ${who} (${as}): ${await page.locator('.tp-error').allInnerTexts()}`);
}

export const userBar = (page) => page.locator('header .tp-user');

// The demo operator signs in with its one-time code. A code is good once:
// when an earlier test used this one, wait for the next.
export async function loginOperator(page) {
  const secret = process.env.TP_DEMO_TOTP_SECRET;
  assert.ok(secret, 'TP_DEMO_TOTP_SECRET is not set (tools/test sets it)');
  for (let attempt = 0; attempt < 2; attempt++) {
    await page.goto('/login');
    await page.getByLabel('Login or account number').fill('operator');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('One-time code').fill(totp(secret));
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'
        && new URL(r.url()).pathname === '/login'),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    await page.waitForLoadState('load');
    if (await userBar(page).count() === 1) return;
    await page.waitForTimeout(31000 - (Date.now() % 30000));
  }
  assert.fail('the operator could not sign in with its one-time code');
}
