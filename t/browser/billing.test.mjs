// billing.test.mjs -- the invoices module in a real browser, on the demo
// brand's money history (tierportctl demo): a customer opens an invoice
// from its statements, switches the billing cycle with the drop-down and
// downloads the PDF (read back with pdftotext); the operator issues a
// credit note from the invoice page and the customer sees it there.
// Environment and run: as portal.test.mjs (helpers.mjs).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  SHOTS, TEST, withBrowser, login, loginOperator,
} from './helpers.mjs';

const open = withBrowser();

const number = (page) => page.locator('h1 .inv-number').innerText();

// the customer's newest invoice, opened from Billing statements: its id
async function openNewest(page) {
  await page.goto('/billing/statements');
  // newest first; credit notes' rows say "Credit note CN-..."
  const row = page.locator('table.inv-statements tbody tr', {
    has: page.locator('td:first-child', { hasText: /^INV-/ }),
  }).first();
  const text = (await row.locator('td').first().innerText()).trim();
  await Promise.all([
    page.waitForURL(/\/invoices\/\d+$/),
    row.getByRole('link', { name: /^View invoice/ }).click(),
  ]);
  assert.equal(await number(page), text, 'the invoice viewer shows the invoice chosen');
  return new URL(page.url()).pathname.split('/').pop();
}

describe('billing: Acme Bakery (100001) and the operator', () => {
  let invoice; // the newest invoice's id, for the operator's part

  test('a customer opens an invoice, switches cycle, downloads the PDF', TEST, async () => {
    const { page, done } = await open({ acceptDownloads: true });
    await login(page, 'customer', '100001');
    invoice = await openNewest(page);
    const first = await number(page);

    // the drop-down lists the account's documents; choose an older one
    const select = page.getByLabel('Billing cycle');
    const options = await select.locator('option').evaluateAll((os) =>
      os.map((o) => ({ value: o.value, text: o.textContent.trim() })));
    assert.ok(options.length >= 4, `four months of documents: ${options.map((o) => o.text)}`);
    const older = options.find((o) => o.value !== invoice && /^INV-/.test(o.text));
    assert.ok(older, 'an older invoice to switch to');
    await select.selectOption(older.value);
    await Promise.all([
      page.waitForURL((u) => u.pathname === `/invoices/${older.value}`),
      page.getByRole('button', { name: 'Show' }).click(),
    ]);
    const second = await number(page);
    assert.notEqual(second, first, 'another billing cycle is shown');
    assert.ok(older.text.startsWith(second), `the one chosen: ${older.text}`);
    assert.equal(await select.inputValue(), older.value, 'and the drop-down says so');

    // its PDF, as the link downloads it
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download the PDF' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `${second}.pdf`);
    const text = execFileSync('pdftotext', [await download.path(), '-'], { encoding: 'utf8' });
    assert.match(text, new RegExp(second), 'the PDF has the invoice number');
    assert.match(text, /Acme Bakery/, 'and the buyer');
    assert.match(text, /EUR/, 'and amounts in EUR');
    await done('billing-customer');
  });

  test('the operator issues a credit note; the customer sees it', { timeout: 120000 }, async () => {
    assert.ok(invoice, 'the first test found the invoice');
    const op = await open({}, ['POST /login 401']);
    await loginOperator(op.page);
    await op.page.goto(`/invoices/${invoice}`);
    const inv = await number(op.page);
    await op.page.getByRole('link', { name: 'Issue a credit note' }).click();
    await op.page.waitForURL(`**/invoices/${invoice}/credit`);
    await op.page.getByLabel(/Amount to credit/).fill('1.50');
    await op.page.getByLabel(/Reason/).fill('Browser test goodwill');
    await Promise.all([
      op.page.waitForURL((u) => /^\/invoices\/\d+$/.test(u.pathname) && u.pathname !== `/invoices/${invoice}`),
      op.page.getByRole('button', { name: 'Issue the credit note' }).click(),
    ]);
    assert.match(await op.page.locator('h1').innerText(), /^Credit note CN-\d+/);
    const note = await number(op.page);
    assert.match(await op.page.locator('main').innerText(), new RegExp(`Credits\\s+invoice ${inv}`));
    await op.done('billing-operator');

    const { page, done } = await open();
    await login(page, 'customer', '100001');
    await page.goto(`/invoices/${invoice}`);
    const notes = await page.locator('ul.inv-credit-notes li').allInnerTexts();
    assert.ok(notes.some((n) => n.includes(note) && n.includes('1.50 EUR')),
      `the customer sees ${note} of 1.50 EUR on ${inv}: ${notes}`);
    await page.locator('ul.inv-credit-notes').getByRole('link', { name: note }).click();
    await page.waitForURL(/\/invoices\/\d+$/);
    assert.equal(await number(page), note, 'and opens it');
    await done('billing-customer-credit-note');
  });
});
