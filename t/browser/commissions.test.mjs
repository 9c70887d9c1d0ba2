// commissions.test.mjs -- commissions in a real browser, on the demo brand:
// last month's run (tierportctl commissions run) gives North Agency
// approvable lines; the operator approves two of them on the approvals
// form and pays them on the payouts page (a disbursement through the test
// provider, after lowering the brand's minimum payout); agent.north sees
// its summary move (pending approval -> pending payment -> paid), opens
// the disbursement on its lines, and downloads its compensation history
// as XLSX with the column the operator renamed for the brand (the header
// cell read back with unzip). Two lines are written in SQL only if the
// demo left none approvable. Environment and run:
// as portal.test.mjs (helpers.mjs; TP_BUILD names tierportctl's build).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { VAR, withBrowser, login, loginOperator } from './helpers.mjs';

const open = withBrowser();

// a query on the test stack's database, its rows as text
const sql = (q) => execFileSync('mariadb', [`--socket=${join(VAR, 'run/mysqld.sock')}`,
  '-u', userInfo().username, '-N', '-B', 'tierport', '-e', q], { encoding: 'utf8' }).trim();
// "12.50 EUR (2 lines)" -> 1250 (cents)
const cents = (text) => {
  const m = /(-?[\d,]+\.\d\d) EUR/.exec(text);
  assert.ok(m, `an amount in EUR: ${text}`);
  return Math.round(Number(m[1].replace(/,/g, '')) * 100);
};

