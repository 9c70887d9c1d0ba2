// partner-money.test.mjs -- a distributor's money in a real browser, on the
// demo brand (tierportctl demo: Street Distribution has a credit limit of
// 500.00 and Acme Bakery, 100001, among its customers): the distributor
// sees its balance and credit in words, records the cash Acme Bakery paid
// it on the Balance and credit page, and sees Acme Bakery's balance fall by
// the amount and its own debt rise. Environment and run: as
// portal.test.mjs (helpers.mjs).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { TEST, withBrowser, login } from './helpers.mjs';

const open = withBrowser();

// "you owe 12.00 EUR" -> 12, "credit 5.00 EUR" -> -5, "nothing due" -> 0
function owed(words) {
  const m = /([\d.]+) EUR/.exec(words);
  if (!m) return 0;
  return (/^credit|^available/.test(words.trim()) ? -1 : 1) * Number(m[1]);
}

describe('partner money: Street Distribution records a cash payment', () => {
  test('the customer\'s balance falls by the cash recorded', TEST, async () => {
    const { page, done } = await open();
    await login(page, 'partner', 'distributor.street');

    // the home page's panel says its balance in words
    await page.goto('/');
    const panel = page.locator('.funds-panel-balance');
    assert.match(await panel.innerText(), /you owe the provider|prepaid funds|you owe nothing/,
      'the home panel says the balance in words');

    // Acme Bakery's balance before, from its billing page
    await page.goto('/funds');
    const option = page.locator('#cash-account option', { hasText: '100001 Acme Bakery' });
    const account = await option.getAttribute('value');
    assert.ok(account, 'Acme Bakery is in the customer list');
    await page.goto(`/accounts/${account}/billing`);
    const before = owed(await page.locator('.inv-balance').innerText());

    // the distributor's own balance before
    await page.goto('/funds');
    const mine = owed(await page.locator('.funds-balance').innerText());

    // record 12.50 cash
    await page.locator('#cash-account').selectOption(account);
    await page.locator('#cash-amount').fill('12.50');
    await page.locator('#cash-reference').fill(`BROWSER-${Date.now() % 100000}`);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/funds'),
      page.getByRole('button', { name: 'Record payment' }).click(),
    ]);
    assert.equal(await page.locator('.tp-error').count(), 0,
      `no error: ${await page.locator('.tp-error').allInnerTexts()}`);
    const mineAfter = owed(await page.locator('.funds-balance').innerText());
    assert.equal(Math.round((mineAfter - mine) * 100), 1250,
      `the distributor is charged 12.50 (${mine} -> ${mineAfter})`);

    // the customer's balance fell by 12.50
    await page.goto(`/accounts/${account}/billing`);
    const after = owed(await page.locator('.inv-balance').innerText());
    assert.equal(Math.round((before - after) * 100), 1250,
      `Acme Bakery's balance fell by 12.50 (${before} -> ${after})`);

    // and the payment is in the payment history
    await page.goto('/funds/customer-payments');
    assert.match(await page.locator('body').innerText(), /12\.50/, 'the history lists the payment');
    await done('partner-money');
  });
});
