// payments.test.mjs -- the invoices module's payments in a real browser, on
// the demo brand (tierportctl demo): Initech (100005, past due) adds a card
// by the test gateway's token, pays part of an open invoice with it, lands
// on the receipt and downloads its PDF (read back with pdftotext).
// Environment and run: as portal.test.mjs (helpers.mjs).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { TEST, withBrowser, login } from './helpers.mjs';

const open = withBrowser();

describe('payments: Initech (100005)', () => {
  test('a customer pays an invoice by card and downloads the receipt', TEST, async () => {
    const { page, done } = await open({ acceptDownloads: true });
    await login(page, 'customer', '100005');
    await page.goto('/billing/payments');

    // a card by the gateway's token: never its number
    await page.locator('details.pay-add-card summary').click();
    await page.getByLabel('Gateway token').fill('tok_ok_browser');
    await page.getByLabel('Brand').fill('Visa');
    await page.getByLabel('Last four digits').fill('4242');
    await page.getByLabel('Expiry month').fill('12');
    await page.getByLabel('Expiry year').fill('2040');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/billing/payments'),
      page.getByRole('button', { name: 'Add the card' }).click(),
    ]);
    const methods = await page.locator('ul.pay-methods li').allInnerTexts();
    assert.ok(methods.some((m) => /Visa •••• 4242 \(12\/2040\)/.test(m)), `the card is listed masked: ${methods}`);

    // an open invoice, paid in part
    const pay = page.getByLabel('Pay with');
    const card = (await pay.locator('option').allInnerTexts()).find((o) => /4242 \(12\/2040\)/.test(o));
    await pay.selectOption({ label: card });
    const invoices = await page.getByLabel('Pay', { exact: true }).locator('option').evaluateAll((os) =>
      os.map((o) => ({ value: o.value, text: o.textContent.trim() })));
    const inv = invoices.find((o) => o.value !== '');
    assert.ok(inv, `Initech has an open invoice: ${invoices.map((o) => o.text)}`);
    const number = inv.text.match(/INV-\d+/)[0];
    await page.getByLabel('Pay', { exact: true }).selectOption(inv.value);
    await page.getByLabel(/^Amount/).fill('1.00');
    await Promise.all([
      page.waitForURL(/\/payments\/\d+$/),
      page.getByRole('button', { name: 'Pay now' }).click(),
    ]);
    assert.match(await page.locator('h1').innerText(), /^Receipt RC-\d+$/);
    const receipt = (await page.locator('h1').innerText()).replace('Receipt ', '');
    assert.equal((await page.locator('.pay-status').innerText()).trim(), 'settled');
    assert.match(await page.locator('main').innerText(), new RegExp(`Paid on invoice ${number}: 1.00 EUR`));

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the receipt (PDF)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `${receipt}.pdf`);
    const text = execFileSync('pdftotext', [await download.path(), '-'], { encoding: 'utf8' });
    assert.match(text, new RegExp(`Payment receipt ${receipt}`), 'the PDF says what it is');
    assert.match(text, /1\.00 EUR/, 'and the amount');
    assert.match(text, new RegExp(number), 'and the invoice it paid');
    await done('payments-customer');
  });
});
