// portal.test.mjs -- the portal in a real browser: Debian's Chromium
// (/usr/bin/chromium) driven by playwright-core, against the demo brand of
// a running test stack (Host: localhost). Logs in as a partner and as a
// corporate customer, uses the "currently viewing" switcher, signs out,
// checks a wrong password and the pages at a phone's width.
//
// Run: node --test t/browser/   (tools/test does, after the integration
// tests; tools/browser-deps installs playwright-core). Environment:
//   TP_PORT           nginx port of the test stack (default 18080)
//   TP_DEMO_PASSWORD  the demo logins' password (tools/test sets it)
//   TP_VAR            screenshots go to $TP_VAR/log/browser-*.png
//   TP_BROWSER_HOST   host name of the demo brand (default localhost)
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  SHOTS, TEST, withBrowser, login, userBar, loginOperator,
} from './helpers.mjs';

const open = withBrowser();

// what the header's drop-down says the login views now (its indent aside)
async function viewing(page) {
  const text = await page.locator('#tp-view-to option:checked').innerText();
  return text.replace(/^(- )+/, '').trim();
}

// the visible text of the first cell of every row of a list page's table
async function firstColumn(page, path) {
  const res = await page.goto(path);
  assert.equal(res.status(), 200, `GET ${path}`);
  return page.locator('table.tp-table tbody tr td:first-child').allInnerTexts()
    .then((a) => a.map((s) => s.trim()));
}

// press one of /view's switcher buttons (a form posting to /view/...) and
// wait for the 303 back to /view
async function switchTo(page, name) {
  if (!new URL(page.url()).pathname.startsWith('/view')) await page.goto('/view');
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/view' && u.search === ''),
    page.waitForResponse((r) => r.request().method() === 'POST'
      && new URL(r.url()).pathname.startsWith('/view/') && r.status() === 303),
    page.getByRole('button', { name, exact: true }).click(),
  ]);
}

// the page body does not scroll sideways at this viewport
async function noSidewaysScroll(page, what) {
  const { sw, iw } = await page.evaluate(() => ({
    sw: document.documentElement.scrollWidth,
    iw: window.innerWidth,
  }));
  assert.ok(sw <= iw + 1, `${what}: page is ${sw}px wide in a ${iw}px viewport`);
}

describe('partner: agent.north', () => {
  test('logs in, switches to a sub-agent and back, signs out', TEST, async () => {
    const { page, done } = await open();
    await login(page, 'partner', 'agent.north');
    assert.equal(new URL(page.url()).pathname, '/', 'lands on the portal home');
    assert.match(await userBar(page).innerText(), /Signed in as\s+North Agency admin/);
    assert.equal(await viewing(page), 'North Agency');

    // the header's drop-down switches and keeps the page
    await page.goto('/accounts');
    await page.getByLabel('Currently viewing').selectOption({ label: '- City Resellers' });
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/accounts'),
      userBar(page).getByRole('button', { name: 'Switch' }).click(),
    ]);
    assert.equal(await viewing(page), 'City Resellers', 'switched in the header, still on /accounts');
    await page.getByLabel('Currently viewing').selectOption({ label: 'North Agency' });
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/accounts'),
      userBar(page).getByRole('button', { name: 'Switch' }).click(),
    ]);
    assert.equal(await viewing(page), 'North Agency');

    // and /view lists the same choices as buttons
    await page.goto('/view');
    assert.equal(await page.locator('h1 .tp-current').innerText(), 'North Agency');
    assert.equal(await page.getByRole('button', { name: 'North Agency', exact: true }).isDisabled(), true,
      'the current view is not a choice');
    await switchTo(page, 'City Resellers');
    assert.match(await page.locator('h1').innerText(), /Currently viewing: City Resellers/);
    assert.equal(await viewing(page), 'City Resellers');
    await page.screenshot({ path: join(SHOTS, 'browser-switcher.png'), fullPage: true });

    // every page honours the view: North Agency is above it
    let names = await firstColumn(page, '/partners');
    assert.ok(!names.includes('North Agency'), `/partners as City Resellers: ${names}`);
    assert.ok(names.includes('City Resellers'), `/partners: ${names}`);
    assert.ok(names.includes('Street Distribution'), `/partners: ${names}`);
    assert.equal(await viewing(page), 'City Resellers');

    // and back: the switcher lists the login's own subtree, not the view's
    await page.goto('/view');
    await switchTo(page, 'North Agency');
    assert.equal(await viewing(page), 'North Agency');
    names = await firstColumn(page, '/partners');
    assert.ok(names.includes('North Agency'), `/partners as North Agency: ${names}`);
    assert.ok(names.includes('Street Distribution'), `/partners: ${names}`);
    await page.screenshot({ path: join(SHOTS, 'browser-partner.png'), fullPage: true });

    // sign out from the user bar; the session is gone
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith('/partners')),
      userBar(page).getByRole('button', { name: 'Sign out' }).click(),
    ]);
    assert.equal(await userBar(page).count(), 0, 'no user bar after signing out');
    await page.goto('/me');
    const u = new URL(page.url());
    assert.equal(u.pathname, '/login', '/me after sign-out goes to the login page');
    assert.equal(u.searchParams.get('next'), '/me');
    assert.match(await page.locator('h1').innerText(), /^Sign in/);
    await done('signed-out');
  });
});