describe('commissions: the operator approves and pays, the agent sees it', () => {
  test('approve, pay, the agent\'s summary and its XLSX history', { timeout: 180000 }, async () => {
    const tenant = sql("SELECT id FROM tenants WHERE slug = 'demo'");
    const north = sql(`SELECT id FROM partners WHERE tenant_id = ${tenant} AND name = 'North Agency'`);
    const account = sql(`SELECT a.id FROM accounts a JOIN partner_tree t ON t.descendant = a.partner_id
        AND t.ancestor = ${north} ORDER BY a.id LIMIT 1`);
    assert.ok(north && account, 'North Agency and a customer of its subtree');
    const run = `${Date.now()}`;
    // the real run of last month on the demo brand (once: a rerun adds
    // nothing), with its lines past the brand's hold approvable
    const now = new Date();
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
    const period = last.toISOString().slice(0, 7);
    const ctl = join(process.env.TP_BUILD || 'build-san', 'tierportctl');
    execFileSync(ctl, ['-c', join(VAR, 'etc/tierport.ini'), 'commissions', 'run', '--brand', 'demo',
      '--period', period], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    let lines = sql(`SELECT id FROM commission_lines WHERE partner_id = ${north}
        AND status = 'approvable' ORDER BY id LIMIT 2`).split('\n').filter(Boolean);
    if (lines.length === 0) {
      // the demo left none to approve: two as the run writes them
      const line = (amount) => sql(`INSERT INTO commission_lines (tenant_id, period,
          source_key, kind, partner_id, seller_id, level, account_id, earned_on, basis,
          rate_ppm, amount, currency, status) VALUES (${tenant}, '${period}',
          'browser:${run}:${amount}', 'residual', ${north}, ${north}, 0, ${account},
          UTC_DATE(), ${amount * 10}, 100000, ${amount}, 'EUR', 'approvable');
          SELECT LAST_INSERT_ID()`);
      lines = [line(120000), line(80000)]; // 12.00 and 8.00
    }
    const amount = Number(sql(`SELECT SUM(amount) DIV 100 FROM commission_lines
        WHERE id IN (${lines.join(',')})`)); // cents

    const agent = await open({ acceptDownloads: true });
    await login(agent.page, 'partner', 'agent.north');
    const summary = async () => {
      await agent.page.goto('/commissions');
      assert.match(await agent.page.locator('.cms-as-of').innerText(), /^As of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/,
        'the summary says as of when it was computed');
      return {
        approval: cents(await agent.page.locator('.cms-pending-approval').innerText()),
        payment: cents(await agent.page.locator('.cms-pending-payment').innerText()),
        ytd: cents(await agent.page.locator('.cms-ytd-compensation').innerText()),
      };
    };
    const s0 = await summary();

    // the operator approves the two lines on the approvals form
    const op = await open({}, ['POST /login 401']);
    await loginOperator(op.page);
    await op.page.goto(`/commissions/approvals?partner=${north}`);
    for (const id of lines) await op.page.locator(`#line-${id}`).check();
    await op.page.getByLabel('Decision', { exact: true }).selectOption('approve');
    await op.page.getByLabel(/^Note/).fill('checked in the browser test');
    await Promise.all([
      op.page.waitForURL((u) => u.pathname === '/commissions/approvals'),
      op.page.getByRole('button', { name: 'Decide on the chosen lines' }).click(),
    ]);
    assert.equal(await op.page.locator('.tp-error').count(), 0,
      `no error: ${await op.page.locator('.tp-error').allInnerTexts()}`);
    assert.equal(await op.page.locator(`#line-${lines[0]}`).count(), 0, 'the approved lines left the form');

    const s1 = await summary();
    assert.equal(s1.approval, s0.approval - amount, `pending approval fell by the lines' ${amount} cents (${s0.approval} -> ${s1.approval})`);
    assert.equal(s1.payment, s0.payment + amount, `pending payment rose by as much (${s0.payment} -> ${s1.payment})`);

    // the operator pays them on the payouts page: the brand's minimum
    // payout (the demo's 10.00) first lowered on the settings page, then
    // North Agency's "Pay" (the test provider, its confirmed account)
    await op.page.goto('/commissions/settings');
    await op.page.locator('#cs-min').fill('0.01');
    const posted = (path) => (res) => res.request().method() === 'POST' && new URL(res.url()).pathname === path;
    await Promise.all([
      op.page.waitForResponse(posted('/commissions/settings')),
      op.page.getByRole('button', { name: 'Save the commission settings' }).click(),
    ]);
    await op.page.waitForLoadState('load');
    assert.equal(await op.page.locator('.tp-error').count(), 0,
      `the settings saved: ${await op.page.locator('.tp-error').allInnerTexts()}`);
    await op.page.goto('/commissions/payouts');
    const pay = op.page.locator('form.cms-pay', { has: op.page.locator(`input[name="partner"][value="${north}"]`) });
    await pay.getByLabel('Description').fill('Browser payout');
    await pay.getByLabel('Reference').fill(`ACH ${run.slice(-8)}`);
    await Promise.all([
      op.page.waitForResponse(posted('/commissions/disbursements')),
      pay.getByRole('button', { name: /^Pay / }).click(),
    ]);
    await op.page.waitForLoadState('load');
    const [disb, number, status] = sql(`SELECT id, number, status FROM commission_disbursements
        WHERE partner_id = ${north} ORDER BY id DESC LIMIT 1`).split('\t');
    assert.equal(status, 'paid', `the disbursement ${number} is paid through the test provider`);
    assert.equal(sql(`SELECT COUNT(*) FROM commission_lines WHERE id IN (${lines.join(',')})
        AND status = 'paid' AND disbursement_id = ${disb}`), String(lines.length), 'the approved lines are paid by it');

    const s2 = await summary();
    assert.equal(s2.payment, s0.payment, `paid: pending payment is back (${s1.payment} -> ${s2.payment})`);
    assert.equal(s2.ytd, s0.ytd, 'the year\'s compensation counted them all along');

    // the disbursement history opens the disbursement on its lines
    await agent.page.goto('/commissions/disbursements');
    await agent.page.getByRole('link', { name: number }).click();
    await agent.page.waitForURL(`**/commissions/disbursements/${disb}`);
    assert.match(await agent.page.locator('h1').innerText(), new RegExp(`Disbursement ${number}: .* EUR, paid`));
    assert.equal(await agent.page.locator('table.tp-grid tbody tr').count(), lines.length, 'its lines');

    // the operator renames Comp basis for the brand, from the list's link
    await op.page.goto('/commissions/history');
    await op.page.getByText('Filter, group and columns').click();
    await op.page.getByRole('link', { name: 'Rename, hide and order the columns for the brand' }).click();
    await op.page.getByLabel('Label of Comp basis').fill('Commission basis');
    await op.page.getByRole('button', { name: 'Save' }).click();
    await op.page.waitForLoadState('load');
    // and goes back to the list it came from (a module's grid is not at /NAME)
    await op.page.getByRole('link', { name: 'Back to the list' }).click();
    await op.page.waitForURL('**/commissions/history');
    assert.ok(await op.page.locator('th.col-basis', { hasText: 'Commission basis' }).count() === 1,
      'back on the list, the renamed column');

    // the agent downloads its history as XLSX: the renamed header
    await agent.page.goto('/commissions/history');
    assert.ok(await agent.page.locator('th.col-basis', { hasText: 'Commission basis' }).count() === 1,
      'the page shows the renamed column');
    const [download] = await Promise.all([
      agent.page.waitForEvent('download'),
      agent.page.locator('a.export-xlsx').click(),
    ]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const xml = execFileSync('unzip', ['-p', await download.path(), 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
    const header = [...xml.matchAll(/<c r="[A-Z]+1"[^>]*><is><t[^>]*>([^<]*)<\/t>/g)].map((m) => m[1]);
    assert.ok(header.includes('Commission basis'), `the XLSX header has the renamed column: ${header}`);
    assert.ok(header.includes('Status') && header.includes('Amount'), `and the others: ${header}`);

    // the brand's label back as it was, for the tests that follow
    await op.page.goto('/grids/commission_history/settings');
    await op.page.getByLabel('Label of Comp basis').fill('');
    await op.page.getByRole('button', { name: 'Save' }).click();
    await op.page.waitForLoadState('load');
    await agent.done('commissions-agent');
    await op.done('commissions-operator');
  });
});
