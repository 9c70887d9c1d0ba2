// browser-lib.mjs -- what the browser tests share: how Chromium is started
// and the demo operator's one-time codes. Not a test file itself.
import { createHmac } from 'node:crypto';

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