describe('corporate customer: 100002', () => {
  test('logs in, views one sub-account, then the entire corporate view', TEST, async () => {
    const { page, done } = await open();
    await login(page, 'customer', '100002');
    assert.match(await userBar(page).innerText(), /Signed in as\s+Globex Corp\b/);
    assert.equal(await viewing(page), '100002 Globex Corp');

    await page.goto('/view');
    const choices = (await page.locator('ul.tp-switcher.accounts button').allInnerTexts())
      .map((s) => s.trim());
    assert.deepEqual(choices, ['100002 Globex Corp', '100003 Globex East', '100004 Globex West']);
    assert.match(await page.locator('ul.tp-switcher.accounts li').first().innerText(),
      /entire corporate view/);
    assert.equal(await page.locator('ul.tp-switcher.partners li').count(), 0,
      'a customer has no partners to choose from');

    await switchTo(page, '100003 Globex East');
    assert.match(await page.locator('h1').innerText(), /Globex East/);
    assert.equal(await viewing(page), '100003 Globex East');
    let numbers = await firstColumn(page, '/accounts');
    assert.deepEqual(numbers, ['100003'], '/accounts viewing 100003');
    await page.screenshot({ path: join(SHOTS, 'browser-customer-sub.png'), fullPage: true });

    await switchTo(page, '100002 Globex Corp');
    assert.equal(await viewing(page), '100002 Globex Corp');
    numbers = await firstColumn(page, '/accounts');
    assert.deepEqual(numbers, ['100002', '100003', '100004'], '/accounts, entire corporate view');
    await done('customer');
  });
});

describe('login form and phone-sized pages', () => {
  test('a wrong password shows the one message on the form again', TEST, async () => {
    const { page, done } = await open({}, ['POST /login 401']);
    await login(page, 'partner', 'agent.south', 'wrong-Password-1');
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal((await page.getByRole('alert').innerText()).trim(), 'Wrong login or password.');
    assert.equal(await page.getByLabel('Login or account number').inputValue(), 'agent.south',
      'the login is kept');
    assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), '',
      'the password is not');
    assert.equal(await userBar(page).count(), 0, 'not signed in');
    await done('wrong-password');
  });

  test('login form and /partners fit a 390x844 phone', TEST, async () => {
    const { page, done } = await open({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await page.goto('/login');
    await noSidewaysScroll(page, '/login');
    // every field and the button lie inside the screen and are big enough to tap
    for (const el of [page.getByLabel('Login or account number'),
      page.getByLabel('Password', { exact: true }), page.getByRole('button', { name: 'Sign in' })]) {
      const box = await el.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 390 + 1,
        `inside the screen: ${JSON.stringify(box)}`);
      assert.ok(box.height >= 40, `tall enough to tap: ${JSON.stringify(box)}`);
    }
    await page.screenshot({ path: join(SHOTS, 'browser-mobile-login.png'), fullPage: true });

    await login(page, 'partner', 'agent.north');
    await noSidewaysScroll(page, '/ (home)');
    const names = await firstColumn(page, '/partners');
    assert.ok(names.includes('Street Distribution'), `/partners: ${names}`);
    await noSidewaysScroll(page, '/partners');
    // the table may be wider than the phone, but then it scrolls in its wrapper
    const wrap = await page.locator('.tp-scroll').evaluate((el) => ({
      right: el.getBoundingClientRect().right,
      overflowX: getComputedStyle(el).overflowX,
    }));
    assert.ok(wrap.right <= 390 + 1, `.tp-scroll ends inside the screen (${wrap.right})`);
    assert.ok(['auto', 'scroll'].includes(wrap.overflowX), `.tp-scroll overflow-x: ${wrap.overflowX}`);
    // a partner's name links to its page and can be tapped
    await page.getByRole('link', { name: 'Street Distribution' }).tap();
    await page.waitForURL(/\/partners\/\d+$/);
    assert.equal(await page.locator('h1').innerText(), 'Street Distribution');
    await noSidewaysScroll(page, '/partners/{id}');
    // the switcher and the user bar fit too
    await page.goto('/view');
    await noSidewaysScroll(page, '/view');
    await page.screenshot({ path: join(SHOTS, 'browser-mobile-view.png'), fullPage: true });
    await page.goto('/partners');
    await done('mobile-partners');
  });
});



// set the brand's label of the accounts grid's column KEY ('' = default)
async function setLabel(page, key, label, defaultLabel) {
  await page.goto('/grids/accounts/settings');
  await page.getByLabel(`Label of ${defaultLabel}`).fill(label);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/grids/accounts/settings' && u.searchParams.get('saved') === '1'),
    page.getByRole('button', { name: 'Save' }).click(),
  ]);
  assert.match(await page.getByRole('status').innerText(), /Saved/);
}

describe('the grid: a brand label, a partner, an export', () => {
  test('the operator renames Balance; agent.north sees it and exports the list', { timeout: 120000 }, async () => {
    const label = `Saldo ${process.pid}`;
    const op = await open({}, ['POST /login 401']);
    await loginOperator(op.page);
    await setLabel(op.page, 'balance', label, 'Balance');
    try {
      const { page, done } = await open({ acceptDownloads: true });
      await login(page, 'partner', 'agent.north');
      const numbers = await firstColumn(page, '/accounts');
      assert.deepEqual(numbers, ['100001', '100002', '100003', '100004'], '/accounts: the North tree');
      const headers = (await page.locator('table.tp-grid thead th').allInnerTexts()).map((s) => s.trim());
      assert.ok(headers.includes(label), `the header shows the brand's label: ${headers}`);
      assert.ok(!headers.includes('Balance'), 'and not the default one');
      // sort by name, descending, from the header links
      await page.getByRole('link', { name: 'Name' }).click();
      await page.waitForURL(/sort=name/);
      await page.getByRole('link', { name: /^Name/ }).click();
      await page.waitForURL(/sort=-name/);
      const byName = await page.locator('table.tp-grid tbody tr td:first-child').allInnerTexts();
      assert.deepEqual(byName.map((s) => s.trim()), ['100004', '100003', '100002', '100001'],
        'Name descending: Globex West, East, Corp, Acme');
      // the export is what the page shows
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('a.export-csv').click(),
      ]);
      assert.equal(download.suggestedFilename(), 'accounts.csv');
      const csv = readFileSync(await download.path(), 'utf8').trim().split(/\r\n/);
      assert.ok(csv[0].split(',').includes(label), `the CSV header: ${csv[0]}`);
      assert.deepEqual(csv.slice(1).map((l) => l.split(',')[0]), ['100004', '100003', '100002', '100001'],
        'the CSV rows, in the page\'s order');
      await done('grid-label-export');
    } finally {
      await setLabel(op.page, 'balance', '', 'Balance');
      await op.done();
    }
  });

  test('/accounts fits a 390x844 phone: the table scrolls in its wrapper', TEST, async () => {
    const { page, done } = await open({
      viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    });
    await login(page, 'partner', 'agent.north');
    await firstColumn(page, '/accounts');
    await noSidewaysScroll(page, '/accounts');
    const wrap = await page.locator('.tp-scroll').first().evaluate((el) => ({
      right: el.getBoundingClientRect().right,
      overflowX: getComputedStyle(el).overflowX,
    }));
    assert.ok(wrap.right <= 390 + 1, `.tp-scroll ends inside the screen (${wrap.right})`);
    assert.ok(['auto', 'scroll'].includes(wrap.overflowX), `.tp-scroll overflow-x: ${wrap.overflowX}`);
    // the filters open and fit too
    await page.locator('details.tp-grid-tools summary').tap();
    await noSidewaysScroll(page, '/accounts with its filters open');
    await page.locator('#f-status').selectOption('active');
    await Promise.all([page.waitForURL(/f\.status=active/), page.getByRole('button', { name: 'Apply' }).tap()]);
    assert.equal(await page.locator('table.tp-grid tbody tr').count(), 4, 'four active accounts');
    // an account number links to the account and can be tapped
    await page.getByRole('link', { name: '100002' }).tap();
    await page.waitForURL(/\/accounts\/\d+/);
    await done('mobile-accounts');
  });
});
